import { Module } from '@nestjs/common';
import { MasterKey } from './master-key';
import { MasterKeyRotation } from './master-key-rotation';

/** Secrets sealed at rest under the master key, and their rotation (`npm run keys:rotate`). */
@Module({
  providers: [MasterKey, MasterKeyRotation],
  exports: [MasterKey, MasterKeyRotation],
})
export class MasterKeyModule {}
