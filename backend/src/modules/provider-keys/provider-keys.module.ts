import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProviderKeyRotation } from './provider-key-rotation';
import { ProviderKeySecrets } from './provider-key-secrets';
import { ProviderKeysController } from './provider-keys.controller';
import { ProviderKeysRepository } from './provider-keys.repository';
import { ProviderKeysService } from './provider-keys.service';

/** The organization's own model provider keys, encrypted at rest (docs/playground.md). */
@Module({
  imports: [AuditModule],
  controllers: [ProviderKeysController],
  providers: [ProviderKeysService, ProviderKeysRepository, ProviderKeySecrets, ProviderKeyRotation],
  exports: [ProviderKeysService, ProviderKeyRotation],
})
export class ProviderKeysModule {}
