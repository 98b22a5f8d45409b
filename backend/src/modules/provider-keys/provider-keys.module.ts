import { Module } from '@nestjs/common';
import { MasterKeyModule } from '../../common/security/master-key.module';
import { AuditModule } from '../audit/audit.module';
import { ProviderKeysController } from './provider-keys.controller';
import { ProviderKeysRepository } from './provider-keys.repository';
import { ProviderKeysService } from './provider-keys.service';

/** The organization's own model provider keys, encrypted at rest (docs/playground.md). */
@Module({
  imports: [AuditModule, MasterKeyModule],
  controllers: [ProviderKeysController],
  providers: [ProviderKeysService, ProviderKeysRepository],
  exports: [ProviderKeysService],
})
export class ProviderKeysModule {}
