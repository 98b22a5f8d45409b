import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { isOwnerRole } from '../../authz/roles';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { WITH_WORKERS } from '../../queue/workers';
import { MailService } from '../mail/mail.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { AnalyticsReports } from './analytics-report';
import { BudgetService } from './budget.service';
import { addMonths, monthOf } from './usage.sql';

/**
 * The monthly report (opt-in: `monthlyReport` in the budget settings): on the 1st, last month's
 * PDF report is e-mailed to the organization's OWNERs, once per month and organization.
 */
@Injectable()
export class MonthlyReportJob {
  private readonly logger = new Logger('MonthlyReport');

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly budgets: BudgetService,
    private readonly reports: AnalyticsReports,
    private readonly organizations: OrganizationsService,
    private readonly mail: MailService,
  ) {}

  @Cron('0 6 1 * *', { name: 'usage-monthly-report', ...WITH_WORKERS })
  async scheduled(): Promise<void> {
    try {
      const sent = await this.run();
      this.logger.log(`monthly usage reports: ${sent} organizations`);
    } catch (err) {
      this.logger.error({ err }, 'monthly usage reports failed; the next run retries what was not sent');
    }
  }

  /** Sends last month's report to every subscribed organization not yet served; returns how many. */
  async run(now = new Date()): Promise<number> {
    const to = new Date(`${monthOf(now)}T00:00:00Z`);
    const from = addMonths(to, -1);
    const month = monthOf(from);
    const organizations = await this.transactions.run(
      { organizationId: null, userId: null, system: true },
      () => this.budgets.reportSubscribers(),
    );
    let sent = 0;
    for (const organizationId of organizations) {
      try {
        const done = await this.transactions.run({ organizationId, userId: null }, async () => {
          if (!(await this.budgets.claimReport(organizationId, month))) return false;
          const organization = await this.organizations.get(organizationId);
          const owners = (await this.organizations.members(organizationId)).filter((m) =>
            isOwnerRole(m.role),
          );
          const data = await this.reports.data({ organizationId }, organization.name, { from, to });
          const pdf = await this.reports.pdf(data);
          const label = month.slice(0, 7);
          this.transactions.afterCommit(async () => {
            for (const owner of owners)
              await this.mail.send({
                to: owner.email,
                subject: `${organization.name}: usage report for ${label}`,
                text: [
                  `Usage of ${organization.name} in ${label}: ${data.summary.runs} runs, ${data.summary.fetches} fetches, $${data.summary.costUsd.toFixed(2)}.`,
                  'The full report is attached. Turn these mails off in the budget settings of the Analytics page.',
                ].join('\n'),
                attachments: [
                  { filename: `usage-${label}.pdf`, content: pdf, contentType: 'application/pdf' },
                ],
              });
          });
          return true;
        });
        if (done) sent++;
      } catch (err) {
        this.logger.warn({ err, organizationId }, 'monthly usage report failed for an organization');
      }
    }
    return sent;
  }
}
