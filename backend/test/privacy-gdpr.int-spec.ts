import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { rechainUnderVersion2 } from '../src/database/migrations/1763901200000-privacy';
import { chainHash, ChainedFields, GENESIS_HASH } from '../src/modules/audit/audit-chain';
import { SessionsService } from '../src/modules/auth/sessions.service';
import { auth, bootTestApp, signUp, signUpTeam, SignedUpUser, Team, TestApp } from './support/test-app';

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, '../../scripts/audit-verify.mjs');
const PASSWORD = 'correct horse battery';

async function auditVerify(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, ...args]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

describe('GDPR: personal data export and erasure', () => {
  let t: TestApp;
  let team: Team;
  let dir: string;
  /** What the editor (the user who erases their account) did, with a user agent of their own. */
  const editorAgent = `EditorBrowser/${randomBytes(6).toString('hex')}`;
  let editorSession: { accessToken: string; refreshToken: string };
  let promptId: string;
  let privatePromptId: string;
  let apiKey: string;

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const asEditor = () => ({ ...auth(team.editor, team.org), 'User-Agent': editorAgent });

  beforeAll(async () => {
    t = await bootTestApp({ runWorkers: false });
    team = await signUpTeam(t);
    dir = mkdtempSync(join(tmpdir(), 'pv-gdpr-'));
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .set('User-Agent', editorAgent)
      .send({ email: team.editor.email, password: PASSWORD })
      .expect(200);
    editorSession = login.body;
    team.editor.token = editorSession.accessToken;
    const created = await t
      .http()
      .post('/api/v1/prompts')
      .set(asEditor())
      .send({ title: 'Editor prompt', content: 'Hello {{name}}' })
      .expect(201);
    promptId = created.body.id;
    await t
      .http()
      .patch(`/api/v1/prompts/${promptId}`)
      .set(asEditor())
      .send({ content: 'Hello again {{name}}', changeNote: 'second' })
      .expect(200);
    privatePromptId = (
      await t
        .http()
        .post('/api/v1/prompts')
        .set(asEditor())
        .send({ title: 'Editor private', content: 'mine', visibility: 'private' })
        .expect(201)
    ).body.id;
    await t
      .http()
      .post(`/api/v1/prompts/${promptId}/comments`)
      .set(asEditor())
      .send({ content: 'A comment by the editor' })
      .expect(201);
    await t.http().post(`/api/v1/prompts/${promptId}/favorite`).set(asEditor()).expect(200);
    await t
      .http()
      .post('/api/v1/search/saved')
      .set(asEditor())
      .send({ name: 'Editor search', query: 'hello' })
      .expect(201);
    apiKey = (
      await t
        .http()
        .post(`/api/v1/organizations/${team.org}/api-keys`)
        .set(asEditor())
        .send({ name: 'editor key' })
        .expect(201)
    ).body.key;
    // Something the key does, audited with the key as the actor.
    await t
      .http()
      .post('/api/v1/prompts')
      .set({ 'X-API-Key': apiKey, 'User-Agent': editorAgent })
      .send({ title: 'By the editor key', content: 'x' })
      .expect(201);
  });
  afterAll(() => t?.close());

  describe('GET /me/export', () => {
    it('needs a signed-in session', async () => {
      await t.http().get('/api/v1/me/export').expect(401);
      const res = await t.http().get('/api/v1/me/export').set('X-API-Key', apiKey).expect(403);
      expect(res.body.code).toBe('privacy_session_required');
    });

    it('downloads everything held about the user as JSON', async () => {
      const res = await t.http().get('/api/v1/me/export').set(bearer(team.editor.token)).expect(200);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="prompt-vault-personal-data-/,
      );
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const data = JSON.parse(res.text);
      expect(data.profile).toMatchObject({
        id: team.editor.userId,
        email: team.editor.email,
        name: 'Editor',
        hasPassword: true,
      });
      expect(data.memberships.map((m: { organizationId: string }) => m.organizationId).sort()).toEqual(
        [team.org, team.editor.organizationId].sort(),
      );
      expect(data.sessions.length).toBeGreaterThanOrEqual(2);
      expect(data.sessions[0]).toEqual({
        id: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        expiresAt: expect.any(String),
        revokedAt: null,
        organizationScope: null,
      });
      const org = data.organizations.find((o: { organizationId: string }) => o.organizationId === team.org);
      expect(org.prompts.map((p: { title: string }) => p.title).sort()).toEqual([
        'By the editor key',
        'Editor private',
        'Editor prompt',
      ]);
      expect(org.versions.map((v: { promptId: string; version: number }) => [v.promptId, v.version])).toEqual(
        expect.arrayContaining([
          [promptId, 1],
          [promptId, 2],
        ]),
      );
      expect(org.comments).toEqual([
        expect.objectContaining({ promptId, content: 'A comment by the editor' }),
      ]);
      expect(org.favorites).toEqual([{ promptId, createdAt: expect.any(String) }]);
      expect(org.savedSearches).toEqual([expect.objectContaining({ name: 'Editor search', query: 'hello' })]);
      expect(org.apiKeys).toEqual([
        {
          id: expect.any(String),
          name: 'editor key',
          prefix: expect.any(String),
          createdAt: expect.any(String),
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: expect.any(String),
        },
      ]);
      // Their audit events, with the personal data and its salt (the commitment can be checked).
      const actions = org.auditEvents.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['prompt.created', 'comment.created', 'api_key.created']),
      );
      const byKey = org.auditEvents.find((e: { actor: { type: string } }) => e.actor.type === 'api_key');
      expect(byKey).toMatchObject({ action: 'prompt.created', userAgent: editorAgent });
      const mine = org.auditEvents.find((e: { userAgent: string }) => e.userAgent === editorAgent);
      expect(mine).toMatchObject({
        actor: { type: 'user', id: team.editor.userId, email: team.editor.email },
        hashVersion: 2,
        personalSalt: expect.stringMatching(/^[0-9a-f]{32}$/),
        personalHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // Never a secret: no token or key hashes anywhere in the file.
      expect(res.text).not.toMatch(/token_?hash|key_?hash|password_?hash/i);
      // Nothing of another member.
      expect(res.text).not.toContain(team.owner.email);
    });
  });

  describe('DELETE /me', () => {
    it('answers 401 without a session and 400 on bad input', async () => {
      await t.http().delete('/api/v1/me').send({ password: PASSWORD }).expect(401);
      await t.http().delete('/api/v1/me').set(bearer(team.editor.token)).send({ password: 42 }).expect(400);
      await t
        .http()
        .delete('/api/v1/me')
        .set(bearer(team.editor.token))
        .send({ password: PASSWORD, force: true })
        .expect(400);
    });

    it('needs the password of a password account', async () => {
      const missing = await t.http().delete('/api/v1/me').set(bearer(team.editor.token)).send({}).expect(403);
      expect(missing.body.code).toBe('reauthentication_required');
      const wrong = await t
        .http()
        .delete('/api/v1/me')
        .set(bearer(team.editor.token))
        .send({ password: 'not the password' })
        .expect(403);
      expect(wrong.body.code).toBe('reauthentication_failed');
      const { rows } = await t.owner.query(`SELECT name FROM users WHERE id = $1`, [team.editor.userId]);
      expect(rows[0].name).toBe('Editor');
    });

    it('refuses the last OWNER of an organization with other members, naming it', async () => {
      const res = await t
        .http()
        .delete('/api/v1/me')
        .set(bearer(team.owner.token))
        .send({ password: PASSWORD })
        .expect(409);
      expect(res.body.code).toBe('last_owner');
      const { rows } = await t.owner.query(`SELECT name FROM organizations WHERE id = $1`, [team.org]);
      expect(res.body.organizations).toEqual([{ id: team.org, name: rows[0].name }]);
      const still = await t.owner.query(
        `SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2`,
        [team.org, team.owner.userId],
      );
      expect(still.rows).toEqual([{ role: 'OWNER' }]);
    });

    it('erases the account: sole-member organization deleted, prompts kept as Deleted user, audit data erased', async () => {
      const sessionsBefore = await t.owner.query(
        `SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [team.editor.userId],
      );
      expect(sessionsBefore.rows[0].n).toBeGreaterThanOrEqual(2);
      await t
        .http()
        .delete('/api/v1/me')
        .set({ ...bearer(team.editor.token), 'User-Agent': editorAgent })
        .send({ password: PASSWORD })
        .expect(204);

      const db = (sql: string, params: unknown[] = []) => t.owner.query(sql, params).then((r) => r.rows);
      // The organization where they were the only member is gone, with its data.
      expect(await db(`SELECT id FROM organizations WHERE id = $1`, [team.editor.organizationId])).toEqual(
        [],
      );
      // The account is a tombstone.
      const [user] = await db(
        `SELECT email, name, password_hash, email_verified_at FROM users WHERE id = $1`,
        [team.editor.userId],
      );
      expect(user).toEqual({
        email: expect.stringMatching(/^deleted-[0-9a-f-]{36}@invalid$/),
        name: 'Deleted user',
        password_hash: null,
        email_verified_at: null,
      });
      // Prompts, versions and comments stay with the organization under "Deleted user".
      expect(
        await db(`SELECT id FROM prompts WHERE author_id = $1 ORDER BY title`, [team.editor.userId]),
      ).toHaveLength(3);
      // A private prompt stays too, still private (visible to no one else).
      expect(await db(`SELECT visibility, author_id FROM prompts WHERE id = $1`, [privatePromptId])).toEqual([
        { visibility: 'private', author_id: team.editor.userId },
      ]);
      const comments = await t
        .http()
        .get(`/api/v1/prompts/${promptId}/comments`)
        .set(auth(team.owner, team.org));
      expect(comments.status).toBe(200);
      const items = (comments.body.items ?? comments.body) as Array<{ author: { name: string } | null }>;
      expect(items[0].author).toMatchObject({ name: 'Deleted user' });
      const prompt = await t
        .http()
        .get(`/api/v1/prompts/${promptId}`)
        .set(auth(team.owner, team.org))
        .expect(200);
      expect(prompt.body.authorId).toBe(team.editor.userId);
      expect(prompt.body.stats.favorites).toBe(0);
      // No membership, favorites or saved searches; API keys revoked; every session ended.
      expect(await db(`SELECT 1 FROM memberships WHERE user_id = $1`, [team.editor.userId])).toEqual([]);
      expect(await db(`SELECT 1 FROM favorites WHERE user_id = $1`, [team.editor.userId])).toEqual([]);
      expect(await db(`SELECT 1 FROM saved_searches WHERE user_id = $1`, [team.editor.userId])).toEqual([]);
      expect(
        await db(`SELECT 1 FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL`, [team.editor.userId]),
      ).toEqual([]);
      expect(
        await db(`SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [
          team.editor.userId,
        ]),
      ).toEqual([]);
      await t.http().get('/api/v1/me').set(bearer(team.editor.token)).expect(401);
      await t.http().get('/api/v1/prompts').set('X-API-Key', apiKey).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: editorSession.refreshToken })
        .expect(401);
      // Sign-in is impossible.
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: team.editor.email, password: PASSWORD })
        .expect(401);
      expect(login.body.code).toBe('invalid_credentials');

      // The erased e-mail and user agent are nowhere in the audit tables; no personal row is left.
      expect(
        await db(`SELECT 1 FROM audit_event_personal WHERE subject_id = $1`, [team.editor.userId]),
      ).toEqual([]);
      for (const needle of [team.editor.email, editorAgent]) {
        expect(await db(`SELECT seq FROM audit_events e WHERE e::text ILIKE $1`, [`%${needle}%`])).toEqual(
          [],
        );
        expect(
          await db(`SELECT seq FROM audit_event_personal p WHERE p::text ILIKE $1`, [`%${needle}%`]),
        ).toEqual([]);
      }
      // The erasure is audited, without the erased data (no e-mail, IP or user agent at all).
      const erased = await db(
        `SELECT e.actor_id, e.actor_email, e.ip, e.user_agent, e.personal_hash, e.changes,
                (SELECT count(*)::int FROM audit_event_personal p WHERE p.event_id = e.id) AS personal
           FROM audit_events e WHERE e.organization_id = $1 AND e.action = 'user.erased'`,
        [team.org],
      );
      expect(erased).toEqual([
        {
          actor_id: team.editor.userId,
          actor_email: null,
          ip: null,
          user_agent: null,
          personal_hash: null,
          changes: { erasedEvents: expect.any(Number), by: 'user' },
          personal: 0,
        },
      ]);
      expect(erased[0].changes.erasedEvents).toBeGreaterThanOrEqual(6);
    });

    it('leaves a chain that verifies online and offline, with erased events marked', async () => {
      const verify = await t
        .http()
        .get('/api/v1/audit-events/verify')
        .set(auth(team.owner, team.org))
        .expect(200);
      expect(verify.body).toMatchObject({ valid: true });
      const key = await t
        .http()
        .get('/api/v1/audit-events/public-key')
        .set(auth(team.owner, team.org))
        .expect(200);
      const keyFile = join(dir, 'audit.pem');
      writeFileSync(keyFile, key.body.publicKey);
      const exported = await t
        .http()
        .get('/api/v1/audit-events/export?format=jsonl')
        .set(auth(team.owner, team.org))
        .expect(200);
      const lines = exported.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const editorEvents = lines.filter(
        (l: { actor?: { id: string; type: string } }) =>
          l.actor?.id === team.editor.userId && l.actor.type === 'user',
      );
      expect(editorEvents.length).toBeGreaterThan(3);
      for (const e of editorEvents)
        expect(e).toMatchObject({ actor: { email: null }, ip: null, userAgent: null, personalSalt: null });
      // Other members' personal data is still there and checkable.
      expect(lines.some((l: { actor?: { email: string } }) => l.actor?.email === team.owner.email)).toBe(
        true,
      );
      const file = join(dir, 'export.jsonl');
      writeFileSync(file, exported.text);
      const ok = await auditVerify([file, '--public-key', keyFile]);
      expect(ok.out).toMatch(/^OK: /m);
      expect(ok.out).toMatch(/with erased personal data/);
      expect(ok.code).toBe(0);
      // A personal value changed in an export no longer matches its commitment.
      const owned = lines.findIndex(
        (l: { actor?: { email: string } }) => l.actor?.email === team.owner.email,
      );
      const forged = lines.map((l, i) =>
        i === owned
          ? JSON.stringify({ ...l, actor: { ...l.actor, email: 'someone@else.test' } })
          : JSON.stringify(l),
      );
      writeFileSync(file, `${forged.join('\n')}\n`);
      const bad = await auditVerify([file, '--public-key', keyFile]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`line ${owned + 1}: (seq ${lines[owned].seq}) personal data`);
    });

    it('lets a fresh SSO-only sign-in erase its account, and refuses a stale one', async () => {
      const sso = async () => {
        const u = await signUp(t, 'Sso Person');
        await t.owner.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [u.userId]);
        const tokens = await t.app.get(SessionsService).startSessionFor(u.userId, u.organizationId);
        return { ...u, token: tokens.accessToken };
      };
      const stale = await sso();
      await t.owner.query(
        `UPDATE refresh_tokens SET created_at = now() - interval '10 minutes' WHERE user_id = $1`,
        [stale.userId],
      );
      const refused = await t.http().delete('/api/v1/me').set(bearer(stale.token)).send({}).expect(403);
      expect(refused.body.code).toBe('reauthentication_required');

      const fresh = await sso();
      await t.http().delete('/api/v1/me').set(bearer(fresh.token)).send({}).expect(204);
      const { rows } = await t.owner.query(`SELECT name FROM users WHERE id = $1`, [fresh.userId]);
      expect(rows[0].name).toBe('Deleted user');
      expect(
        (await t.owner.query(`SELECT 1 FROM organizations WHERE id = $1`, [fresh.organizationId])).rows,
      ).toEqual([]);
    });
  });

  describe('POST /organizations/:id/members/:userId/erase', () => {
    const erase = (u: SignedUpUser | null, userId: string, org = team.org) => {
      const req = t.http().post(`/api/v1/organizations/${org}/members/${userId}/erase`);
      return u ? req.set(auth(u, org)) : req;
    };

    it('checks who asks and about whom', async () => {
      await erase(null, team.editor2.userId).expect(401);
      await erase(team.admin, team.editor2.userId).expect(403);
      await erase(team.editor, team.editor2.userId).expect(401); // erased account: its session ended
      await erase(team.outsider, team.editor2.userId).expect(404);
      await erase(team.owner, 'not-a-uuid').expect(400);
      // Another organization's id answers 404, whatever the user.
      await erase(team.owner, team.editor2.userId, team.outsider.organizationId).expect(404);
      const member = await erase(team.owner, team.editor2.userId).expect(409);
      expect(member.body.code).toBe('privacy_still_member');
    });

    it("erases a removed member's personal data; the chain still verifies", async () => {
      await t
        .http()
        .post('/api/v1/prompts')
        .set(auth(team.editor2, team.org))
        .send({ title: 'By editor two', content: 'x' })
        .expect(201);
      const before = await t.owner.query(
        `SELECT count(*)::int AS n FROM audit_event_personal WHERE organization_id = $1 AND subject_id = $2`,
        [team.org, team.editor2.userId],
      );
      expect(before.rows[0].n).toBeGreaterThan(0);
      await t
        .http()
        .delete(`/api/v1/organizations/${team.org}/members/${team.editor2.userId}`)
        .set(auth(team.owner, team.org))
        .expect(204);
      const res = await erase(team.owner, team.editor2.userId).expect(200);
      expect(res.body).toEqual({ erasedEvents: before.rows[0].n });
      const after = await t.owner.query(
        `SELECT 1 FROM audit_event_personal WHERE organization_id = $1 AND subject_id = $2`,
        [team.org, team.editor2.userId],
      );
      expect(after.rows).toEqual([]);
      const { rows } = await t.owner.query(
        `SELECT e::text AS row FROM audit_events e WHERE organization_id = $1 AND e::text ILIKE $2`,
        [team.org, `%${team.editor2.email}%`],
      );
      expect(rows).toEqual([]);
      // Their own sign-up organization keeps their data: only this organization's trail was erased.
      const own = await t.owner.query(`SELECT 1 FROM audit_event_personal WHERE organization_id = $1`, [
        team.editor2.organizationId,
      ]);
      expect(own.rows.length).toBeGreaterThan(0);
      const [event] = (
        await t.owner.query(
          `SELECT actor_id, target_id, changes FROM audit_events
            WHERE organization_id = $1 AND action = 'user.erased' AND target_id = $2`,
          [team.org, team.editor2.userId],
        )
      ).rows;
      expect(event).toEqual({
        actor_id: team.owner.userId,
        target_id: team.editor2.userId,
        changes: { erasedEvents: before.rows[0].n, by: 'organization_owner' },
      });
      const verify = await t
        .http()
        .get('/api/v1/audit-events/verify')
        .set(auth(team.owner, team.org))
        .expect(200);
      expect(verify.body.valid).toBe(true);
      // Unknown users have nothing to erase.
      expect((await erase(team.owner, randomUUID()).expect(200)).body).toEqual({ erasedEvents: 0 });
    });
  });
});

