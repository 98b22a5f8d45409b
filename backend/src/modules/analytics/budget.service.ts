import { Injectable, Logger } from '@nestjs/common';
import { defineAbilityFor } from '../../authz/ability.factory';
import type { Caller } from '../../common/context/request-context';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { OutboxService } from '../outbox/outbox.service';
import { notFound } from '../../common/errors/domain.exception';
import { AnalyticsException } from './analytics.errors';
import { BudgetRepository, BudgetRow, CollectionBudgetRow, HardStopRow } from './budget.repository';
import {
  BudgetResponseDto,
  CollectionBudgetListDto,
  CollectionBudgetResponseDto,
  DEFAULT_THRESHOLDS,
  PutBudgetDto,
  PutCollectionBudgetDto,
} from './dto/budget.dto';
import { monthOf } from './usage.sql';

const round2 = (n: number) => Math.round(n * 100) / 100;
/** The first instant of `now`'s month (UTC), as the budgets count it. */
export const monthStart = (now: Date) => new Date(`${monthOf(now)}T00:00:00Z`);

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
   * Refuses with 403 `budget_exceeded` when a hard-stopped budget that applies is spent: the
   * organization's, or (with `promptId`) that of the prompt's collection or one of its ancestors.
   * One statement. Call it at the entry of anything that spends on a model provider.
   */
  async assertWithinBudget(
    caller: Pick<Caller, 'organizationId'>,
    target: { promptId?: string | null } = {},
    now = new Date(),
  ): Promise<void> {
    this.refuseIfSpent(
      await this.repo.hardStops(caller.organizationId, target.promptId ?? null, monthStart(now)),
    );
  }

  /**
   * `assertWithinBudget` on the hard stops another statement read (`HARD_STOPS` embedded in it,
   * with the month's start from `monthStart`).
   */
  refuseIfSpent(stops: HardStopRow[]): void {
    // The organization's budget first, then the collections from the prompt's own upwards.
    const spent = stops.find((s) => s.spent >= Number(s.monthly_limit_usd));
    if (!spent) return;
    const limit = Number(spent.monthly_limit_usd);
    const amounts = `$${limit.toFixed(2)} is spent ($${spent.spent.toFixed(2)})`;
    if (spent.collection_id === null)
      throw new AnalyticsException(
        'budget_exceeded',
        `This month's budget of ${amounts}; runs resume next month or with a higher budget`,
        { extensions: { spentUsd: round2(spent.spent), monthlyLimitUsd: limit } },
      );
    throw new AnalyticsException(
      'budget_exceeded',
      `This month's budget of the collection "${spent.collection_name}" of ${amounts}; runs of its prompts resume next month or with a higher budget`,
      {
        extensions: {
          spentUsd: round2(spent.spent),
          monthlyLimitUsd: limit,
          collectionId: spent.collection_id,
          collectionName: spent.collection_name,
        },
      },
    );
  }

  /**
   * In the current transaction, after cost was recorded: every threshold the month's spend passes
   * that was not notified yet this month is notified now, for the organization's budget and for
   * each collection budget (the notification row's key makes each threshold of each budget win
   * once, also between concurrent transactions).
   */
  async checkThresholds(organizationId: string, now = new Date()): Promise<number[]> {
    const budget = await this.repo.find(organizationId);
    const fresh = budget
      ? await this.fire(organizationId, now, {
          collection: null,
          limit: Number(budget.monthly_limit_usd),
          thresholds: budget.thresholds,
          hardStop: budget.hard_stop,
          spent: await this.repo.spentSince(organizationId, monthStart(now)),
        })
      : [];
    for (const c of await this.repo.collectionBudgets(organizationId, monthStart(now)))
      await this.fire(organizationId, now, {
        collection: { id: c.collection_id, name: c.collection_name },
        limit: Number(c.monthly_limit_usd),
        thresholds: c.thresholds,
        hardStop: c.hard_stop,
        spent: c.spent,
      });
    return fresh;
  }

  /** Claims and announces the thresholds of one budget the spend passes; returns the fresh ones. */
  private async fire(organizationId: string, now: Date, b: BudgetState): Promise<number[]> {
    const percent = (b.spent / b.limit) * 100;
    const due = b.thresholds.filter((t) => percent >= t);
    const month = monthOf(now);
    const fresh = await this.repo.claimThresholds(
      organizationId,
      month,
      due,
      b.spent,
      b.collection?.id ?? null,
    );
    if (!fresh.length) return [];
    for (const threshold of fresh) {
      const data = {
        threshold,
        month: month.slice(0, 7),
        spentUsd: round2(b.spent),
        monthlyLimitUsd: b.limit,
        percent: round2(percent),
        hardStop: b.hardStop,
        collectionId: b.collection?.id ?? null,
        ...(b.collection ? { collectionName: b.collection.name } : {}),
      };
      await this.audit.record({
        action: 'budget.threshold_reached',
        target: b.collection
          ? { type: 'collection', id: b.collection.id }
          : { type: 'organization', id: organizationId },
        changes: data,
      });
      await this.outbox.publish({
        type: 'budget.threshold_reached',
        aggregateType: b.collection ? 'collection' : 'organization',
        aggregateId: b.collection?.id ?? organizationId,
        payload: data,
        organizationId,
      });
    }
    await this.notify(organizationId, b, fresh[fresh.length - 1], percent);
    return fresh;
  }

  private async notify(
    organizationId: string,
    b: BudgetState,
    threshold: number,
    percent: number,
  ): Promise<void> {
    const organization = await this.organizations.get(organizationId);
    const members = await this.organizations.members(organizationId);
    const recipients = members.filter((m) => defineAbilityFor(m.role, m.userId).can('manage', 'Budget'));
    const stopped = b.hardStop && b.spent >= b.limit;
    const whose = b.collection
      ? `The collection "${b.collection.name}" of ${organization.name}`
      : organization.name;
    const subject = b.collection
      ? `The collection "${b.collection.name}" reached ${threshold} % of its monthly budget`
      : `${organization.name} reached ${threshold} % of its monthly budget`;
    this.transactions.afterCommit(async () => {
      for (const m of recipients) {
        await this.mail
          .send({
            to: m.email,
            subject,
            text: [
              `${whose} has spent $${b.spent.toFixed(2)} of its $${b.limit.toFixed(2)} monthly budget (${percent.toFixed(1)} %).`,
              stopped
                ? b.collection
                  ? 'The hard stop is on: runs of the prompts of this collection (playground, comparisons, test runs, evaluations) are refused until next month or until the budget is raised.'
                  : 'The hard stop is on: playground runs, comparisons, test runs and evaluations are refused until next month or until the budget is raised.'
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

  /** Every collection budget with this month's spend, percentage and crossed thresholds. */
  async listCollections(caller: Caller, now = new Date()): Promise<CollectionBudgetListDto> {
    const rows = await this.repo.collectionBudgets(caller.organizationId, monthStart(now));
    const crossed = await this.repo.notifiedByCollection(caller.organizationId, monthOf(now));
    return { items: rows.map((r) => toCollectionBudget(r, crossed.get(r.collection_id) ?? [])) };
  }

  /**
   * Sets a collection's budget (404 for a collection of no budget's organization; audited as
   * `budget.collection_updated`); thresholds the current spend already passes are notified now.
   */
  async putCollection(
    caller: Caller,
    collectionId: string,
    dto: PutCollectionBudgetDto,
    now = new Date(),
  ): Promise<CollectionBudgetResponseDto> {
    const name = await this.repo.collectionName(caller.organizationId, collectionId);
    if (name === undefined) throw notFound('Collection');
    const before = await this.repo.collectionBudget(caller.organizationId, collectionId, monthStart(now));
    const next = {
      monthlyLimitUsd: dto.monthlyLimitUsd,
      thresholds: [...(dto.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b),
      hardStop: dto.hardStop ?? false,
    };
    await this.repo.upsertCollection(caller.organizationId, collectionId, {
      ...next,
      updatedBy: caller.userId,
    });
    await this.audit.record({
      action: 'budget.collection_updated',
      target: { type: 'collection', id: collectionId },
      changes: {
        collectionName: name,
        from: before
          ? {
              monthlyLimitUsd: Number(before.monthly_limit_usd),
              thresholds: before.thresholds,
              hardStop: before.hard_stop,
            }
          : null,
        to: next,
      },
    });
    await this.checkThresholds(caller.organizationId, now);
    const row = await this.repo.collectionBudget(caller.organizationId, collectionId, monthStart(now));
    const crossed = await this.repo.notifiedByCollection(caller.organizationId, monthOf(now));
    return toCollectionBudget(row!, crossed.get(collectionId) ?? []);
  }

  /** Removes a collection's budget (404 when it has none; audited as `budget.collection_removed`). */
  async removeCollection(caller: Caller, collectionId: string, now = new Date()): Promise<void> {
    const before = await this.repo.collectionBudget(caller.organizationId, collectionId, monthStart(now));
    if (!before) throw notFound('Collection budget');
    await this.repo.deleteCollection(collectionId);
    await this.audit.record({
      action: 'budget.collection_removed',
      target: { type: 'collection', id: collectionId },
      changes: {
        collectionName: before.collection_name,
        from: {
          monthlyLimitUsd: Number(before.monthly_limit_usd),
          thresholds: before.thresholds,
          hardStop: before.hard_stop,
        },
      },
    });
  }

  /** Organizations that asked for the monthly report, and the once-per-month claim. */
  reportSubscribers(): Promise<string[]> {
    return this.repo.reportSubscribers();
  }

  claimReport(organizationId: string, month: string): Promise<boolean> {
    return this.repo.claimReport(organizationId, month);
  }
}

/** One budget as the threshold check sees it: the organization's (`collection` null) or a collection's. */
interface BudgetState {
  collection: { id: string; name: string } | null;
  limit: number;
  thresholds: number[];
  hardStop: boolean;
  spent: number;
}

function toCollectionBudget(r: CollectionBudgetRow, crossed: number[]): CollectionBudgetResponseDto {
  const limit = Number(r.monthly_limit_usd);
  return {
    collectionId: r.collection_id,
    collectionName: r.collection_name,
    monthlyLimitUsd: limit,
    thresholds: r.thresholds,
    hardStop: r.hard_stop,
    spentUsd: round2(r.spent),
    percent: round2((r.spent / limit) * 100),
    crossed,
  };
}
