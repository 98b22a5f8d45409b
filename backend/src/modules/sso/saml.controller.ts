import { Body, Controller, Get, Header, HttpCode, Ip, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../authz/decorators';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { SamlAcsDto, SamlExchangeDto, SamlExchangeResponseDto } from './dto/saml.dto';
import { SamlService } from './saml.service';

@ApiTags('sso')
@Public()
@Controller('auth/saml')
export class SamlController {
  constructor(private readonly saml: SamlService) {}

  /** SAML 2.0 metadata of Prompt Vault as service provider for this organization (give it to the IdP). */
  @Get(':orgSlug/metadata')
  @Header('Content-Type', 'application/samlmetadata+xml; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  @ApiProduces('application/samlmetadata+xml')
  @ApiResponse({ status: 200, description: 'SP metadata (XML)', schema: { type: 'string' } })
  @ApiProblems(404)
  metadata(@Param('orgSlug') slug: string): Promise<string> {
    return this.saml.metadata(slug);
  }

  /**
   * Starts an SP-initiated sign-in: 302 to the organization's IdP with an AuthnRequest (HTTP-Redirect
   * binding, unsigned). `returnTo`, a console path, travels as RelayState. When SSO is not configured
   * or turned off, 302 to `/sign-in?ssoError=not_configured|disabled` instead.
   */
  @Get(':orgSlug/login')
  @ApiQuery({ name: 'returnTo', required: false, description: 'Console path to open after sign-in' })
  @ApiResponse({ status: 302, description: 'To the IdP, or to the sign-in page with `ssoError`' })
  // Only input the shared input guard refuses (NUL bytes, broken encoding) is answered with a 400.
  @ApiProblems(400)
  async login(
    @Param('orgSlug') slug: string,
    @Res() res: Response,
    @Query('returnTo') returnTo?: string,
  ): Promise<void> {
    res.redirect(
      302,
      await this.saml.loginRedirect(slug, typeof returnTo === 'string' ? returnTo : undefined),
    );
  }

  /**
   * Assertion Consumer Service (HTTP-POST binding). A valid, signed, fresh, unused assertion for this
   * SP → 303 to `/sso/callback?code=<one-time code>`; anything else → 303 to
   * `/sign-in?ssoError=<reason>` (invalid_response, invalid_signature, expired, wrong_audience,
   * wrong_issuer, replayed, idp_error, missing_email, account_exists, domain_not_allowed, plan_limit_reached,
   * not_configured, disabled, server_error), each audited as `auth.login_failed`. Past `LOGIN_MAX_FAILURES` failures from one
   * address within `LOGIN_LOCKOUT_SECONDS`, posts are refused unread with `rate_limited`.
   */
  @Post(':orgSlug/acs')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: SamlAcsDto })
  @ApiResponse({
    status: 303,
    description: 'To the console callback with a code, or to sign-in with `ssoError`',
  })
  @ApiProblems(400)
  async acs(
    @Param('orgSlug') slug: string,
    // Not validated by a DTO on purpose: a malformed post must still end on the sign-in page.
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
    @Ip() ip: string | undefined,
  ): Promise<void> {
    res.redirect(303, await this.saml.acs(slug, body ?? {}, ip ?? null));
  }

  /** Exchanges the one-time code from `/sso/callback` (single use, 60 s) for session tokens. */
  @Post('exchange')
  @HttpCode(200)
  // Tokens: no cache may keep this answer.
  @Header('Cache-Control', 'no-store')
  @ApiProblems(400, 'sso_code_invalid')
  exchange(@Body() dto: SamlExchangeDto): Promise<SamlExchangeResponseDto> {
    return this.saml.exchange(dto.code);
  }
}