describe('GDPR migration: version-1 chains are re-chained under version 2', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  /** As the schema owner: turns an organization's chain back into what version 1 stored. */
  async function downgrade(org: string): Promise<void> {
    const { rows } = await t.owner.query(
      `SELECT e.*, p.actor_email AS p_email, p.ip AS p_ip, p.user_agent AS p_agent
         FROM audit_events e LEFT JOIN audit_event_personal p ON p.event_id = e.id
        WHERE e.organization_id = $1 ORDER BY e.seq`,
      [org],
    );
    await t.owner.query(`DELETE FROM audit_event_personal WHERE organization_id = $1`, [org]);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const fields: ChainedFields = {
        organizationId: org,
        seq: Number(r.seq),
        occurredAt: r.occurred_at,
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorEmail: r.p_email,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        ip: r.p_ip,
        userAgent: r.p_agent,
        requestId: r.request_id,
        changes: r.changes,
      };
      const hash = chainHash(prev, fields);
      await t.owner.query(
        `UPDATE audit_events SET hash_version = 1, personal_hash = NULL, actor_email = $2, ip = $3, user_agent = $4,
                prev_hash = $5, hash = $6 WHERE id = $1`,
        [r.id, r.p_email, r.p_ip, r.p_agent, prev, hash],
      );
      prev = hash;
    }
  }

  async function rechain(): Promise<void> {
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.startTransaction();
    try {
      await rechainUnderVersion2(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  }

  it('moves personal data to the side table, keeps the chain verifiable and a break where it was', async () => {
    t = await bootTestApp({ runWorkers: false });
    const [intact, tampered] = [await signUpTeam(t), await signUpTeam(t)];
    for (const team of [intact, tampered])
      await t
        .http()
        .post('/api/v1/prompts')
        .set({ ...auth(team.editor, team.org), 'User-Agent': 'OldBrowser/1' })
        .send({ title: 'Before the change', content: 'x' })
        .expect(201);
    await downgrade(intact.org);
    await downgrade(tampered.org);
    await t.owner.query(`UPDATE audit_events SET action = 'forged' WHERE organization_id = $1 AND seq = 2`, [
      tampered.org,
    ]);
    const verify = (team: Team) =>
      t.http().get('/api/v1/audit-events/verify').set(auth(team.owner, team.org)).expect(200);
    expect((await verify(intact)).body.valid).toBe(true);
    expect((await verify(tampered)).body).toMatchObject({ valid: false, brokenAtSeq: 2 });

    await rechain();

    const versions = async (org: string) =>
      (
        await t.owner.query(
          `SELECT e.hash_version AS v, e.actor_email, p.actor_email AS p_email, p.user_agent AS p_agent
             FROM audit_events e LEFT JOIN audit_event_personal p ON p.event_id = e.id
            WHERE e.organization_id = $1 ORDER BY e.seq`,
          [org],
        )
      ).rows;
    const after = await versions(intact.org);
    expect(
      after.every((r: { v: number; actor_email: string | null }) => r.v === 2 && r.actor_email === null),
    ).toBe(true);
    expect(after.some((r: { p_agent: string }) => r.p_agent === 'OldBrowser/1')).toBe(true);
    expect(after.some((r: { p_email: string }) => r.p_email === intact.editor.email)).toBe(true);
    expect((await verify(intact)).body.valid).toBe(true);
    // The list shows the personal data from the side table.
    const list = await t.http().get('/api/v1/audit-events').set(auth(intact.owner, intact.org)).expect(200);
    expect(list.body.items.find((e: { userAgent: string }) => e.userAgent === 'OldBrowser/1')).toMatchObject({
      actor: { email: intact.editor.email },
      hashVersion: 2,
    });
    // Only the verified prefix moved: the break is still reported at the same event.
    expect((await versions(tampered.org)).map((r: { v: number }) => r.v).slice(0, 3)).toEqual([2, 1, 1]);
    expect((await verify(tampered)).body).toMatchObject({ valid: false, brokenAtSeq: 2 });
    // Running it again changes nothing.
    await rechain();
    expect((await verify(intact)).body.valid).toBe(true);
  });
});
