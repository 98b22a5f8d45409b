import { getStorageToken, type ThrottlerStorage } from '@nestjs/throttler';
import { Client } from 'pg';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { BillingRepository } from '../src/modules/billing/billing.repository';
import { API_KEY_THROTTLER, organizationCounter } from '../src/common/security/api-key-throttler';
import {
  addMember,
  auth,
  bootTestApp,
  SignedUpUser,
  signUp,
  signUpTeam,
  Team,
  TestApp,
} from './support/test-app';

const UPGRADE_URL = expect.stringMatching(/\/billing$/);

describe('Billing: plans enforced by the server', () => {
  let t: TestApp;
  let team: Team;
  let org: string;

  beforeAll(async () => {
    t = await bootTestApp();
    team = await signUpTeam(t);
    org = team.org;
  });
  afterAll(() => t?.close());

  const as = (u: SignedUpUser, organizationId = u.organizationId) => auth(u, organizationId);
  const n = async (sql: string, params: unknown[]) => Number((await t.owner.query(sql, params)).rows[0].n);
  const planOf = async (organizationId: string) =>
    (await t.owner.query(`SELECT plan FROM organizations WHERE id = $1`, [organizationId])).rows[0].plan;
  /** Sets the stored plan as an operator would (the switch itself is tested through PUT /billing/plan). */
  const setPlan = (organizationId: string, plan: string) =>
    t.owner.query(`UPDATE organizations SET plan = $2 WHERE id = $1`, [organizationId, plan]);
  /** `count` prompts in one statement, as the schema owner (fast seeding up to a limit). */
  const seedPrompts = (
    organizationId: string,
    authorId: string,
    count: number,
    extra: { visibility?: string; status?: string; prefix?: string } = {},
  ) =>
    t.owner.query(
      `INSERT INTO prompts (organization_id, slug, title, content, author_id, visibility, status)
       SELECT $1, $5 || '-' || i, 'Seeded ' || i, 'Body ' || i, $2, $3, $4 FROM generate_series(1, $6::int) AS i`,
      [
        organizationId,
        authorId,
        extra.visibility ?? 'organization',
        extra.status ?? 'draft',
        extra.prefix ?? `seed-${Math.random().toString(36).slice(2, 8)}`,
        count,
      ],
    );
  const promptCount = (organizationId: string) =>
    n(`SELECT count(*) AS n FROM prompts WHERE organization_id = $1`, [organizationId]);
  const createPrompt = (u: SignedUpUser, organizationId: string, title = 'A prompt') =>
    t.http().post('/api/v1/prompts').set(as(u, organizationId)).send({ title, content: 'Say {{thing}}' });

  describe('GET /billing', () => {
    it('answers every member with the plan, limits and usage of the contract', async () => {
      for (const u of [team.owner, team.admin, team.editor, team.viewer]) {
        const res = await t.http().get('/api/v1/billing').set(as(u, org)).expect(200);
        expect(res.body).toEqual({
          plan: 'free',
          status: 'none',
          cancelAtPeriodEnd: false,
          stripeEnabled: false,
          limits: {
            members: 5,
            prompts: 100,
            versionHistory: { versions: 3, days: null },
            apiRequests: { limit: 1000, windowSeconds: 3600 },
            evaluationsPerMonth: 0,
            ownedOrganizations: 1,
          },
          usage: { members: 5, prompts: expect.any(Number), apiRequests: 0, evaluationsThisMonth: 0 },
        });
      }
    });

    it('counts every prompt (private ones of others and archived ones too) and pending invitations', async () => {
      const owner = await signUp(t, 'Counting owner');
      const writer = await signUp(t, 'Private writer');
      await addMember(t, owner.organizationId, writer.userId, 'EDITOR');
      await seedPrompts(owner.organizationId, writer.userId, 3, { visibility: 'private' });
      await seedPrompts(owner.organizationId, owner.userId, 2, { status: 'archived' });
      await t
        .http()
        .post(`/api/v1/organizations/${owner.organizationId}/invites`)
        .set(as(owner))
        .send({ email: 'pending@example.com', role: 'VIEWER' })
        .expect(201);
      const res = await t.http().get('/api/v1/billing').set(as(owner)).expect(200);
      expect(res.body.usage).toEqual({ members: 3, prompts: 5, apiRequests: 0, evaluationsThisMonth: 0 });
      // The owner does not see the private prompts, yet they count.
      const list = await t.http().get('/api/v1/prompts?limit=100').set(as(owner)).expect(200);
      expect(list.body.items.filter((p: { visibility: string }) => p.visibility === 'private')).toEqual([]);
    });

    it('401 without credentials, 404 for another organization, 400 for a bad organization id', async () => {
      await t.http().get('/api/v1/billing').set('X-Organization-Id', org).expect(401);
      const other = await t.http().get('/api/v1/billing').set(as(team.outsider, org)).expect(404);
      expect(other.body.code).toBe('not_found');
      await t.http().get('/api/v1/billing').set(as(team.owner, 'not-a-uuid')).expect(400);
    });
  });

  describe('PUT /billing/plan', () => {
    it('lets only the OWNER switch plans; audited; a downgrade deletes nothing', async () => {
      const owner = await signUp(t, 'Switcher');
      const [admin, editor, viewer] = await Promise.all(['A', 'E', 'V'].map((x) => signUp(t, x)));
      const o = owner.organizationId;
      await addMember(t, o, admin.userId, 'ADMIN');
      await addMember(t, o, editor.userId, 'EDITOR');
      await addMember(t, o, viewer.userId, 'VIEWER');
      for (const u of [admin, editor, viewer]) {
        const res = await t
          .http()
          .put('/api/v1/billing/plan')
          .set(as(u, o))
          .send({ plan: 'pro' })
          .expect(403);
        expect(res.body.code).toBe('forbidden');
      }
      await t
        .http()
        .put('/api/v1/billing/plan')
        .set('X-Organization-Id', o)
        .send({ plan: 'pro' })
        .expect(401);
      await t.http().put('/api/v1/billing/plan').set(as(team.outsider, o)).send({ plan: 'pro' }).expect(404);
      for (const body of [{ plan: 'platinum' }, {}, { plan: 'pro', extra: 1 }, { plan: 3 }]) {
        const bad = await t.http().put('/api/v1/billing/plan').set(as(owner)).send(body).expect(400);
        expect(bad.body.code).toBe('validation_failed');
      }
      expect(await planOf(o)).toBe('free');

      const up = await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'pro' }).expect(200);
      expect(up.body).toMatchObject({
        plan: 'pro',
        status: 'none',
        stripeEnabled: false,
        limits: { members: 25, prompts: 5000, apiRequests: { limit: 10000, windowSeconds: 86400 } },
      });
      expect(await planOf(o)).toBe('pro');
      await seedPrompts(o, owner.userId, 150);

      const down = await t
        .http()
        .put('/api/v1/billing/plan')
        .set(as(owner))
        .send({ plan: 'free' })
        .expect(200);
      expect(down.body.plan).toBe('free');
      expect(down.body.usage.prompts).toBe(150);
      expect(await promptCount(o)).toBe(150);
      // Over the limit: everything stays readable and editable, creation is refused.
      const some = await t.http().get('/api/v1/prompts?limit=1').set(as(owner)).expect(200);
      await t
        .http()
        .patch(`/api/v1/prompts/${some.body.items[0].id}`)
        .set(as(owner))
        .send({ title: 'Still editable' })
        .expect(200);
      const refused = await createPrompt(owner, o).expect(403);
      expect(refused.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'prompts',
        max: 100,
        current: 150,
      });

      // The same plan again changes nothing and records nothing.
      await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'free' }).expect(200);
      const audit = await t.owner.query(
        `SELECT actor_id, target_type, target_id, changes FROM audit_events
          WHERE organization_id = $1 AND action = 'billing.plan_changed' ORDER BY seq`,
        [o],
      );
      expect(audit.rows).toEqual([
        {
          actor_id: owner.userId,
          target_type: 'organization',
          target_id: o,
          changes: { from: 'free', to: 'pro' },
        },
        {
          actor_id: owner.userId,
          target_type: 'organization',
          target_id: o,
          changes: { from: 'pro', to: 'free' },
        },
      ]);
    });

    it('answers 409 billing_managed_by_stripe when Stripe is configured', async () => {
      const stripe = await bootTestApp({
        env: { STRIPE_SECRET_KEY: 'sk_test_billing_core', STRIPE_WEBHOOK_SECRET: 'whsec_billing_core' },
      });
      try {
        const owner = await signUp(stripe, 'Stripe owner');
        const res = await stripe
          .http()
          .put('/api/v1/billing/plan')
          .set(auth(owner))
          .send({ plan: 'pro' })
          .expect(409);
        expect(res.body.code).toBe('billing_managed_by_stripe');
        const view = await stripe.http().get('/api/v1/billing').set(auth(owner)).expect(200);
        expect(view.body).toMatchObject({ plan: 'free', stripeEnabled: true });
        const { rows } = await stripe.owner.query(`SELECT plan FROM organizations WHERE id = $1`, [
          owner.organizationId,
        ]);
        expect(rows[0].plan).toBe('free');
      } finally {
        await stripe.close();
      }
    });
  });

  describe('prompts limit', () => {
    it('Free: 100 prompts; create and duplicate past it answer 403 with the limit named', async () => {
      const owner = await signUp(t, 'Prompt owner');
      const o = owner.organizationId;
      await seedPrompts(o, owner.userId, 98);
      const last = await createPrompt(owner, o, 'Number 99').expect(201);
      await t.http().post(`/api/v1/prompts/${last.body.id}/duplicate`).set(as(owner)).expect(201);
      expect(await promptCount(o)).toBe(100);

      const refused = await createPrompt(owner, o, 'Number 101').expect(403);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body).toMatchObject({
        title: 'Plan limit reached',
        status: 403,
        code: 'plan_limit_reached',
        detail: expect.stringMatching(/Free plan allows 100 prompts/),
        limit: 'prompts',
        plan: 'free',
        max: 100,
        current: 100,
        upgradeUrl: UPGRADE_URL,
      });
      const dup = await t.http().post(`/api/v1/prompts/${last.body.id}/duplicate`).set(as(owner)).expect(403);
      expect(dup.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'prompts',
        max: 100,
        current: 100,
      });
      expect(await promptCount(o)).toBe(100);
    });

    it('Starter: 500 prompts', async () => {
      const owner = await signUp(t, 'Starter owner');
      const o = owner.organizationId;
      await setPlan(o, 'starter');
      await seedPrompts(o, owner.userId, 499);
      await createPrompt(owner, o).expect(201);
      const refused = await createPrompt(owner, o).expect(403);
      expect(refused.body).toMatchObject({ limit: 'prompts', plan: 'starter', max: 500, current: 500 });
      expect(await promptCount(o)).toBe(500);
    });

    it('20 concurrent creates at 95 of 100: exactly 5 succeed, the database holds 100', async () => {
      const owner = await signUp(t, 'Racer');
      const o = owner.organizationId;
      await seedPrompts(o, owner.userId, 95);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createPrompt(owner, o, `Concurrent ${i}`)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 403)).toHaveLength(15);
      for (const r of answers.filter((a) => a.status === 403))
        expect(r.body).toMatchObject({
          code: 'plan_limit_reached',
          limit: 'prompts',
          max: 100,
          current: 100,
        });
      expect(await promptCount(o)).toBe(100);
    });

    // Two sessions at once: only on a PostgreSQL server (PGlite is one session).
    (process.env.DATABASE_URL ? it : it.skip)(
      'a limit check holds other limit checks, not the inserts that only reference the organization',
      async () => {
        const owner = await signUp(t, 'Locker');
        const o = owner.organizationId;
        let locked!: () => void;
        let release!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const held = new Promise<void>((r) => (release = r));
        const check = t.app
          .get(TenantTransactions)
          .run({ organizationId: o, userId: null, system: true }, async () => {
            await t.app.get(BillingRepository).lockState(o);
            locked();
            await held;
          });
        await isLocked;
        const other = new Client({ connectionString: t.database.url });
        await other.connect();
        try {
          await other.query(`BEGIN; SET LOCAL lock_timeout = '3s'`);
          // An insert whose foreign key takes the organization's key-share lock goes through...
          await other.query(
            `INSERT INTO prompts (organization_id, slug, title, content, author_id) VALUES ($1, 'beside-a-check', 'Beside', 'Body', $2)`,
            [o, owner.userId],
          );
          await other.query('ROLLBACK');
          // ...while another limit check waits for the first one.
          await other.query(`BEGIN; SET LOCAL lock_timeout = '200ms'`);
          await expect(
            other.query(`SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE`, [o]),
          ).rejects.toMatchObject({ code: '55P03' });
          await other.query('ROLLBACK');
        } finally {
          release();
          await check;
          await other.end();
        }
        expect(await promptCount(o)).toBe(0);
      },
    );
  });

  describe('members limit', () => {
    const invite = (owner: SignedUpUser, email: string) =>
      t
        .http()
        .post(`/api/v1/organizations/${owner.organizationId}/invites`)
        .set(as(owner))
        .send({ email, role: 'EDITOR' });
    const tokenOf = (inviteUrl: string) => new URL(inviteUrl).searchParams.get('token')!;

    it('refuses an invitation that would pass the limit when sent, and re-checks when accepted', async () => {
      const owner = await signUp(t, 'Inviting owner');
      const o = owner.organizationId;
      const [m1, m2, m3, invitee, late] = await Promise.all(
        ['M1', 'M2', 'M3', 'Invitee', 'Late'].map((x) => signUp(t, x)),
      );
      for (const m of [m1, m2, m3]) await addMember(t, o, m.userId, 'VIEWER');
      // 4 members + this invitation = 5: allowed.
      const sent = await invite(owner, invitee.email).expect(201);
      // 4 members + 1 pending + 1 = 6: refused when sent, nothing stored.
      const refused = await invite(owner, late.email).expect(403);
      expect(refused.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'members',
        plan: 'free',
        max: 5,
        current: 5,
        upgradeUrl: UPGRADE_URL,
      });
      expect(
        await n(`SELECT count(*) AS n FROM invites WHERE organization_id = $1 AND email = $2`, [
          o,
          late.email,
        ]),
      ).toBe(0);

      // Someone joined meanwhile (5 members): the pending invitation cannot be accepted.
      const other = await signUp(t, 'Joined meanwhile');
      await addMember(t, o, other.userId, 'VIEWER');
      const token = tokenOf(sent.body.inviteUrl);
      const atLimit = await t
        .http()
        .post('/api/v1/invites/accept')
        .set(as(invitee))
        .send({ token })
        .expect(403);
      expect(atLimit.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'members',
        max: 5,
        current: 5,
      });
      expect(await n(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1`, [o])).toBe(5);
      // Nothing was consumed: after an upgrade the same link works.
      await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'starter' }).expect(200);
      await t.http().post('/api/v1/invites/accept').set(as(invitee)).send({ token }).expect(200);
      expect(
        await n(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
          o,
          invitee.userId,
        ]),
      ).toBe(1);
    });

    it('Starter: 10 members (pending invitations included)', async () => {
      const owner = await signUp(t, 'Starter inviter');
      const o = owner.organizationId;
      await setPlan(o, 'starter');
      const people = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(t, `P${i}`)));
      for (const p of people) await addMember(t, o, p.userId, 'VIEWER');
      await invite(owner, 'tenth@example.com').expect(201);
      const refused = await invite(owner, 'eleventh@example.com').expect(403);
      expect(refused.body).toMatchObject({ limit: 'members', plan: 'starter', max: 10, current: 10 });
      // A new invitation to the same address replaces the pending one and still fits.
      await invite(owner, 'tenth@example.com').expect(201);
    });
  });

  describe('owned organizations', () => {
    it('one organization on Free/Starter per owner; Pro ones do not count', async () => {
      const user = await signUp(t, 'Founder');
      const create = (name: string) =>
        t
          .http()
          .post('/api/v1/organizations')
          .set({ Authorization: `Bearer ${user.token}` })
          .send({ name });
      const refused = await create('Second').expect(403);
      expect(refused.body).toMatchObject({
        code: 'plan_limit_reached',
        limit: 'ownedOrganizations',
        plan: 'free',
        max: 1,
        current: 1,
        upgradeUrl: UPGRADE_URL,
      });
      expect(
        await n(`SELECT count(*) AS n FROM memberships WHERE user_id = $1 AND role = 'OWNER'`, [user.userId]),
      ).toBe(1);

      await t.http().put('/api/v1/billing/plan').set(as(user)).send({ plan: 'pro' }).expect(200);
      const second = await create('Second').expect(201);
      expect(second.body.plan).toBe('free');
      expect(await planOf(second.body.id)).toBe('free');
      // Now the user owns a Free one again.
      await create('Third').expect(403);
      // Being a member (not OWNER) of a Free organization does not count.
      const member = await signUp(t, 'Member elsewhere');
      await addMember(t, second.body.id, member.userId, 'ADMIN');
      await t.http().put('/api/v1/billing/plan').set(as(member)).send({ plan: 'pro' }).expect(200);
      await t
        .http()
        .post('/api/v1/organizations')
        .set({ Authorization: `Bearer ${member.token}` })
        .send({ name: 'Own one' })
        .expect(201);
    });
  });

  describe('version history by plan', () => {
    /** A prompt with versions 1..5 created by `u`. */
    const fiveVersions = async (u: SignedUpUser) => {
      const p = (await createPrompt(u, u.organizationId, 'History').expect(201)).body as {
        id: string;
        slug: string;
      };
      for (let v = 2; v <= 5; v++)
        await t
          .http()
          .patch(`/api/v1/prompts/${p.id}`)
          .set(as(u))
          .send({ content: `Say {{thing}} v${v}` })
          .expect(200);
      return p;
    };
    const versions = async (u: SignedUpUser, id: string) =>
      (await t.http().get(`/api/v1/prompts/${id}/versions`).set(as(u)).expect(200)).body.items.map(
        (v: { version: number }) => v.version,
      );

    it('Free shows the last 3; older ones answer 404 in get, diff and revert; labels and runtime fetch still reach them', async () => {
      const owner = await signUp(t, 'Historian');
      const p = await fiveVersions(owner);
      expect(await versions(owner, p.id)).toEqual([5, 4, 3]);
      await t.http().get(`/api/v1/prompts/${p.id}/versions/3`).set(as(owner)).expect(200);
      const hidden = await t.http().get(`/api/v1/prompts/${p.id}/versions/1`).set(as(owner)).expect(404);
      expect(hidden.body).toMatchObject({
        code: 'version_not_found',
        detail: expect.stringMatching(/Free plan shows the last 3 versions/),
        plan: 'free',
        upgradeUrl: UPGRADE_URL,
      });
      await t.http().get(`/api/v1/prompts/${p.id}/diff?from=1&to=5`).set(as(owner)).expect(404);
      await t.http().get(`/api/v1/prompts/${p.id}/diff?from=3&to=5`).set(as(owner)).expect(200);
      await t.http().post(`/api/v1/prompts/${p.id}/versions/2/revert`).set(as(owner)).send({}).expect(404);
      expect(await n(`SELECT count(*) AS n FROM prompt_versions WHERE prompt_id = $1`, [p.id])).toBe(5);

      // A label may point at a hidden version, and the runtime fetch by label keeps working.
      await t
        .http()
        .put(`/api/v1/prompts/${p.id}/labels/production`)
        .set(as(owner))
        .send({ version: 1 })
        .expect(200);
      const fetched = await t
        .http()
        .get(`/api/v1/prompts/by-slug/${p.slug}?label=production`)
        .set(as(owner))
        .expect(200);
      expect(fetched.body).toMatchObject({ version: 1, content: 'Say {{thing}}' });

      // Upgrading shows everything again; nothing was deleted.
      await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'pro' }).expect(200);
      expect(await versions(owner, p.id)).toEqual([5, 4, 3, 2, 1]);
      await t.http().get(`/api/v1/prompts/${p.id}/versions/1`).set(as(owner)).expect(200);
      await t.http().get(`/api/v1/prompts/${p.id}/diff?from=1&to=5`).set(as(owner)).expect(200);
      await t.http().post(`/api/v1/prompts/${p.id}/versions/1/revert`).set(as(owner)).send({}).expect(200);
      expect(await n(`SELECT max(version) AS n FROM prompt_versions WHERE prompt_id = $1`, [p.id])).toBe(6);
    });

    it('Starter shows the versions of the last 30 days and the current one, whatever its age', async () => {
      const owner = await signUp(t, 'Starter historian');
      await setPlan(owner.organizationId, 'starter');
      const p = await fiveVersions(owner);
      expect(await versions(owner, p.id)).toEqual([5, 4, 3, 2, 1]);
      await t.owner.query(
        `UPDATE prompt_versions SET created_at = now() - interval '40 days' WHERE prompt_id = $1 AND version <= 3`,
        [p.id],
      );
      expect(await versions(owner, p.id)).toEqual([5, 4]);
      const hidden = await t.http().get(`/api/v1/prompts/${p.id}/versions/3`).set(as(owner)).expect(404);
      expect(hidden.body).toMatchObject({ plan: 'starter', detail: expect.stringMatching(/last 30 days/) });
      await t.http().get(`/api/v1/prompts/${p.id}/versions/4`).set(as(owner)).expect(200);
      // The current version stays visible even when it is old.
      await t.owner.query(
        `UPDATE prompt_versions SET created_at = now() - interval '40 days' WHERE prompt_id = $1`,
        [p.id],
      );
      expect(await versions(owner, p.id)).toEqual([5]);
      await t.http().get(`/api/v1/prompts/${p.id}/versions/5`).set(as(owner)).expect(200);
      await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'pro' }).expect(200);
      expect(await versions(owner, p.id)).toEqual([5, 4, 3, 2, 1]);
    });
  });

  describe('API requests by plan', () => {
    const storage = () => t.app.get<ThrottlerStorage>(getStorageToken(), { strict: false });
    /** Counts `hits` requests of the organization's current window, as its keys would have. */
    const spend = async (organizationId: string, limit: number, ttlMs: number, hits: number) => {
      const key = organizationCounter(organizationId, { limit, ttlMs });
      for (let done = 0; done < hits; done += 500)
        await Promise.all(
          Array.from({ length: Math.min(500, hits - done) }, () =>
            storage().increment(key, ttlMs, limit, ttlMs, API_KEY_THROTTLER),
          ),
        );
    };
    const newKey = async (u: SignedUpUser, name: string) =>
      (
        await t
          .http()
          .post(`/api/v1/organizations/${u.organizationId}/api-keys`)
          .set(as(u))
          .send({ name })
          .expect(201)
      ).body.key as string;
    const withKey = (key: string, organizationId: string) =>
      t.http().get(`/api/v1/organizations/${organizationId}`).set('X-API-Key', key);

    it('Free: 1,000 per hour for the whole organization, with headers and 429 + Retry-After', async () => {
      const owner = await signUp(t, 'Key owner');
      const o = owner.organizationId;
      const [k1, k2] = [await newKey(owner, 'one'), await newKey(owner, 'two')];
      const first = await withKey(k1, o).expect(200);
      expect(first.headers['x-ratelimit-limit']).toBe('1000');
      expect(first.headers['x-ratelimit-remaining']).toBe('999');
      expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(3500);

      await spend(o, 1000, 3_600_000, 998);
      const last = await withKey(k2, o).expect(200);
      expect(last.headers['x-ratelimit-remaining']).toBe('0');
      const billing = await t.http().get('/api/v1/billing').set(as(owner)).expect(200);
      expect(billing.body.usage.apiRequests).toBe(1000);

      for (const k of [k1, k2]) {
        const limited = await withKey(k, o).expect(429);
        expect(limited.headers['content-type']).toMatch(/problem\+json/);
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        expect(limited.headers['x-ratelimit-limit']).toBe('1000');
        expect(limited.headers['x-ratelimit-remaining']).toBe('0');
        expect(limited.body).toMatchObject({
          code: 'rate_limited',
          limit: 'apiRequests',
          plan: 'free',
          max: 1000,
          upgradeUrl: UPGRADE_URL,
        });
      }
      // Another organization's keys are not affected.
      const other = await signUp(t, 'Other key owner');
      await withKey(await newKey(other, 'own'), other.organizationId).expect(200);

      // An upgrade applies from the next request, with a fresh window under the new allowance.
      await t.http().put('/api/v1/billing/plan').set(as(owner)).send({ plan: 'pro' }).expect(200);
      const upgraded = await withKey(k1, o).expect(200);
      expect(upgraded.headers['x-ratelimit-limit']).toBe('1000'); // the key's own counter is now tighter
    });

    it('Pro: 10,000 per day; Enterprise has no organization-wide limit', async () => {
      const owner = await signUp(t, 'Pro key owner');
      const o = owner.organizationId;
      await setPlan(o, 'pro');
      const [k1, k2] = [await newKey(owner, 'one'), await newKey(owner, 'two')];
      await spend(o, 10_000, 86_400_000, 9_999);
      const last = await withKey(k1, o).expect(200);
      expect(last.headers['x-ratelimit-limit']).toBe('10000');
      expect(last.headers['x-ratelimit-remaining']).toBe('0');
      const limited = await withKey(k2, o).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3600);
      expect(limited.body).toMatchObject({
        code: 'rate_limited',
        limit: 'apiRequests',
        plan: 'pro',
        max: 10000,
      });

      await setPlan(o, 'enterprise');
      const unlimited = await withKey(k2, o).expect(200);
      // Only the key's own counter (API_KEY_RATE_LIMIT, 1000 per hour by default) remains.
      expect(unlimited.headers['x-ratelimit-limit']).toBe('1000');
      const view = await t.http().get('/api/v1/billing').set(as(owner)).expect(200);
      expect(view.body.limits).toMatchObject({ apiRequests: null, prompts: null, members: null });
    });
  });
});
