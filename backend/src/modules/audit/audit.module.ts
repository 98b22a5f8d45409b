import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditIntegrity } from './audit-integrity';
import { AuditPersonalData } from './audit-personal-data';
import { AuditQueryService } from './audit-query.service';
import { AuditSigner } from './audit-signer';
import { AuditService } from './audit.service';

/**
 * The audit trail: `AuditService` records (every module), `AuditQueryService` reads,
 * `AuditPersonalData` erases personal data (GDPR), `AuditIntegrity` verifies the chain.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditQueryService, AuditPersonalData, AuditIntegrity, AuditSigner],
  exports: [AuditService, AuditQueryService, AuditPersonalData, AuditIntegrity, AuditSigner],
})
export class AuditModule {}
