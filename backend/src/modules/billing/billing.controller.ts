import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckPolicies, TenantScoped } from '../../authz/decorators';
import { CurrentCaller } from '../../common/context/caller.decorator';
import type { Caller } from '../../common/context/request-context';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { BillingService } from './billing.service';
import { ChangePlanDto } from './dto/billing.dto';
import { BillingResponseDto } from './dto/billing.response.dto';

@ApiTags('billing')
@TenantScoped()
@Controller('billing')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  /**
   * The organization's plan, subscription, limits and usage (any member). `plan` is the effective
   * plan, whose limits apply now; `null` limits are unlimited. `usage.evaluationsThisMonth` counts
   * the AI evaluations stored since the start of the calendar month (UTC).
   */
  @Get()
  @CheckPolicies((a) => a.can('read', 'Billing'))
  @ApiProblems(400, 401, 404)
  get(@CurrentCaller() caller: Caller): Promise<BillingResponseDto> {
    return this.billing.view(caller.organizationId);
  }

  /**
   * Switches the plan (OWNER), only when Stripe is not configured (then 409
   * `billing_managed_by_stripe`: plans are bought through Checkout). A downgrade deletes nothing:
   * content over the new limits stays readable and editable, creating more is refused. Audited as
   * `billing.plan_changed`. Answers as `GET /billing`.
   */
  @Put('plan')
  @CheckPolicies((a) => a.can('manage', 'Billing'))
  @ApiProblems(400, 401, 403, 404, 'billing_managed_by_stripe')
  changePlan(@CurrentCaller() caller: Caller, @Body() dto: ChangePlanDto): Promise<BillingResponseDto> {
    return this.billing.changePlan(caller, dto.plan);
  }
}
