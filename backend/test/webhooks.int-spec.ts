import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { recordMails } from './support/mailbox';
import {
  auth,
  bootTestApp,
  redisUrl,
  signUpTeam,
  SignedUpUser,
  Team,
  TestApp,
  usingRealPostgres,
} from './support/test-app';
import { sleep, waitFor } from './support/wait';
import { MasterKey } from '../src/common/security/master-key';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';

const ENCRYPTION_KEY = randomBytes(32).toString('base64');
/** Small delays so retries, timeouts and the dispatcher run within a test; production uses 30 s .. 1 h, 10 s. */
const FAST = {
  ENCRYPTION_KEY,
  WEBHOOK_TIMEOUT_MS: '600',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_MS: '400',
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
  OUTBOX_SWEEP_INTERVAL_MS: '300',
};

const driver = `${usingRealPostgres ? 'PostgreSQL' : 'PGlite'}, ${redisUrl ? 'BullMQ' : 'inline queue'}`;

interface Hook {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret: string;
  description: string | null;
}

const verify = (secret: string, r: ReceivedWebhook) =>
  new Webhook(secret).verify(r.body, {
    'webhook-id': r.headers['webhook-id'] as string,
    'webhook-timestamp': r.headers['webhook-timestamp'] as string,
    'webhook-signature': r.headers['webhook-signature'] as string,
  }) as { type: string; timestamp: string; data: Record<string, unknown> };

const parse = (r: ReceivedWebhook) =>
  JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> };

