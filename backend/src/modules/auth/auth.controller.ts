import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../../authz/decorators';
import { CurrentPrincipal } from '../../common/context/caller.decorator';
import type { Principal } from '../../common/context/request-context';
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
  constructor(private readonly auth: AuthService) {}

  /**
   * Creates an account and its default organization, where the new user is OWNER. When e-mail
   * verification is on (SMTP configured), a verification link is mailed and sign-in waits for it.
   */
  @Public()
  @Post('auth/signup')
  @ApiProblems(400, 'email_taken')
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
  @ApiProblems(400, 'invalid_credentials', 'email_not_verified', 'sso_required', 'sign_in_locked')
  login(@Body() dto: LoginDto, @Ip() ip: string | undefined): Promise<TokenResponseDto> {
    return this.auth.login(dto, ip ?? null);
  }

  /** Rotates the refresh token. Reusing an already rotated token ends the whole session (401). */
  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiProblems(400, 'refresh_token_invalid', 'refresh_token_expired', 'refresh_token_reused', 'account_gone')
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
  @ApiProblems(400, 'link_invalid', 'link_used', 'link_expired')
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
  @ApiProblems(400, 'link_invalid', 'link_used', 'link_expired')
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.auth.resetPassword(dto);
  }

  /** Changes the password of the signed-in user and ends their other sessions. */
  @Post('auth/password/change')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiProblems(400, 'current_password_wrong', 401)
  changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.auth.changePassword(principal.userId, principal.sessionId, dto);
  }

  /** The signed-in user with their organizations and roles. */
  @Get('me')
  @ApiBearerAuth()
  @ApiProblems(401, 'account_gone')
  me(@CurrentPrincipal() principal: Principal): Promise<MeResponseDto> {
    return this.auth.me(principal.userId);
  }
}
