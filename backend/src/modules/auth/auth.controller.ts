import { Body, Controller, Get, Header, HttpCode, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../authz/decorators';
import { CurrentPrincipal } from '../../common/context/caller.decorator';
import type { Principal } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { AccountLinksService } from './account-links.service';
import { AuthService } from './auth.service';
import { RefreshCookie, SESSION_MODE_HEADER } from './refresh-cookie';
import { SessionsService } from './sessions.service';
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

/** Answers that carry tokens are kept by no cache, shared or private (RFC 6749 §5.1). */
export const NO_STORE = 'no-store';

const CookieMode = () =>
  ApiHeader({
    name: SESSION_MODE_HEADER,
    required: false,
    description:
      '`cookie`: the refresh token travels as an HttpOnly cookie scoped to /auth/refresh and /auth/logout ' +
      'instead of in the JSON body (browser clients; the request must come from an allowed origin).',
  });

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly links: AccountLinksService,
    private readonly cookie: RefreshCookie,
  ) {}

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
  @Header('Cache-Control', NO_STORE)
  @CookieMode()
  @ApiProblems(
    400,
    'invalid_credentials',
    'email_not_verified',
    'sso_required',
    'sign_in_locked',
    'origin_not_allowed',
  )
  async login(
    @Body() dto: LoginDto,
    @Ip() ip: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponseDto> {
    this.cookie.requested(req); // an origin check before the password is tried
    return this.cookie.deliver(req, res, await this.auth.login(dto, ip ?? null));
  }

  /**
   * Rotates the refresh token (from the body, or in cookie mode from the cookie). Reusing an
   * already rotated token ends the whole session (401).
   */
  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @Header('Cache-Control', NO_STORE)
  @CookieMode()
  @ApiProblems(
    400,
    'refresh_token_invalid',
    'refresh_token_expired',
    'refresh_token_reused',
    'account_gone',
    'origin_not_allowed',
  )
  async refresh(
    @Body() dto: RefreshDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenResponseDto> {
    const token = this.cookie.tokenOf(req, dto.refreshToken);
    try {
      return this.cookie.deliver(req, res, await this.sessions.refresh(token));
    } catch (err) {
      // A session that cannot go on leaves no cookie behind.
      if (dto.refreshToken === undefined) this.cookie.clear(res);
      throw err;
    }
  }

  /** Ends the session of this refresh token (from the body, or in cookie mode from the cookie). */
  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  @CookieMode()
  @ApiProblems(400, 'origin_not_allowed')
  async logout(
    @Body() dto: RefreshDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    if (dto.refreshToken === undefined && this.cookie.requested(req)) {
      const token = this.cookie.cookieToken(req);
      if (token) await this.sessions.logout(token);
      this.cookie.clear(res);
      return;
    }
    await this.sessions.logout(this.cookie.tokenOf(req, dto.refreshToken));
  }

  /** Confirms the e-mail address with the token from the verification mail. */
  @Public()
  @Post('auth/verify-email')
  @HttpCode(204)
  @ApiProblems(400, 'link_invalid', 'link_used', 'link_expired')
  verifyEmail(@Body() dto: TokenDto): Promise<void> {
    return this.links.verifyEmail(dto.token);
  }

  /** Mails a single-use reset link valid for 1 hour. Answers 202 whether or not the e-mail is known. */
  @Public()
  @Post('auth/password/forgot')
  @HttpCode(202)
  @ApiProblems(400)
  forgotPassword(@Body() dto: ForgotPasswordDto): Promise<void> {
    return this.links.forgotPassword(dto.email);
  }

  /** Sets a new password with the reset link's token; ends every session of the account. */
  @Public()
  @Post('auth/password/reset')
  @HttpCode(204)
  @ApiProblems(400, 'link_invalid', 'link_used', 'link_expired')
  resetPassword(@Body() dto: ResetPasswordDto): Promise<void> {
    return this.links.resetPassword(dto);
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
