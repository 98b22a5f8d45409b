import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { AnalyticsReports } from './analytics-report';
import {
  AnalyticsController,
  BudgetController,
  PromptUsageController,
  UsageController,
} from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { MonthlyReportJob } from './monthly-report.job';
import { UsageModule } from './usage.module';

/** Usage analytics, POST /usage, budgets and reports (docs/analytics.md). */
@Module({
  imports: [UsageModule, PromptDataModule, OrganizationsModule, MailModule],
  controllers: [AnalyticsController, PromptUsageController, UsageController, BudgetController],
  providers: [AnalyticsRepository, AnalyticsService, AnalyticsReports, MonthlyReportJob],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}
