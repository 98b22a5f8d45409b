import { RequestContext } from '../../common/context/request-context';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../../authz/decorators';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AuthService } from './auth.service';
import { MeResponseDto, SignupResponseDto, TokenResponseDto } from './dto/auth.response.dto';
import {
  ChangePasswordDto,
  ForgotPasswordDto,
  LoginDto,
  RefreshDto,
  ResetPasswordDto,
  SignupDto,
  TokenDto,
} from './dto/signup.dto';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly context: RequestContext,
  ) {}

  /**
   * Creates an account and its default organization, where the new user is OWNER. When e-mail
   * verification is on (SMTP configured), a verification link is mailed and sign-in waits for it.
   */
  @Public()
  @Post('auth/signup')
  @ApiProblems(400, 409)
  async signup(@Body() dto: SignupDto): Promise<SignupResponseDto> {
    return { user: await this.auth.signup(dto) };
  }

  /**
   * Exchanges e-mail and password for an access token and a refresh token. Unknown e-mail and wrong
   * password answer alike; repeated failures per account or IP slow down, then answer 429.
   */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiProblems(400, 401, 403, 429)
  login(@Body() dto: LoginDto): Promise<TokenResponseDto> {
    return this.auth.login(dto);
  }

  /** Rotates the refresh token. Reusing an already rotated token ends the whole session (401). */
  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenResponseDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  /** Ends the session of this refresh token. */
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @ApiProblems(400)
  logout(@Body() dto: RefreshDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }

  /** Confirms the e-mail address with the token from the verification mail. */
  @Public()
  @Post('auth/verify-email')
  @HttpCode(204)
  @ApiProblems(400, 404, 410)
  verifyEmail(@Body() dto: TokenDto): Promise<void> {
    return this.auth.verifyEmail(dto.token);
  }

  /** Mails a single-use reset link valid for 1 hour. Answers 202 whether or not the e-mail is known. */
  @Public()
  @Post('auth/password/forgot')
  @HttpCode(202)
  @ApiProblems(400)
  forgotPassword(@Body() dto: ForgotPasswordDto): Promise<void> {
    return this.auth.forgotPassword(dto.email);
  }

  /** Sets a new password with the reset link's token; ends every session of the account. */
  @Public()
  @Post('auth/password/reset')
  @HttpCode(204)
  @ApiProblems(400, 404, 410)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(dto);
  }

  /** Changes the password of the signed-in user and ends their other sessions. */
  @Post('auth/password/change')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiProblems(400, 401)
  changePassword(@Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(
      this.context.principal.userId,
      this.context.principal.sessionId ?? '',
      dto,
    );
  }

  /** The signed-in user with their organizations and roles. */
  @Get('me')
  @ApiBearerAuth()
  @ApiProblems(401)
  me(): Promise<MeResponseDto> {
    return this.auth.me(this.context.principal.userId);
  }
}
