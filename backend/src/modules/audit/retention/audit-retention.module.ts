import { Module } from '@nestjs/common';
import { BillingModule } from '../../billing/billing.module';
import { AuditModule } from '../audit.module';
import { AuditRetentionController } from './audit-retention.controller';
import { AuditRetentionRepository } from './audit-retention.repository';
import { AuditRetentionService } from './audit-retention.service';

/**
 * Audit retention: its own module because it reads the plan (BillingModule), which itself records
 * audit events (AuditModule).
 */
@Module({
  imports: [AuditModule, BillingModule],
  controllers: [AuditRetentionController],
  providers: [AuditRetentionRepository, AuditRetentionService],
  exports: [AuditRetentionService],
})
export class AuditRetentionModule {}
