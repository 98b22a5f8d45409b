import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { chainHash, ChainedFields, GENESIS_HASH } from '../src/modules/audit/audit-chain';
import { AuditService } from '../src/modules/audit/audit.service';
import { AuditRetentionService } from '../src/modules/audit/retention/audit-retention.service';
import { auth, bootTestApp, signUpTeam, Team, TestApp } from './support/test-app';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../scripts/audit-verify.mjs');
const DAY = 24 * 3600 * 1000;

/** Runs `npm run audit:verify`'s script on a file; resolves with its exit code and output. */
async function auditVerify(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, ...args]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

describe('audit compliance: signed exports, offline verification, retention', () => {
  let t: TestApp;
  let team: Team;
  let other: Team;
  let dir: string;
  let keyFile: string;

  const get = (path: string, u = team.owner, org = team.org) =>
    t.http().get(`/api/v1${path}`).set(auth(u, org));

  /** Records events the way services do, with awkward changes the canonical form must handle. */
  async function record(
    org: string,
    userId: string,
    n: number,
    changes: (i: number) => Record<string, unknown>,
  ) {
    const audit = t.app.get(AuditService);
    await t.app.get(TenantTransactions).run({ organizationId: org, userId }, async () => {
      for (let i = 0; i < n; i++)
        await audit.record({
          action: i % 2 ? 'prompt.updated' : 'prompt.created',
          target: { type: 'prompt', id: `p${i}` },
          changes: changes(i),
          actor: { type: 'user', id: userId, email: null },
        });
    });
  }

  /**
   * As the schema owner: moves the organization's first `old` events `daysAgo` into the past and
   * rewrites the whole chain with correct hashes (what a chain recorded back then would hold).
   */
  async function backdate(org: string, old: number, daysAgo: number) {
    const { rows } = await t.owner.query(
      `SELECT * FROM audit_events WHERE organization_id = $1 ORDER BY seq`,
      [org],
    );
    let prev = GENESIS_HASH;
    for (const [i, r] of rows.entries()) {
      const occurredAt = i < old ? new Date(Date.now() - daysAgo * DAY + i * 1000) : new Date(r.occurred_at);
      const fields: ChainedFields = {
        organizationId: org,
        seq: Number(r.seq),
        occurredAt,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorEmail: r.actor_email,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
        changes: r.changes,
        hashVersion: Number(r.hash_version),
        personalHash: r.personal_hash,
      };
      const hash = chainHash(prev, fields);
      await t.owner.query(
        `UPDATE audit_events SET occurred_at = $3, prev_hash = $4, hash = $5 WHERE organization_id = $1 AND seq = $2`,
        [org, r.seq, occurredAt, prev, hash],
      );
      prev = hash;
    }
    return rows.length;
  }

  beforeAll(async () => {
    t = await bootTestApp({ runWorkers: false });
    team = await signUpTeam(t);
    other = await signUpTeam(t);
    dir = mkdtempSync(join(tmpdir(), 'pv-audit-'));
    await record(team.org, team.owner.userId, 12, (i) => ({
      title: { from: `=HYPERLINK("x")`, to: `Grüße ✓ ${i}` },
      nested: { z: 1, a: [true, null, { y: 'é', b: -0.5 }], m: 1e21 },
      n: i,
    }));
  });
  afterAll(() => t?.close());

  it('publishes the Ed25519 public key to OWNER and ADMIN only', async () => {
    const res = await get('/audit-events/public-key').expect(200);
    expect(res.body).toEqual({
      algorithm: 'Ed25519',
      publicKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/),
    });
    expect(createPublicKey(res.body.publicKey).asymmetricKeyType).toBe('ed25519');
    keyFile = join(dir, 'audit.pem');
    writeFileSync(keyFile, res.body.publicKey);
    await get('/audit-events/public-key', team.admin).expect(200);
    for (const u of [team.editor, team.viewer]) await get('/audit-events/public-key', u).expect(403);
    await t.http().get('/api/v1/audit-events/public-key').set('X-Organization-Id', team.org).expect(401);
    await get('/audit-events/public-key', team.outsider).expect(404);
  });

  let exported: string;
  it('exports JSON Lines with a signed manifest that audit:verify accepts', async () => {
    const res = await get('/audit-events/export?format=jsonl').expect(200);
    exported = res.text;
    const lines = exported
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = lines[lines.length - 1];
    const events = lines.slice(0, -1);
    expect(Object.keys(last.manifest)).toEqual([
      'organizationId',
      'from',
      'to',
      'count',
      'firstSeq',
      'lastSeq',
      'lastHash',
      'exportedAt',
      'redactedSeqs',
    ]);
    expect(last.manifest).toMatchObject({
      organizationId: team.org,
      from: null,
      to: null,
      count: events.length,
      firstSeq: 1,
      lastSeq: events[events.length - 1].seq,
      lastHash: events[events.length - 1].hash,
      redactedSeqs: [],
    });
    for (const e of events)
      expect(e).toEqual(
        expect.objectContaining({
          seq: expect.any(Number),
          hash: expect.any(String),
          prevHash: expect.any(String),
        }),
      );
    const key = createPublicKey(readKey());
    expect(
      verify(null, Buffer.from(JSON.stringify(last.manifest)), key, Buffer.from(last.signature, 'base64')),
    ).toBe(true);

    const file = join(dir, 'export.jsonl');
    writeFileSync(file, exported);
    const ok = await auditVerify([file, '--public-key', keyFile]);
    expect(ok.out).toMatch(
      new RegExp(`OK: ${events.length} event\\(s\\) of organization ${team.org} verified`),
    );
    expect(ok.code).toBe(0);
    // Without a key the chain is still checked, and the output says the signature was not.
    const unsigned = await auditVerify([file]);
    expect(unsigned.code).toBe(0);
    expect(unsigned.out).toContain('signatures NOT checked');
  });

  const readKey = () => readFileSync(keyFile, 'utf8');

  it('fails offline verification on one edited byte and names the line', async () => {
    const lines = exported.split('\n');
    // Line 5 (seq 5): one byte of the action changes.
    const idx = 4;
    const edited = lines[idx].replace('"action":"', '"action":"X');
    expect(edited).not.toBe(lines[idx]);
    const file = join(dir, 'edited.jsonl');
    writeFileSync(file, [...lines.slice(0, idx), edited, ...lines.slice(idx + 1)].join('\n'));
    const res = await auditVerify([file, '--public-key', keyFile]);
    expect(res.code).toBe(1);
    expect(res.out).toContain("line 5: (seq 5) hash does not match the event's content");

    // A removed line: the gap is named, and the signed manifest's count no longer holds.
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, [...lines.slice(0, 6), ...lines.slice(7)].join('\n'));
    const gap = await auditVerify([cut, '--public-key', keyFile]);
    expect(gap.code).toBe(1);
    expect(gap.out).toContain('line 7: (seq 8) follows seq 6 of line 6: 1 event(s) missing');
    expect(gap.out).toMatch(/manifest count is \d+, the file has \d+/);

    // An edited manifest fails its signature; another organization's key does not verify either.
    const manifestAt = lines.length - 2;
    const forged = lines[manifestAt].replace(/"exportedAt":"\d/, '"exportedAt":"1');
    const mf = join(dir, 'manifest.jsonl');
    writeFileSync(mf, [...lines.slice(0, manifestAt), forged, ''].join('\n'));
    const sig = await auditVerify([mf, '--public-key', keyFile]);
    expect(sig.code).toBe(1);
    expect(sig.out).toContain(`line ${manifestAt + 1}: the manifest signature does not verify`);
    const wrongKey = join(dir, 'wrong.pem');
    writeFileSync(wrongKey, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
    expect((await auditVerify([join(dir, 'export.jsonl'), '--public-key', wrongKey])).code).toBe(1);
  });

  it('filtered exports verify too, and redacted private-prompt events are listed in the manifest', async () => {
    const created = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(team.editor, team.org))
      .send({ title: 'Secret plan', content: 'hidden', visibility: 'private' })
      .expect(201);
    const res = await get('/audit-events/export?format=jsonl&action=prompt.*').expect(200);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const manifest = lines[lines.length - 1].manifest;
    const secret = lines.find((l) => l.target?.id === created.body.id);
    expect(secret.changes).toEqual({ redacted: 'private_prompt' });
    expect(manifest.redactedSeqs).toEqual([secret.seq]);
    const file = join(dir, 'filtered.jsonl');
    writeFileSync(file, res.text);
    const ok = await auditVerify([file, '--public-key', keyFile]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('1 redacted event(s)');
  });

  it('neutralizes formula cells in CSV and supports free text over changes', async () => {
    const csv = await get('/audit-events/export?format=csv&action=prompt.created').expect(200);
    const rows = csv.text.trim().split('\r\n');
    expect(rows.length).toBeGreaterThanOrEqual(1 + 6 + 1); // header, 6 recorded, the private prompt
    // The recorded title starts with "=": inside the JSON cell it is not at the start, so no prefix there.
    expect(csv.text).toContain('""from"":""=HYPERLINK(\\""x\\"")""');
    // An actor e-mail or value starting with = + - @ would be run by a spreadsheet: prefixed with '.
    await record(team.org, team.owner.userId, 1, () => ({ note: 'x' }));
    const { rows: maxRows } = await t.owner.query(
      `SELECT max(seq)::int AS seq FROM audit_events WHERE organization_id = $1`,
      [team.org],
    );
    const tamperedSeq: number = maxRows[0].seq;
    await t.owner.query(
      `UPDATE audit_events SET target_id = '=cmd|'' /C calc''!A0', user_agent = '+1', ip = '-2', request_id = '@SUM(1)'
        WHERE organization_id = $1 AND seq = (SELECT max(seq) FROM audit_events WHERE organization_id = $1)`,
      [team.org],
    );
    const tampered = await get('/audit-events/export?format=csv&action=prompt.created').expect(200);
    const last = tampered.text.trim().split('\r\n').pop()!;
    expect(last).toContain(`'=cmd|' /C calc'!A0`);
    expect(last).toContain(",'-2,'+1,'@SUM(1),");
    // Free text (q) searches the changes, case-insensitively.
    const found = await get('/audit-events?q=gr%C3%BC%C3%9Fe%20%E2%9C%93%203').expect(200);
    expect(found.body.items.map((e: { target: { id: string } }) => e.target.id)).toEqual(['p3']);
    // A private prompt's hidden changes never match another reader's text search.
    const hidden = await get('/audit-events?q=secret%20plan').expect(200);
    expect(hidden.body.items).toEqual([]);
    await get(`/audit-events?q=${'x'.repeat(201)}`).expect(400);
    // Drop the tampered row and what followed it (the tail) so the chain verifies again below.
    await t.owner.query(`DELETE FROM audit_events WHERE organization_id = $1 AND seq >= $2`, [
      team.org,
      tamperedSeq,
    ]);
  });

  it('finds the tampered seq online and offline', async () => {
    expect((await get('/audit-events/verify').expect(200)).body.valid).toBe(true);
    const { rows: original } = await t.owner.query(
      `SELECT changes FROM audit_events WHERE organization_id = $1 AND seq = 9`,
      [team.org],
    );
    expect(original[0].changes.n).toEqual(expect.any(Number));
    await t.owner.query(
      `UPDATE audit_events SET changes = jsonb_set(changes, '{n}', '99') WHERE organization_id = $1 AND seq = 9`,
      [team.org],
    );
    expect((await get('/audit-events/verify').expect(200)).body).toMatchObject({
      valid: false,
      brokenAtSeq: 9,
    });
    const res = await get('/audit-events/export?format=jsonl').expect(200);
    const file = join(dir, 'tampered.jsonl');
    writeFileSync(file, res.text);
    const out = await auditVerify([file, '--public-key', keyFile]);
    expect(out.code).toBe(1);
    expect(out.out).toContain("line 9: (seq 9) hash does not match the event's content");
    await t.owner.query(`UPDATE audit_events SET changes = $2 WHERE organization_id = $1 AND seq = 9`, [
      team.org,
      original[0].changes,
    ]);
    expect((await get('/audit-events/verify').expect(200)).body.valid).toBe(true);
  });

  describe('retention', () => {
    const retention = (org = team.org) => `/api/v1/organizations/${org}/audit-retention`;
    const put = (body: unknown, u = team.owner, org = team.org) =>
      t
        .http()
        .put(retention(org))
        .set(auth(u, org))
        .send(body as object);

    it('reads the setting and the plan bound; PUT is bounded by plan and audited', async () => {
      expect((await t.http().get(retention()).set(auth(team.owner)).expect(200)).body).toEqual({
        days: null,
        planMaxDays: 30,
        effectiveDays: 30,
      });
      const over = await put({ days: 31 }).expect(403);
      expect(over.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'auditRetention',
        plan: 'free',
        max: 30,
        current: 31,
      });
      expect(
        (
          await t.owner.query(`SELECT count(*)::int AS n FROM audit_settings WHERE organization_id = $1`, [
            team.org,
          ])
        ).rows[0].n,
      ).toBe(0);

      await t.owner.query(`UPDATE organizations SET plan = 'pro' WHERE id = $1`, [team.org]);
      expect((await put({ days: 200 }, team.admin).expect(200)).body).toEqual({
        days: 200,
        planMaxDays: 365,
        effectiveDays: 200,
      });
      await t.owner.query(`UPDATE organizations SET plan = 'enterprise' WHERE id = $1`, [team.org]);
      expect((await put({ days: null }).expect(200)).body).toEqual({
        days: null,
        planMaxDays: null,
        effectiveDays: null,
      });
      await t.owner.query(`UPDATE organizations SET plan = 'free' WHERE id = $1`, [team.org]);
      expect((await put({ days: 7 }).expect(200)).body).toEqual({
        days: 7,
        planMaxDays: 30,
        effectiveDays: 7,
      });
      const stored = await t.owner.query(
        `SELECT retention_days FROM audit_settings WHERE organization_id = $1`,
        [team.org],
      );
      expect(stored.rows[0].retention_days).toBe(7);

      const events = await get('/audit-events?action=audit.retention_changed').expect(200);
      expect(events.body.items.map((e: { changes: unknown }) => e.changes)).toEqual([
        { days: { from: null, to: 7 }, planMaxDays: 30 },
        { days: { from: 200, to: null }, planMaxDays: null },
        { days: { from: null, to: 200 }, planMaxDays: 365 },
      ]);
      expect(events.body.items[2].actor.id).toBe(team.admin.userId);
    });

    it('refuses bad input, other roles, anonymous callers and other tenants', async () => {
      for (const body of [
        { days: 0 },
        { days: 1.5 },
        { days: '7' },
        {},
        { days: 7, extra: 1 },
        { days: 40000 },
      ])
        expect((await put(body).expect(400)).body.code).toBe('validation_failed');
      for (const u of [team.editor, team.viewer]) {
        await put({ days: 5 }, u).expect(403);
        await t.http().get(retention()).set(auth(u, team.org)).expect(403);
      }
      await t.http().put(retention()).send({ days: 5 }).expect(401);
      await t.http().get(retention()).expect(401);
      // An outsider naming this organization, or a member naming another one: 404.
      await put({ days: 5 }, team.outsider, team.org).expect(404);
      await t.http().get(retention(other.org)).set(auth(team.owner, other.org)).expect(404);
      await t
        .http()
        .get('/api/v1/organizations/not-a-uuid/audit-retention')
        .set(auth(team.owner))
        .expect(400);
      const stored = await t.owner.query(
        `SELECT retention_days FROM audit_settings WHERE organization_id = $1`,
        [team.org],
      );
      expect(stored.rows[0].retention_days).toBe(7);
    });

    it('deletes old events in batches behind a signed checkpoint; verify and audit:verify still pass', async () => {
      const total = await backdate(team.org, 10, 40); // 10 events older than 7 days
      const otherTotal = await backdate(other.org, 3, 20); // the other organization: free plan, 30 days: nothing to delete
      expect((await get('/audit-events/verify').expect(200)).body).toMatchObject({
        valid: true,
        checked: total,
      });

      const job = t.app.get(AuditRetentionService);
      const deleted = await job.pruneAll(new Date(), 4); // batches of 4: 4 + 4 + 2
      expect(deleted).toBe(10);
      const left = await t.owner.query(
        `SELECT min(seq)::int AS min, count(*)::int AS n FROM audit_events WHERE organization_id = $1`,
        [team.org],
      );
      expect(left.rows[0]).toEqual({ min: 11, n: total - 10 });
      expect(
        (
          await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1`, [
            other.org,
          ])
        ).rows[0].n,
      ).toBe(otherTotal);
      const [cp] = (
        await t.owner.query(
          `SELECT seq, hash, signature, deleted_count, created_at FROM audit_checkpoints WHERE organization_id = $1`,
          [team.org],
        )
      ).rows;
      expect(Number(cp.seq)).toBe(10);
      expect(Number(cp.deleted_count)).toBe(10);
      const payload = {
        organizationId: team.org,
        seq: 10,
        hash: cp.hash,
        createdAt: new Date(cp.created_at).toISOString(),
      };
      expect(
        verify(
          null,
          Buffer.from(JSON.stringify(payload)),
          createPublicKey(readKey()),
          Buffer.from(cp.signature, 'base64'),
        ),
      ).toBe(true);

      expect((await get('/audit-events/verify').expect(200)).body).toEqual({
        valid: true,
        checked: total - 10,
        checkpointSeq: 10,
      });
      // A second run has nothing left to do.
      expect(await job.pruneAll(new Date(), 4)).toBe(0);

      const res = await get('/audit-events/export?format=jsonl').expect(200);
      const lines = res.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines[0]).toEqual({ checkpoint: payload, signature: cp.signature });
      expect(lines[1].seq).toBe(11);
      const file = join(dir, 'after-retention.jsonl');
      writeFileSync(file, res.text);
      const ok = await auditVerify([file, '--public-key', keyFile]);
      expect(ok.out).toContain('(after retention checkpoint seq 10)');
      expect(ok.code).toBe(0);

      // A checkpoint rewritten by hand no longer verifies, online or offline.
      const forged = lines[0].checkpoint;
      const text = [
        JSON.stringify({ checkpoint: { ...forged, seq: 9 }, signature: lines[0].signature }),
        ...res.text.split('\n').slice(1),
      ].join('\n');
      writeFileSync(join(dir, 'forged.jsonl'), text);
      const bad = await auditVerify([join(dir, 'forged.jsonl'), '--public-key', keyFile]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('line 1: the checkpoint signature does not verify');
      await t.owner.query(`UPDATE audit_checkpoints SET seq = 9 WHERE organization_id = $1`, [team.org]);
      expect((await get('/audit-events/verify').expect(200)).body).toMatchObject({
        valid: false,
        brokenAtSeq: 10,
      });
      await t.owner.query(`UPDATE audit_checkpoints SET seq = 10 WHERE organization_id = $1`, [team.org]);
    });

    it('keeps the runtime role from deleting audit events except below a checkpoint of an old event', async () => {
      const tx = t.app.get(TenantTransactions);
      await expect(
        tx.run({ organizationId: team.org, userId: team.owner.userId }, (em) =>
          em.query(`DELETE FROM audit_events WHERE organization_id = $1`, [team.org]),
        ),
      ).rejects.toThrow(/permission denied/);
      const [recent] = (
        await t.owner.query(
          `SELECT seq, hash FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`,
          [team.org],
        )
      ).rows;
      await expect(
        tx.run({ organizationId: team.org, userId: team.owner.userId }, (em) =>
          em.query(`SELECT app_audit_prune($1, $2, now(), 'sig')`, [recent.seq, recent.hash]),
        ),
      ).rejects.toThrow(/older than a day/);
      expect((await get('/audit-events/verify').expect(200)).body.valid).toBe(true);
    });
  });
});
