import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ClsService } from 'nestjs-cls';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import type { AppClsStore } from '../../common/request-context';
import { Public } from '../../authz/decorators';
import { AuthService } from './auth.service';
import { MeResponseDto, SignupResponseDto, TokenResponseDto } from './dto/auth.response.dto';
import { LoginDto, SignupDto } from './dto/signup.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cls: ClsService<AppClsStore>,
  ) {}

  /** Creates an account and its default organization, where the new user is OWNER. */
  @Public()
  @Post('auth/signup')
  @ApiProblems(400, 409)
  async signup(@Body() dto: SignupDto): Promise<SignupResponseDto> {
    return { user: await this.auth.signup(dto) };
  }

  /** Exchanges e-mail and password for an access token. Unknown e-mail and wrong password answer alike. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiProblems(400, 401)
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto);
  }

  /** The signed-in user with their organizations and roles. */
  @Get('me')
  @ApiBearerAuth()
  @ApiProblems(401)
  me(): Promise<MeResponseDto> {
    return this.auth.me(this.cls.get('actor')!.id!);
  }
}
