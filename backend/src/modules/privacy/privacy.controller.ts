import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller, CurrentPrincipal } from '../../common/context/caller.decorator';
import type { Caller, Principal } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { EraseAccountDto } from './dto/privacy.dto';
import { MemberErasureResponseDto, PersonalDataExportDto } from './dto/personal-data.response.dto';
import { PrivacyService } from './privacy.service';

@ApiTags('privacy')
@Controller()
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  /**
   * Everything Prompt Vault holds about the signed-in user, as a JSON download: profile,
   * memberships, sessions (metadata, never tokens), and per organization where they are a member
   * their prompts, versions, comments, favorites, saved searches, API keys (metadata, never
   * hashes) and the audit events where they or their API keys are the actor. A signed-in session
   * only: API keys answer 403 `privacy_session_required`.
   */
  @Get('me/export')
  @ApiBearerAuth()
  @ApiProduces('application/json')
  @ApiOkResponse({
    type: PersonalDataExportDto,
    description: 'A file download (Content-Disposition: attachment)',
  })
  @ApiProblems(401, 'account_gone', 'privacy_session_required')
  async export(@CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    const data = await this.privacy.export(principal);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="prompt-vault-personal-data-${data.exportedAt.slice(0, 10)}.json"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.send(JSON.stringify(data, null, 2));
  }

  /**
   * Erases the signed-in user's account. A password account confirms with `password` (missing:
   * 403 `reauthentication_required`; wrong: 403 `reauthentication_failed`); an SSO-only account
   * must have signed in less than five minutes ago (else 403 `reauthentication_required`).
   * 409 `last_owner` with `organizations: [{id, name}]` while the user is the last OWNER of an
   * organization that has other members. Organizations where the user is the only member are
   * deleted; elsewhere their prompts, versions and comments stay, shown as "Deleted user", their
   * API keys are revoked and their personal data in audit events (e-mail, IP address, user agent)
   * is erased while the hash chain still verifies. Every session ends; sign-in is impossible.
   */
  @Delete('me')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiProblems(
    400,
    401,
    'account_gone',
    'privacy_session_required',
    'reauthentication_required',
    'reauthentication_failed',
    'last_owner',
  )
  erase(@CurrentPrincipal() principal: Principal, @Body() dto: EraseAccountDto): Promise<void> {
    return this.privacy.eraseAccount(principal, dto);
  }

  /**
   * Erases a former member's personal data (e-mail, IP address, user agent) from the
   * organization's audit trail (OWNER); the hash chain still verifies. 409 `privacy_still_member`
   * while the user is a member. Audited as `user.erased`.
   */
  @Post('organizations/:id/members/:userId/erase')
  @HttpCode(200)
  @TenantScoped({ param: 'id' })
  @CheckPolicies((a) => a.can('delete', 'Organization'))
  @ApiProblems(400, 401, 403, 404, 'privacy_still_member')
  eraseMember(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') _id: string,
    @UuidParam('userId') userId: string,
  ): Promise<MemberErasureResponseDto> {
    return this.privacy.eraseMember(caller, userId);
  }
}
