import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PromptDataModule } from '../prompts/prompt-data.module';
import { PromptsModule } from '../prompts/prompts.module';
import { SearchModule } from '../search/search.module';
import { TaxonomyModule } from '../taxonomy/taxonomy.module';
import { VersionsModule } from '../versions/versions.module';
import { ExportRunner } from './export-runner';
import { ExportsRepository } from './exports.repository';
import { ExportsService } from './exports.service';
import { ImportRowWriter } from './import-row-writer';
import { ImportRunner } from './import-runner';
import { ImportValidation } from './import-validation';
import { ImportRowsRepository } from './import-rows.repository';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';
import { JobCallers } from './job-caller';
import { ExportsController, ImportsController } from './transfer.controller';
import { TransferProcessor, TransferSweeper } from './transfer.processor';
import { TransferBlobs } from './transfer-blobs.repository';
import { TransferLookups } from './transfer-lookups.repository';

/**
 * Bulk import and export (docs/import-export.md). Prompts are created through PromptsService and
 * VersionsService, categories and collections through their services; this module owns only its
 * own tables (imports, import_rows, exports, transfer_blobs).
 */
@Module({
  imports: [
    AuditModule,
    BillingModule,
    OrganizationsModule,
    OutboxModule,
    PromptDataModule,
    PromptsModule,
    SearchModule,
    TaxonomyModule,
    VersionsModule,
  ],
  controllers: [ImportsController, ExportsController],
  providers: [
    ImportsService,
    ImportsRepository,
    ImportRowsRepository,
    ImportRunner,
    ImportRowWriter,
    ImportValidation,
    ExportsService,
    ExportsRepository,
    ExportRunner,
    TransferBlobs,
    TransferLookups,
    JobCallers,
    TransferProcessor,
    TransferSweeper,
  ],
})
export class TransferModule {}
