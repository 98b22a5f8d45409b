import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../authz/decorators';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { SsoDiscoveryQueryDto, SsoDiscoveryResponseDto } from './dto/sso-discovery.dto';
import { SsoDiscoveryService } from './sso-discovery.service';

@ApiTags('sso')
@Public()
@Controller('auth/sso')
export class SsoDiscoveryController {
  constructor(private readonly discovery: SsoDiscoveryService) {}

  /**
   * SSO-first sign-in (a contract addition): whether the sign-in page should send this person
   * straight to an identity provider, and where. `organization` (a remembered slug) is checked
   * first, then the domain of `email` against the organizations that require SSO and list that
   * domain among their allowed e-mail domains. Accounts are never looked up: every address of a
   * domain gets the same answer, so it reveals nothing about who has an account.
   */
  @Get('discover')
  @Header('Cache-Control', 'no-store')
  @ApiProblems(400)
  discover(@Query() q: SsoDiscoveryQueryDto): Promise<SsoDiscoveryResponseDto> {
    return this.discovery.discover(q);
  }
}
