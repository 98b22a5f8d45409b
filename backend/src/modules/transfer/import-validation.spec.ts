import type { Caller } from '../../common/context/request-context';
import type { AppConfig } from '../../config/app-config';
import type { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { ImportValidation } from './import-validation';
import type { ImportRowsRepository, NewImportRecordRow } from './import-rows.repository';
import type { ImportRow, ImportsRepository } from './imports.repository';
import type { JobCallers } from './job-caller';
import type { TransferBlobs } from './transfer-blobs.repository';
import type { TransferLookups } from './transfer-lookups.repository';

const HEADER =
  'slug,title,description,content,tags,category,collection,status,visibility,model,temperature,maxTokens';
const csv = (rows: number, tail = '') =>
  Buffer.from(
    [HEADER, ...Array.from({ length: rows }, (_, i) => `p-${i},Prompt ${i},,Text {{x}} ${i},,,,,,,,`)].join(
      '\n',
    ) +
      '\n' +
      tail,
  );

/**
 * ImportValidation over fakes: the file's chunks, and repositories recording the rows inserted
 * (or failing the `failAt`-th row INSERT, as a database error would); `maxRows` is IMPORT_MAX_ROWS.
 */
function validation(file: Buffer[], failAt?: number, maxRows = 500_000) {
  const inserted: number[][] = [];
  const calls: string[] = [];
  const imp = {
    id: 'import-1',
    organization_id: 'org-1',
    created_by: 'user-1',
    format: 'csv',
    filename: 'f.csv',
    blob_id: 'blob-1',
    status: 'validating',
  } as ImportRow;
  const imports = {
    find: () => Promise.resolve(imp),
    storeCounts: () => Promise.resolve(),
    update: (_id: string, set: object) => (calls.push(`update ${JSON.stringify(set)}`), Promise.resolve()),
    dropFile: () => (calls.push('drop file'), Promise.resolve()),
  } as unknown as ImportsRepository;
  const importRows = {
    clear: () => (calls.push('clear'), Promise.resolve()),
    insert: async (_org: string, _id: string, rows: NewImportRecordRow[]) => {
      // The statement takes a while: the next batch is read meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (inserted.length + 1 === failAt) throw new Error('insert failed');
      if (rows.length) inserted.push(rows.map((r) => r.row));
    },
    markDuplicates: () => (calls.push('duplicates'), Promise.resolve()),
  } as unknown as ImportRowsRepository;
  const blobs = {
    chunks: async function* () {
      for (const chunk of file) yield chunk;
    },
  } as unknown as TransferBlobs;
  const lookups = { categories: () => Promise.resolve(new Map()) } as unknown as TransferLookups;
  const callers = {
    run: (_org: string, _user: string, work: (caller: Caller) => Promise<unknown>) =>
      work({ role: 'EDITOR', organizationId: 'org-1', userId: 'user-1' } as Caller),
  } as unknown as JobCallers;
  const service = new ImportValidation(
    imports,
    importRows,
    blobs,
    lookups,
    callers,
    {} as TenantTransactions,
    { transfer: { importMaxRows: maxRows } } as AppConfig,
  );
  return { service, inserted, calls };
}

describe('ImportValidation', () => {
  it('inserts every row in order, in batches of 500, while reading the file on', async () => {
    const file = csv(1200);
    const { service, inserted, calls } = validation([file.subarray(0, 70_000), file.subarray(70_000)]);
    await service.validate('org-1', 'import-1', 'user-1');
    expect(inserted.map((b) => b.length)).toEqual([500, 500, 200]);
    expect(inserted.flat()).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect(calls.slice(-2)).toEqual([expect.stringMatching(/"status":"ready"/), 'drop file']);
  });

  it('takes a file of exactly IMPORT_MAX_ROWS records, and fails one with more at the first over', async () => {
    const full = validation([csv(1000)], undefined, 1000);
    await full.service.validate('org-1', 'import-1', 'user-1');
    expect(full.inserted.flat()).toHaveLength(1000);
    expect(full.calls.slice(-2)).toEqual([expect.stringMatching(/"status":"ready"/), 'drop file']);

    const over = validation([csv(1001), csv(5000)], undefined, 1000);
    await over.service.validate('org-1', 'import-1', 'user-1');
    // The 1,001st record fails the file: its rows are cleared, nothing is marked ready.
    expect(over.calls).toEqual([
      'clear',
      'clear',
      `update ${JSON.stringify({
        status: 'failed',
        error:
          'The file holds more than 1,000 prompts, the most one import takes (IMPORT_MAX_ROWS); split it into files of at most 1,000',
      })}`,
      'drop file',
    ]);
    expect(over.inserted.flat().length).toBeLessThanOrEqual(1000);
  });

  it('reports a failed INSERT, not what went wrong after it, and marks nothing ready', async () => {
    const { service, calls } = validation([csv(1200)], 2);
    await expect(service.validate('org-1', 'import-1', 'user-1')).rejects.toThrow('insert failed');
    expect(calls).toEqual(['clear']);
    // The file ends in an unterminated quote (a file error) after the INSERT that failed.
    const broken = validation([csv(700, '"p-x,unterminated')], 1);
    await expect(broken.service.validate('org-1', 'import-1', 'user-1')).rejects.toThrow('insert failed');
  });
});