describe(`Webhooks (${driver})`, () => {
  let t: TestApp;
  let team: Team;
  let receiver: WebhookReceiver;
  let mails: ReturnType<typeof recordMails>['mails'];
  let paths = 0;
  const nextPath = () => `/hook-${++paths}`;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await bootTestApp({ env: FAST });
    team = await signUpTeam(t);
    ({ mails } = recordMails(t.app));
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });
  afterEach(async () => {
    receiver.answer = () => ({ status: 200, body: 'ok' });
    // Every test starts without endpoints, so no test's events reach another's receiver path.
    await t.owner.query(`DELETE FROM webhooks`);
  });

  const call = (
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    user?: SignedUpUser,
    body?: object,
    org = team.org,
  ) => {
    let req = t.http()[method](`/api/v1${path}`);
    if (user) req = req.set(auth(user, org));
    return body ? req.send(body) : req;
  };
  async function register(body: Record<string, unknown>, user = team.admin, org = team.org): Promise<Hook> {
    const res = await call('post', '/webhooks', user, body, org);
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Hook;
  }
  async function createPrompt(user = team.editor, body: Record<string, unknown> = {}) {
    const res = await call('post', '/prompts', user, {
      title: `Prompt ${randomBytes(3).toString('hex')}`,
      content: 'Summarize {{text}}',
      ...body,
    });
    if (res.status !== 201) throw new Error(`prompt: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  }
  const deliveries = async (webhookId: string) =>
    (
      await t.owner.query(
        `SELECT id, event_id, type, status, attempts, response_status, duration_ms, response_excerpt,
                last_error, redelivery_of, order_key, seq
           FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq`,
        [webhookId],
      )
    ).rows;

  describe('registration', () => {
    it('registers an endpoint with a secret shown once, encrypted at rest, audited without it', async () => {
      const url = receiver.url(nextPath());
      const res = await call('post', '/webhooks', team.admin, {
        url,
        events: ['prompt.created', 'comment.created'],
        description: '  CI hook ',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        url,
        events: ['prompt.created', 'comment.created'],
        description: 'CI hook',
        enabled: true,
        disabledReason: null,
        failingSince: null,
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const { id, secret } = res.body as Hook;
      expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);

      const list = await call('get', '/webhooks', team.owner).expect(200);
      expect(list.body).toEqual([expect.objectContaining({ id, url })]);
      expect(JSON.stringify(list.body)).not.toContain(secret);

      const stored = await t.owner.query(
        `SELECT w.organization_id, w.created_by, w.events, s.ciphertext, s.iv, s.auth_tag, s.expires_at,
                row_to_json(s)::text AS json
           FROM webhooks w JOIN webhook_secrets s ON s.webhook_id = w.id WHERE w.id = $1`,
        [id],
      );
      expect(stored.rows).toHaveLength(1);
      const row = stored.rows[0];
      expect(row).toMatchObject({
        organization_id: team.org,
        created_by: team.admin.userId,
        events: ['prompt.created', 'comment.created'],
        expires_at: null,
      });
      expect(row.iv).toHaveLength(12);
      expect(row.auth_tag).toHaveLength(16);
      expect(row.ciphertext.includes(Buffer.from(secret))).toBe(false);
      expect(row.json).not.toContain(secret.slice(6));
      const audit = await t.owner.query(
        `SELECT actor_id, changes, changes::text AS text FROM audit_events
          WHERE organization_id = $1 AND action = 'webhook.created' AND target_id = $2`,
        [team.org, id],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].actor_id).toBe(team.admin.userId);
      expect(audit.rows[0].changes).toMatchObject({ url, events: ['prompt.created', 'comment.created'] });
      expect(audit.rows[0].text).not.toContain(secret.slice(6));
    });

    it('updates, disables and deletes an endpoint, auditing each change', async () => {
      const hook = await register({ url: receiver.url(nextPath()), events: ['prompt.created'] });
      const url2 = receiver.url(nextPath());
      const res = await call('patch', `/webhooks/${hook.id}`, team.owner, {
        url: url2,
        events: ['prompt.deleted', 'member.joined'],
        description: 'moved',
        enabled: false,
      }).expect(200);
      expect(res.body).toMatchObject({
        url: url2,
        events: ['prompt.deleted', 'member.joined'],
        description: 'moved',
        enabled: false,
      });
      await call('patch', `/webhooks/${hook.id}`, team.owner, { description: null }).expect(200);
      const row = (
        await t.owner.query(`SELECT url, enabled, description, events FROM webhooks WHERE id = $1`, [hook.id])
      ).rows[0];
      expect(row).toEqual({
        url: url2,
        enabled: false,
        description: null,
        events: ['prompt.deleted', 'member.joined'],
      });
      const updates = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'webhook.updated' AND target_id = $1 ORDER BY seq`,
        [hook.id],
      );
      expect(updates.rows.map((r) => Object.keys(r.changes).sort())).toEqual([
        ['description', 'enabled', 'events', 'url'],
        ['description'],
      ]);

      await call('delete', `/webhooks/${hook.id}`, team.admin).expect(204);
      expect((await t.owner.query(`SELECT 1 FROM webhooks WHERE id = $1`, [hook.id])).rows).toHaveLength(0);
      expect(
        (await t.owner.query(`SELECT 1 FROM webhook_secrets WHERE webhook_id = $1`, [hook.id])).rows,
      ).toHaveLength(0);
      const deleted = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'webhook.deleted' AND target_id = $1`,
        [hook.id],
      );
      expect(deleted.rows).toEqual([{ changes: { url: url2, events: ['prompt.deleted', 'member.joined'] } }]);
      await call('delete', `/webhooks/${hook.id}`, team.admin).expect(404);
    });

    it('answers 400 to invalid input, naming the field', async () => {
      const url = receiver.url(nextPath());
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ url, events: ['prompt.exploded'] }, 'events'],
        [{ url, events: [] }, 'events'],
        [{ url, events: ['prompt.created', 'prompt.created'] }, 'events'],
        [{ url, events: 'prompt.created' }, 'events'],
        [{ url }, 'events'],
        [{ url: 'ftp://example.com/hook', events: ['prompt.created'] }, 'url'],
        [{ url: 'not a url', events: ['prompt.created'] }, 'url'],
        [{ url: 'https://user:pw@example.com/hook', events: ['prompt.created'] }, 'url'],
        [{ events: ['prompt.created'] }, 'url'],
        [{ url, events: ['prompt.created'], description: 'x'.repeat(501) }, 'description'],
        [{ url, events: ['prompt.created'], enabled: 'yes' }, 'enabled'],
        [{ url, events: ['prompt.created'], secret: 'whsec_mine' }, 'secret'],
      ];
      for (const [body, field] of cases) {
        const res = await call('post', '/webhooks', team.admin, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM webhooks`)).rows[0].n).toBe(0);

      const hook = await register({ url, events: ['prompt.created'] });
      await call('patch', `/webhooks/${hook.id}`, team.admin, { events: ['nope'] }).expect(400);
      await call('patch', `/webhooks/${hook.id}`, team.admin, { url: 'javascript:alert(1)' }).expect(400);
      await call('patch', `/webhooks/${hook.id}`, team.admin, { enabled: null }).expect(400);
      await call('patch', '/webhooks/not-a-uuid', team.admin, { enabled: true }).expect(400);
      await call('get', `/webhooks/${hook.id}/deliveries?cursor=garbage`, team.admin).expect(400);
      await call('get', `/webhooks/${hook.id}/deliveries?limit=0`, team.admin).expect(400);
      await call('post', `/webhooks/${hook.id}/deliveries/nope/redeliver`, team.admin).expect(400);
      const row = (await t.owner.query(`SELECT url, events FROM webhooks WHERE id = $1`, [hook.id])).rows[0];
      expect(row).toEqual({ url, events: ['prompt.created'] });
    });

    it('is for OWNER and ADMIN only: 401 without a token, 403 for EDITOR and VIEWER, 404 across tenants', async () => {
      const hook = await register({ url: receiver.url(nextPath()), events: ['prompt.created'] });
      const [delivery] = await Promise.all([
        call('post', `/webhooks/${hook.id}/test`, team.admin).expect(202),
      ]);
      const deliveryId = delivery.body.deliveryId as string;
      const routes: Array<['get' | 'post' | 'patch' | 'delete', string, object?]> = [
        ['get', '/webhooks'],
        ['post', '/webhooks', { url: receiver.url('/x'), events: ['prompt.created'] }],
        ['patch', `/webhooks/${hook.id}`, { description: 'hijacked' }],
        ['delete', `/webhooks/${hook.id}`],
        ['post', `/webhooks/${hook.id}/rotate-secret`],
        ['post', `/webhooks/${hook.id}/test`],
        ['get', `/webhooks/${hook.id}/deliveries`],
        ['post', `/webhooks/${hook.id}/deliveries/${deliveryId}/redeliver`],
      ];
      for (const [method, path, body] of routes) {
        expect([path, (await call(method, path, undefined, body)).status]).toEqual([path, 401]);
        for (const user of [team.editor, team.viewer])
          expect([path, (await call(method, path, user, body)).status]).toEqual([path, 403]);
        // Not a member of the organization at all.
        expect([path, (await call(method, path, team.outsider, body)).status]).toEqual([path, 404]);
      }
      // The outsider's own organization: the same ids are not found there.
      for (const [method, path, body] of routes.slice(2))
        expect([
          path,
          (await call(method, path, team.outsider, body, team.outsider.organizationId)).status,
        ]).toEqual([path, 404]);
      const row = (await t.owner.query(`SELECT description FROM webhooks WHERE id = $1`, [hook.id])).rows[0];
      expect(row.description).toBeNull();
      expect((await t.owner.query(`SELECT count(*)::int AS n FROM webhooks`)).rows[0].n).toBe(1);
      expect(
        (
          await t.owner.query(`SELECT count(*)::int AS n FROM webhook_secrets WHERE webhook_id = $1`, [
            hook.id,
          ])
        ).rows[0].n,
      ).toBe(1);
    });
  });

  describe('deliveries', () => {
    it('delivers subscribed prompt events signed per Standard Webhooks, in order, and logs them', async () => {
      const path = nextPath();
      const hook = await register({
        url: receiver.url(path),
        events: ['prompt.created', 'prompt.updated', 'prompt.version_created', 'prompt.label_moved'],
      });
      const other = await register({ url: receiver.url(nextPath()), events: ['comment.created'] });
      const prompt = await createPrompt();
      await call('patch', `/prompts/${prompt.id}`, team.editor, {
        content: 'Summarize {{text}} briefly',
      }).expect(200);
      await call('put', `/prompts/${prompt.id}/labels/staging`, team.admin, { version: 2 });
      await waitFor('four deliveries', () => receiver.on(path).length >= 4);
      const got = receiver.on(path).map((r) => verify(hook.secret, r));
      expect(got.map((b) => b.type)).toEqual([
        'prompt.created',
        'prompt.updated',
        'prompt.version_created',
        'prompt.label_moved',
      ]);
      expect(got[0].data).toEqual({ organizationId: team.org, promptId: prompt.id });
      expect(got[2].data).toEqual({ organizationId: team.org, promptId: prompt.id, version: 2 });
      expect(got[3].data).toMatchObject({ promptId: prompt.id, label: 'staging', to: 2 });
      expect(Date.parse(got[0].timestamp)).not.toBeNaN();

      const first = receiver.on(path)[0];
      expect(first.headers['content-type']).toBe('application/json');
      const outbox = await t.owner.query(
        `SELECT id FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.created'`,
        [prompt.id],
      );
      expect(first.headers['webhook-id']).toBe(outbox.rows[0].id);
      expect(Math.abs(Number(first.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(() => verify(other.secret, first)).toThrow();

      await waitFor('all delivered', async () =>
        (await deliveries(hook.id)).every((d) => d.status === 'delivered'),
      );
      const rows = await deliveries(hook.id);
      expect(rows).toHaveLength(4);
      expect(rows[0]).toMatchObject({
        event_id: outbox.rows[0].id,
        type: 'prompt.created',
        attempts: 1,
        response_status: 200,
        response_excerpt: 'ok',
        last_error: null,
        order_key: `prompt:${prompt.id}`,
      });
      expect(rows[0].duration_ms).toBeGreaterThanOrEqual(0);
      expect(receiver.on(new URL(other.url).pathname)).toHaveLength(0);
      expect(await deliveries(other.id)).toHaveLength(0);

      const page1 = await call('get', `/webhooks/${hook.id}/deliveries?limit=3`, team.admin).expect(200);
      expect(page1.body.items).toHaveLength(3);
      expect(page1.body.items[0]).toEqual({
        id: rows[3].id,
        eventId: rows[3].event_id,
        type: 'prompt.label_moved',
        status: 'delivered',
        attempts: 1,
        responseStatus: 200,
        durationMs: expect.any(Number),
        nextAttemptAt: null,
        createdAt: expect.any(String),
        lastAttemptAt: expect.any(String),
        responseExcerpt: 'ok',
        error: null,
        redeliveryOf: null,
      });
      const page2 = await call(
        'get',
        `/webhooks/${hook.id}/deliveries?limit=3&cursor=${page1.body.nextCursor}`,
        team.admin,
      ).expect(200);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ id: rows[0].id })], nextCursor: null });
    });

    it('delivers comments and member events, and never events about a private prompt', async () => {
      const path = nextPath();
      const hook = await register({
        url: receiver.url(path),
        events: ['prompt.created', 'comment.created', 'member.removed'],
      });
      const hidden = await createPrompt(team.editor, { visibility: 'private' });
      await call('post', `/prompts/${hidden.id}/comments`, team.editor, { content: 'secret plans' }).expect(
        201,
      );
      const shown = await createPrompt(team.editor2);
      const comment = await call('post', `/prompts/${shown.id}/comments`, team.viewer, {
        content: 'Looks good',
      }).expect(201);
      await call('delete', `/organizations/${team.org}/members/${team.editor2.userId}`, team.owner).expect(
        204,
      );
      await waitFor('three deliveries', () => receiver.on(path).length >= 3);
      await sleep(300);
      const got = receiver.on(path).map((r) => verify(hook.secret, r));
      expect(got.map((g) => [g.type, g.data])).toEqual([
        ['prompt.created', { organizationId: team.org, promptId: shown.id }],
        [
          'comment.created',
          {
            organizationId: team.org,
            commentId: comment.body.id,
            promptId: shown.id,
            parentId: null,
            authorId: team.viewer.userId,
          },
        ],
        ['member.removed', { organizationId: team.org, userId: team.editor2.userId, role: 'EDITOR' }],
      ]);
      expect(JSON.stringify(got)).not.toContain(hidden.id);
      // Put the member back for the other tests.
      await t.owner.query(
        `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'EDITOR')`,
        [team.org, team.editor2.userId],
      );
    });

    it('retries a 500 and a timeout with backoff under the same webhook-id, then delivers', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      receiver.answer = (r) => {
        const n = receiver.on(path).indexOf(r);
        if (n === 0) return { status: 500, body: 'boom '.repeat(400) };
        if (n === 1) return { status: 200, delayMs: 1500 };
        return { status: 204 };
      };
      await createPrompt();
      await waitFor(
        'delivered after retries',
        async () => (await deliveries(hook.id))[0]?.status === 'delivered',
      );
      const got = receiver.on(path);
      expect(got).toHaveLength(3);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
      for (const r of got) verify(hook.secret, r);
      // Exponential backoff: the second wait is longer than the first (100 ms, then 200 ms after a 600 ms timeout).
      expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(90);
      expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(600 + 190);
      const [row] = await deliveries(hook.id);
      expect(row).toMatchObject({ status: 'delivered', attempts: 3, response_status: 204, last_error: null });
    });

    it('logs the status, duration and the first 1 KB of a failing response while it retries', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      receiver.answer = () => ({ status: 503, body: 'é'.repeat(1000) });
      await createPrompt();
      await waitFor('two attempts', async () => (await deliveries(hook.id))[0]?.attempts >= 2);
      const res = await call('get', `/webhooks/${hook.id}/deliveries`, team.admin).expect(200);
      const [item] = res.body.items;
      expect(item).toMatchObject({
        status: 'pending',
        responseStatus: 503,
        error: 'The endpoint answered 503',
      });
      expect(Buffer.byteLength(item.responseExcerpt.replace(/\uFFFD$/, ''), 'utf8')).toBeLessThanOrEqual(
        1024,
      );
      expect(item.responseExcerpt.startsWith('éé')).toBe(true);
      expect(Date.parse(item.nextAttemptAt)).not.toBeNaN();
      // Past the retry window, the next failure is final.
      await t.owner.query(`UPDATE webhook_deliveries SET retry_until = now() WHERE webhook_id = $1`, [
        hook.id,
      ]);
      await waitFor('failed', async () => (await deliveries(hook.id))[0]?.status === 'failed');
      const n = receiver.on(path).length;
      await sleep(600);
      expect(receiver.on(path).length).toBe(n);
    });

    it('does not follow redirects', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      receiver.answer = (r) =>
        r.path === path
          ? { status: 307, headers: { location: receiver.url('/elsewhere') } }
          : { status: 200 };
      await createPrompt();
      await waitFor('an attempt', async () => (await deliveries(hook.id))[0]?.response_status === 307);
      await sleep(300);
      expect(receiver.on('/elsewhere')).toHaveLength(0);
      expect((await deliveries(hook.id))[0].status).toBe('pending');
    });

    it('keeps the events of one prompt in order while an earlier one is retried, without holding other prompts', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created', 'prompt.updated'] });
      let failFirstCreated = 2;
      const blocked = await createPrompt();
      receiver.answer = (r) => {
        const body = parse(r);
        if (body.type === 'prompt.created' && body.data.promptId === blocked.id && failFirstCreated-- > 0)
          return { status: 500 };
        return { status: 200 };
      };
      // The created event of `blocked` may already be on its way; the answers above apply to what arrives next.
      await call('patch', `/prompts/${blocked.id}`, team.editor, { title: 'Renamed once' }).expect(200);
      await call('patch', `/prompts/${blocked.id}`, team.editor, { title: 'Renamed twice' }).expect(200);
      const free = await createPrompt();
      await waitFor('everything delivered', async () => {
        const rows = await deliveries(hook.id);
        return rows.length === 4 && rows.every((d) => d.status === 'delivered');
      });
      const forBlocked = receiver
        .on(path)
        .map((r) => ({ ...parse(r), at: r.at }))
        .filter((b) => b.data.promptId === blocked.id);
      const firstUpdate = forBlocked.findIndex((b) => b.type === 'prompt.updated');
      // Every attempt of the created event comes before the first update, and updates keep their order.
      expect(forBlocked.slice(0, firstUpdate).every((b) => b.type === 'prompt.created')).toBe(true);
      expect(forBlocked.slice(firstUpdate).map((b) => b.type)).toEqual(['prompt.updated', 'prompt.updated']);
      const rows = await deliveries(hook.id);
      const byEvent = new Map(rows.map((d) => [d.type + d.order_key + d.seq, d]));
      expect(byEvent.size).toBe(4);
      expect(rows.find((d) => d.order_key === `prompt:${free.id}`)?.attempts).toBe(1);
    });

    it('sends a test event to that endpoint only, and redelivers with the same webhook-id', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.deleted'] });
      const bystander = await register({ url: receiver.url(nextPath()), events: ['prompt.deleted'] });
      const res = await call('post', `/webhooks/${hook.id}/test`, team.owner).expect(202);
      await waitFor('the test event', () => receiver.on(path).length === 1);
      const test = verify(hook.secret, receiver.on(path)[0]);
      expect(test).toMatchObject({
        type: 'webhook.test',
        data: { organizationId: team.org, webhookId: hook.id },
      });
      await waitFor('delivered', async () => (await deliveries(hook.id))[0]?.status === 'delivered');
      expect(await deliveries(bystander.id)).toHaveLength(0);

      const again = await call(
        'post',
        `/webhooks/${hook.id}/deliveries/${res.body.deliveryId}/redeliver`,
        team.admin,
      ).expect(202);
      await waitFor('the redelivery', () => receiver.on(path).length === 2);
      const [a, b] = receiver.on(path);
      expect(b.headers['webhook-id']).toBe(a.headers['webhook-id']);
      expect(b.body).toBe(a.body);
      verify(hook.secret, b);
      const rows = await deliveries(hook.id);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ id: again.body.deliveryId, redelivery_of: rows[0].id });
      const audit = await t.owner.query(
        `SELECT changes FROM audit_events WHERE action = 'webhook.redelivered' AND target_id = $1`,
        [hook.id],
      );
      expect(audit.rows).toEqual([{ changes: expect.objectContaining({ deliveryId: rows[0].id }) }]);
      // Another endpoint's delivery is not found under this one.
      await call('post', `/webhooks/${bystander.id}/deliveries/${rows[0].id}/redeliver`, team.admin).expect(
        404,
      );
    });

    it('disables an endpoint failing for 24 hours, e-mails the OWNERs and ADMINs and audits it', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      receiver.answer = () => ({ status: 500, body: 'down' });
      await call('post', `/webhooks/${hook.id}/test`, team.admin).expect(202);
      await waitFor(
        'a failure',
        async () =>
          (await t.owner.query(`SELECT failing_since FROM webhooks WHERE id = $1`, [hook.id])).rows[0]
            ?.failing_since,
      );
      expect(
        (await t.owner.query(`SELECT enabled FROM webhooks WHERE id = $1`, [hook.id])).rows[0].enabled,
      ).toBe(true);
      // The first failure was 25 hours ago.
      await t.owner.query(`UPDATE webhooks SET failing_since = now() - interval '25 hours' WHERE id = $1`, [
        hook.id,
      ]);
      mails.length = 0;
      await waitFor('disabled', async () => {
        const r = (
          await t.owner.query(`SELECT enabled, disabled_reason FROM webhooks WHERE id = $1`, [hook.id])
        ).rows[0];
        return !r.enabled && r.disabled_reason === 'failing';
      });
      await waitFor('the delivery failed', async () => (await deliveries(hook.id))[0].status === 'failed');
      await waitFor('mails', () => mails.length >= 2);
      expect(mails.map((m) => m.to).sort()).toEqual([team.admin.email, team.owner.email].sort());
      expect(mails[0].subject).toContain('Webhook endpoint disabled');
      expect(mails[0].text).toContain(hook.url);
      const audit = await t.owner.query(
        `SELECT actor_type, changes FROM audit_events WHERE action = 'webhook.disabled' AND target_id = $1`,
        [hook.id],
      );
      expect(audit.rows).toEqual([
        { actor_type: 'system', changes: expect.objectContaining({ reason: 'failing', url: hook.url }) },
      ]);
      const listed = await call('get', '/webhooks', team.admin).expect(200);
      expect(listed.body[0]).toMatchObject({ enabled: false, disabledReason: 'failing' });

      // A disabled endpoint gets no events, tests or redeliveries until it is enabled again.
      await createPrompt();
      await sleep(400);
      expect(await deliveries(hook.id)).toHaveLength(1);
      const refused = await call('post', `/webhooks/${hook.id}/test`, team.admin).expect(409);
      expect(refused.body.code).toBe('webhook_disabled');
      receiver.answer = () => ({ status: 200 });
      const enabled = await call('patch', `/webhooks/${hook.id}`, team.admin, { enabled: true }).expect(200);
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const [first] = await deliveries(hook.id);
      await call('post', `/webhooks/${hook.id}/deliveries/${first.id}/redeliver`, team.admin).expect(202);
      await waitFor('redelivered', async () => (await deliveries(hook.id))[1]?.status === 'delivered');
    });

    it('rotates the secret with an overlap: both secrets sign until the old one expires', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      const rotated = await call('post', `/webhooks/${hook.id}/rotate-secret`, team.admin).expect(200);
      const newSecret = rotated.body.secret as string;
      expect(newSecret).toMatch(/^whsec_/);
      expect(newSecret).not.toBe(hook.secret);
      await call('post', `/webhooks/${hook.id}/test`, team.admin).expect(202);
      await waitFor('a delivery', () => receiver.on(path).length === 1);
      const during = receiver.on(path)[0];
      expect((during.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
      verify(newSecret, during);
      verify(hook.secret, during);

      const secrets = await t.owner.query(
        `SELECT expires_at FROM webhook_secrets WHERE webhook_id = $1 ORDER BY created_at`,
        [hook.id],
      );
      expect(secrets.rows).toHaveLength(2);
      const overlapEnds = Date.parse(secrets.rows[0].expires_at);
      expect(overlapEnds - Date.now()).toBeGreaterThan(23 * 3600_000);
      expect(secrets.rows[1].expires_at).toBeNull();
      const audit = await t.owner.query(
        `SELECT changes::text AS text FROM audit_events WHERE action = 'webhook.secret_rotated' AND target_id = $1`,
        [hook.id],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].text).not.toContain(newSecret.slice(6));

      // Once the overlap is over, only the new secret signs.
      await t.owner.query(
        `UPDATE webhook_secrets SET expires_at = now() - interval '1 second' WHERE webhook_id = $1 AND expires_at IS NOT NULL`,
        [hook.id],
      );
      await call('post', `/webhooks/${hook.id}/test`, team.admin).expect(202);
      await waitFor('a second delivery', () => receiver.on(path).length === 2);
      const after = receiver.on(path)[1];
      expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
      verify(newSecret, after);
      expect(() => verify(hook.secret, after)).toThrow();
    });

    it('creates each delivery once even when the outbox delivers an event twice', async () => {
      const path = nextPath();
      const hook = await register({ url: receiver.url(path), events: ['prompt.created'] });
      const prompt = await createPrompt();
      await waitFor('delivered', async () => (await deliveries(hook.id))[0]?.status === 'delivered');
      // The drain marks the row processed in the transaction that wrote the delivery; replay it.
      await t.owner.query(
        `UPDATE outbox_events SET processed_at = NULL WHERE aggregate_id = $1 AND type = 'prompt.created'`,
        [prompt.id],
      );
      await waitFor(
        'the replay drained',
        async () =>
          (
            await t.owner.query(
              `SELECT processed_at FROM outbox_events WHERE aggregate_id = $1 AND type = 'prompt.created'`,
              [prompt.id],
            )
          ).rows[0].processed_at,
      );
      await sleep(300);
      expect(await deliveries(hook.id)).toHaveLength(1);
      expect(receiver.on(path)).toHaveLength(1);
    });
  });
});

