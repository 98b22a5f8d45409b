import {
  canonicalJson,
  chainHash,
  ChainedFields,
  GENESIS_HASH,
  personalCommitment,
  verifySegment,
} from './audit-chain';

const base = (seq: number): ChainedFields => ({
  organizationId: '7d0c1f6e-7a8e-4d6b-9d0e-3f0b6c1e2a11',
  seq,
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
  actorType: 'user',
  actorId: '2b1f0c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
  actorEmail: 'ada@example.com',
  action: 'prompt.updated',
  targetType: 'prompt',
  targetId: `p-${seq}`,
  ip: '127.0.0.1',
  userAgent: 'jest',
  requestId: `req-${seq}`,
  changes: { title: { from: 'a', to: 'b' }, n: seq },
});

function chain(n: number) {
  const rows: Array<ChainedFields & { prevHash: string; hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const row = base(seq);
    const hash = chainHash(prev, row);
    rows.push({ ...row, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('audit chain', () => {
  it('canonical JSON ignores key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  it('hash depends on the previous hash and on every field', () => {
    const row = base(1);
    const h = chainHash(GENESIS_HASH, row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('f'.repeat(64), row)).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...row, ip: '10.0.0.1' })).not.toBe(h);
    expect(chainHash(GENESIS_HASH, { ...row, changes: { n: 1, title: { to: 'b', from: 'a' } } })).toBe(h);
  });

  it('accepts an intact chain', () => {
    const rows = chain(5);
    expect(verifySegment(rows, { seq: 0, hash: GENESIS_HASH })).toEqual({
      brokenAtSeq: null,
      last: { seq: 5, hash: rows[4].hash },
    });
  });

  it('finds an edited row, a removed row and a re-linked row', () => {
    const edited = chain(5);
    edited[2] = { ...edited[2], action: 'prompt.deleted' };
    expect(verifySegment(edited, { seq: 0, hash: GENESIS_HASH }).brokenAtSeq).toBe(3);

    const removed = chain(5);
    removed.splice(1, 1);
    expect(verifySegment(removed, { seq: 0, hash: GENESIS_HASH }).brokenAtSeq).toBe(2);

    const relinked = chain(5);
    relinked[3] = { ...relinked[3], prevHash: GENESIS_HASH };
    expect(verifySegment(relinked, { seq: 0, hash: GENESIS_HASH }).brokenAtSeq).toBe(4);
  });

  describe('version 2: personal data behind a salted commitment', () => {
    const salt = 'ab'.repeat(16);
    const v2 = (seq: number): ChainedFields & { personalSalt: string | null } => {
      const row = base(seq);
      return {
        ...row,
        hashVersion: 2,
        personalHash: personalCommitment(salt, row),
        personalSalt: salt,
      };
    };

    it('hashes the commitment, not the personal values', () => {
      const row = v2(1);
      const h = chainHash(GENESIS_HASH, row);
      expect(h).not.toBe(chainHash(GENESIS_HASH, base(1)));
      // Erased values (and salt) leave the hash as it was.
      expect(chainHash(GENESIS_HASH, { ...row, actorEmail: null, ip: null, userAgent: null })).toBe(h);
      expect(chainHash(GENESIS_HASH, { ...row, personalHash: 'f'.repeat(64) })).not.toBe(h);
      expect(chainHash(GENESIS_HASH, { ...row, action: 'prompt.deleted' })).not.toBe(h);
    });

    it('the commitment depends on the salt and on every personal value', () => {
      const row = base(1);
      const c = personalCommitment(salt, row);
      expect(personalCommitment('cd'.repeat(16), row)).not.toBe(c);
      expect(personalCommitment(salt, { ...row, ip: '10.0.0.2' })).not.toBe(c);
      expect(personalCommitment(salt, { ...row, actorEmail: 'eve@example.com' })).not.toBe(c);
      expect(personalCommitment(salt, { ...row, userAgent: null })).not.toBe(c);
    });

    it('verifies a chain with held and erased personal data, and finds a changed value', () => {
      const rows: Array<ChainedFields & { prevHash: string; hash: string; personalSalt: string | null }> = [];
      let prev = GENESIS_HASH;
      for (let seq = 1; seq <= 4; seq++) {
        const row = v2(seq);
        const hash = chainHash(prev, row);
        rows.push({ ...row, prevHash: prev, hash });
        prev = hash;
      }
      rows[1] = { ...rows[1], actorEmail: null, ip: null, userAgent: null, personalSalt: null };
      expect(verifySegment(rows, { seq: 0, hash: GENESIS_HASH }).brokenAtSeq).toBeNull();
      const changed = rows.map((r, i) => (i === 2 ? { ...r, ip: '10.9.9.9' } : r));
      expect(verifySegment(changed, { seq: 0, hash: GENESIS_HASH }).brokenAtSeq).toBe(3);
    });
  });
});
