import { AppException } from '../../common/errors/domain.exception';
import type { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import type { BulkPromptsDto } from './dto/prompts-bulk.dto';
import type { PromptAccess } from './prompt-access.service';
import type { PromptTagging } from './prompt-tagging.service';
import { PromptsBulkService } from './prompts-bulk.service';
import { PromptsRepository } from './prompts.repository';
import type { PromptsService } from './prompts.service';

const caller = {
  organizationId: 'org',
  userId: 'me',
  role: 'EDITOR',
  email: null,
  sessionId: null,
  apiKey: null,
} as const;

describe('PromptsBulkService', () => {
  const setup = (update: (caller: unknown, id: string) => Promise<unknown>) => {
    const statements: string[] = [];
    const transactions = {
      manager: { query: jest.fn((sql: string) => Promise.resolve(statements.push(sql) && [])) },
    } as unknown as TenantTransactions;
    const prompts = { update: jest.fn(update) } as unknown as PromptsService;
    const service = new PromptsBulkService(
      prompts,
      new PromptsRepository(transactions),
      {} as PromptAccess,
      {} as PromptTagging,
    );
    return { service, statements };
  };
  const dto = (ids: string[]): BulkPromptsDto => ({ ids, action: 'archive' });

  it('runs every id in its own savepoint and rolls back only the refused ones', async () => {
    const { service, statements } = setup((_caller, id) =>
      id === 'b'
        ? Promise.reject(new AppException('forbidden', 'Your role does not allow changing this prompt'))
        : Promise.resolve({}),
    );
    const result = await service.apply(caller, dto(['a', 'b', 'c']));
    expect(result).toEqual({
      succeeded: ['a', 'c'],
      failed: [{ id: 'b', status: 403, detail: 'Your role does not allow changing this prompt' }],
    });
    expect(statements).toEqual([
      // Every prompt locked, in id order, before the first write (PromptsRepository.lockVisibleMany).
      expect.stringContaining('ORDER BY p.id FOR UPDATE'),
      'SAVEPOINT bulk_item',
      'RELEASE SAVEPOINT bulk_item',
      'SAVEPOINT bulk_item',
      'ROLLBACK TO SAVEPOINT bulk_item',
      'SAVEPOINT bulk_item',
      'RELEASE SAVEPOINT bulk_item',
    ]);
  });

  it('fails the whole request on an unexpected error instead of hiding it in the results', async () => {
    const { service, statements } = setup(() => Promise.reject(new Error('connection lost')));
    await expect(service.apply(caller, dto(['a', 'b']))).rejects.toThrow('connection lost');
    expect(statements).toEqual([
      expect.stringContaining('ORDER BY p.id FOR UPDATE'),
      'SAVEPOINT bulk_item',
      'ROLLBACK TO SAVEPOINT bulk_item',
    ]);
  });

  it('refuses fields that do not belong to the action before touching any prompt', async () => {
    const { service, statements } = setup(() => Promise.resolve({}));
    await expect(service.apply(caller, { ids: ['a'], action: 'publish', tags: ['x'] })).rejects.toMatchObject(
      {
        code: 'validation_failed',
        errors: [{ field: 'tags', message: expect.any(String) }],
      },
    );
    await expect(service.apply(caller, { ids: ['a'], action: 'move' })).rejects.toMatchObject({
      errors: [{ field: 'collectionId', message: expect.any(String) }],
    });
    expect(statements).toEqual([]);
  });
});