describe(`Webhooks and private addresses (${driver})`, () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver?.close());

  it('refuses private targets at registration and at delivery time when WEBHOOK_ALLOW_PRIVATE=false', async () => {
    const strict = await bootTestApp({ env: { ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      const team = await signUpTeam(strict);
      const create = (url: string) =>
        strict
          .http()
          .post('/api/v1/webhooks')
          .set(auth(team.admin, team.org))
          .send({ url, events: ['prompt.created'] });
      for (const url of [
        receiver.url('/x'),
        `http://localhost:${receiver.port}/x`,
        `http://[::1]:${receiver.port}/x`,
        'http://169.254.169.254/latest/meta-data',
        'http://10.1.2.3/hook',
        'https://[::ffff:127.0.0.1]/hook',
      ]) {
        const res = await create(url);
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
        expect(res.body.errors[0]).toMatchObject({
          field: 'url',
          message: expect.stringMatching(/private address/),
        });
      }
      expect((await strict.owner.query(`SELECT count(*)::int AS n FROM webhooks`)).rows[0].n).toBe(0);

      // Endpoints whose names resolved publicly when they were registered and now resolve to a
      // private address (DNS rebinding), or that were registered while private targets were
      // allowed: the rule holds at delivery time, at connect.
      const secrets = strict.app.get(MasterKey);
      const ids: string[] = [];
      for (const url of [`http://localhost:${receiver.port}/by-name`, receiver.url('/by-ip')]) {
        const { rows } = await strict.owner.query(
          `INSERT INTO webhooks (organization_id, url, events) VALUES ($1, $2, '{prompt.created}') RETURNING id`,
          [team.org, url],
        );
        const sealed = secrets.seal('whsec_' + randomBytes(32).toString('base64'), team.org);
        await strict.owner.query(
          `INSERT INTO webhook_secrets (organization_id, webhook_id, ciphertext, iv, auth_tag, key_version)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [team.org, rows[0].id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyVersion],
        );
        ids.push(rows[0].id as string);
      }
      const patch = await strict
        .http()
        .patch(`/api/v1/webhooks/${ids[0]}`)
        .set(auth(team.admin, team.org))
        .send({ url: receiver.url('/x') });
      expect(patch.status).toBe(400);
      for (const id of ids)
        await strict.http().post(`/api/v1/webhooks/${id}/test`).set(auth(team.admin, team.org)).expect(202);
      const rows = async () =>
        (
          await strict.owner.query(
            `SELECT webhook_id, status, attempts, response_status, last_error FROM webhook_deliveries`,
          )
        ).rows;
      await waitFor('both refused', async () => (await rows()).filter((r) => r.last_error).length === 2);
      for (const row of await rows()) {
        expect(row).toMatchObject({ status: 'pending', response_status: null });
        expect(row.last_error).toMatch(/private address \((127\.0\.0\.1|::1)\)/);
      }
      expect(receiver.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
