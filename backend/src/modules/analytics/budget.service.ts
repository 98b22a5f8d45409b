import { Injectable, Logger } from '@nestjs/common';
import { defineAbilityFor } from '../../authz/ability.factory';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { OutboxService } from '../outbox/outbox.service';
import { AnalyticsException } from './analytics.errors';
import { BudgetRepository, BudgetRow } from './budget.repository';
import { BudgetResponseDto, DEFAULT_THRESHOLDS, PutBudgetDto } from './dto/budget.dto';
import { monthOf } from './usage.sql';

const round2 = (n: number) => Math.round(n * 100) / 100;
const monthStart = (now: Date) => new Date(`${monthOf(now)}T00:00:00Z`);

/**
 * Monthly budgets (docs/analytics.md, "Budgets"): the setting, the spend of the calendar month
 * (UTC) read from the daily rollups, thresholds notified once per month (e-mail to OWNERs and
 * ADMINs, an audit event and a `budget.threshold_reached` outbox row for webhooks) and the hard stop.
 */
@Injectable()
export class BudgetService {
  private readonly logger = new Logger('Budgets');

  constructor(
    private readonly repo: BudgetRepository,
    private readonly transactions: TenantTransactions,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly organizations: OrganizationsService,
    private readonly mail: MailService,
  ) {}

  async get(caller: Caller, now = new Date()): Promise<BudgetResponseDto> {
    return this.view(caller.organizationId, await this.repo.find(caller.organizationId), now);
  }

  /** Sets the budget (audited); thresholds the current spend already passes are notified now. */
  async put(caller: Caller, dto: PutBudgetDto, now = new Date()): Promise<BudgetResponseDto> {
    const before = await this.repo.find(caller.organizationId);
    const thresholds = [...(dto.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
    const next = {
      monthlyLimitUsd: dto.monthlyLimitUsd,
      thresholds,
      hardStop: dto.hardStop ?? false,
      monthlyReport: dto.monthlyReport ?? false,
    };
    await this.repo.upsert(caller.organizationId, { ...next, updatedBy: caller.userId });
    await this.audit.record({
      action: 'budget.updated',
      target: { type: 'organization', id: caller.organizationId },
      changes: {
        from: before
          ? {
              monthlyLimitUsd: Number(before.monthly_limit_usd),
              thresholds: before.thresholds,
              hardStop: before.hard_stop,
              monthlyReport: before.monthly_report,
            }
          : null,
        to: next,
      },
    });
    await this.checkThresholds(caller.organizationId, now);
    return this.get(caller, now);
  }

  /**
   * Refuses with 403 `budget_exceeded` when the organization's hard stop is on and this month's
   * spend reached the budget. Call it at the entry of anything that spends on a model provider.
   */
  async assertWithinBudget(caller: Pick<Caller, 'organizationId'>, now = new Date()): Promise<void> {
    const budget = await this.repo.find(caller.organizationId);
    if (!budget?.hard_stop) return;
    const limit = Number(budget.monthly_limit_usd);
    const spent = await this.repo.spentSince(caller.organizationId, monthStart(now));
    if (spent >= limit)
      throw new AnalyticsException(
        'budget_exceeded',
        `This month's budget of $${limit.toFixed(2)} is spent ($${spent.toFixed(2)}); runs resume next month or with a higher budget`,
        { extensions: { spentUsd: round2(spent), monthlyLimitUsd: limit } },
      );
  }

  /**
   * In the current transaction, after cost was recorded: every threshold the month's spend passes
   * that was not notified yet this month is notified now (the notification row's key makes each
   * threshold win once, also between concurrent transactions).
   */
  async checkThresholds(organizationId: string, now = new Date()): Promise<number[]> {
    const budget = await this.repo.find(organizationId);
    if (!budget) return [];
    const limit = Number(budget.monthly_limit_usd);
    const spent = await this.repo.spentSince(organizationId, monthStart(now));
    const percent = (spent / limit) * 100;
    const due = budget.thresholds.filter((t) => percent >= t);
    const month = monthOf(now);
    const fresh = await this.repo.claimThresholds(organizationId, month, due, spent);
    if (!fresh.length) return [];
    const highest = fresh[fresh.length - 1];
    for (const threshold of fresh) {
      const data = {
        threshold,
        month: month.slice(0, 7),
        spentUsd: round2(spent),
        monthlyLimitUsd: limit,
        percent: round2(percent),
        hardStop: budget.hard_stop,
      };
      await this.audit.record({
        action: 'budget.threshold_reached',
        target: { type: 'organization', id: organizationId },
        changes: data,
      });
      await this.outbox.publish({
        type: 'budget.threshold_reached',
        aggregateType: 'organization',
        aggregateId: organizationId,
        payload: data,
        organizationId,
      });
    }
    await this.notify(organizationId, budget, highest, spent, percent);
    return fresh;
  }

  private async notify(
    organizationId: string,
    budget: BudgetRow,
    threshold: number,
    spent: number,
    percent: number,
  ): Promise<void> {
    const organization = await this.organizations.get(organizationId);
    const members = await this.organizations.members(organizationId);
    const recipients = members.filter((m) => defineAbilityFor(m.role, m.userId).can('manage', 'Budget'));
    const limit = Number(budget.monthly_limit_usd);
    const stopped = budget.hard_stop && spent >= limit;
    this.transactions.afterCommit(async () => {
      for (const m of recipients) {
        await this.mail
          .send({
            to: m.email,
            subject: `${organization.name} reached ${threshold} % of its monthly budget`,
            text: [
              `${organization.name} has spent $${spent.toFixed(2)} of its $${limit.toFixed(2)} monthly budget (${percent.toFixed(1)} %).`,
              stopped
                ? 'The hard stop is on: playground runs, comparisons, test runs and evaluations are refused until next month or until the budget is raised.'
                : 'Runs continue; you can change the budget or turn on the hard stop on the Analytics page of the console.',
            ].join('\n'),
          })
          .catch((err: unknown) =>
            this.logger.warn({ err, organizationId }, 'could not send the budget e-mail'),
          );
      }
    });
  }

  private async view(
    organizationId: string,
    budget: BudgetRow | undefined,
    now: Date,
  ): Promise<BudgetResponseDto> {
    const spent = await this.repo.spentSince(organizationId, monthStart(now));
    const crossed = budget ? await this.repo.notified(organizationId, monthOf(now)) : [];
    const limit = budget ? Number(budget.monthly_limit_usd) : null;
    return {
      monthlyLimitUsd: limit,
      thresholds: budget?.thresholds ?? DEFAULT_THRESHOLDS,
      hardStop: budget?.hard_stop ?? false,
      monthlyReport: budget?.monthly_report ?? false,
      spentUsd: round2(spent),
      percent: limit ? round2((spent / limit) * 100) : null,
      crossed,
    };
  }

  /** Organizations that asked for the monthly report, and the once-per-month claim. */
  reportSubscribers(): Promise<string[]> {
    return this.repo.reportSubscribers();
  }

  claimReport(organizationId: string, month: string): Promise<boolean> {
    return this.repo.claimReport(organizationId, month);
  }
}
