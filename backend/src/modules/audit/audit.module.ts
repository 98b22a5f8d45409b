import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditSigner } from './audit-signer';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditSigner],
  exports: [AuditService, AuditSigner],
})
export class AuditModule {}
