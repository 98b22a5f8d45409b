import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditIntegrity } from './audit-integrity';
import { AuditSigner } from './audit-signer';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditIntegrity, AuditSigner],
  exports: [AuditService, AuditIntegrity, AuditSigner],
})
export class AuditModule {}
