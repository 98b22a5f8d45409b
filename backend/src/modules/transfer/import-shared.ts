import { Logger } from '@nestjs/common';
import { DomainException } from '../../common/errors/domain.exception';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { ImportRecord, ImportVersion } from './formats/import-record';
import { ImportAction, ImportRecordRow, RowOutcome } from './import-rows.repository';
import { ImportRow, ImportsRepository } from './imports.repository';

/** What happened to one row of an import at commit. */
export interface Outcome {
  outcome: RowOutcome;
  action: ImportAction;
  promptId: string | null;
  detail: string | null;
}

/** A row's failure as its `detail` shows it: the domain code, message and field errors. */
export const describe = (err: unknown): string => {
  if (err instanceof DomainException) {
    const fields = err.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    return `${err.code}: ${err.message}${fields ? ` (${fields})` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
};

/** The outcome of a row that writes nothing: it has errors, or is a duplicate to skip. */
export function skipped(r: ImportRecordRow): Outcome {
  if (!r.data) return { outcome: 'skipped', action: 'skip', promptId: null, detail: 'the row has errors' };
  return {
    outcome: 'skipped',
    action: 'skip',
    promptId: null,
    detail: `duplicate slug (${r.duplicate === 'file' ? 'earlier in the file' : 'an existing prompt'})`,
  };
}

/** The versioned fields of a record or of one of its versions. */
export function versionFields(v: ImportVersion | ImportRecord) {
  return {
    title: v.title,
    description: v.description,
    content: v.content,
    variables: v.variables,
    metadata: v.metadata,
  };
}

/** The record's tags and the import's own, each name once (the first spelling wins). */
export function tagsOf(record: ImportRecord, imp: ImportRow): string[] {
  const byLower = new Map<string, string>();
  for (const t of [...record.tags, ...(imp.tags ?? [])])
    if (!byLower.has(t.toLowerCase())) byLower.set(t.toLowerCase(), t);
  return [...byLower.values()];
}

/** Marks a validating or importing import failed with `message` (its job cannot go on); its uploaded file goes. */
export async function failImport(
  transactions: TenantTransactions,
  imports: ImportsRepository,
  logger: Logger,
  organizationId: string,
  importId: string,
  message: string,
): Promise<void> {
  logger.warn({ importId, message }, 'import stopped');
  await transactions.run({ organizationId, userId: null }, async () => {
    const imp = await imports.find(importId, true);
    if (imp && (imp.status === 'validating' || imp.status === 'importing')) {
      await imports.update(importId, { status: 'failed', error: message });
      await imports.dropFile(importId);
    }
  });
}

/** Status, the one `import.completed` audit event and its outbox row (webhooks), once. */
export async function completeImport(
  imports: ImportsRepository,
  audit: AuditService,
  outbox: OutboxService,
  imp: ImportRow,
): Promise<void> {
  const counts = await imports.counts(imp);
  await imports.update(imp.id, { status: 'done', completed_at: new Date() });
  const summary = {
    importId: imp.id,
    filename: imp.filename,
    format: imp.format,
    onDuplicate: imp.on_duplicate,
    counts: {
      total: counts.total,
      created: counts.created,
      updated: counts.updated,
      skipped: counts.skipped,
      failed: counts.failed,
    },
  };
  await audit.record({
    action: 'import.completed',
    target: { type: 'import', id: imp.id },
    changes: summary,
  });
  await outbox.publish({
    type: 'import.completed',
    aggregateType: 'import',
    aggregateId: imp.id,
    payload: summary,
  });
}
