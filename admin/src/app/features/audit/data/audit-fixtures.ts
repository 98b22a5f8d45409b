import { AuditEvent } from './audit.api';

/** Test data shared by the audit specs (not part of the console's behaviour). */

export const event = (seq: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `e${seq}`,
  seq,
  occurredAt: '2026-12-01T10:00:00.000Z',
  actor: { type: 'user', id: 'u1', email: 'ada@example.com' },
  action: 'prompt.updated',
  target: { type: 'prompt', id: 'p1' },
  ip: '127.0.0.1',
  userAgent: 'test',
  requestId: 'r1',
  changes: { title: { from: 'a', to: 'b' } },
  hash: 'h'.repeat(64),
  prevHash: 'p'.repeat(64),
  hashVersion: 1,
  personalHash: null,
  personalSalt: null,
  ...overrides,
});
