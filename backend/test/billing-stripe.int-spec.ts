import type Stripe from 'stripe';
import { TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { BillingRepository } from '../src/modules/billing/billing.repository';
import { effectivePlan, type BillingState } from '../src/modules/billing/subscription-state';
import {
  FAKE_PRICES,
  FAKE_STRIPE_KEY,
  FAKE_WEBHOOK_SECRET,
  FakeStripe,
  fakeStripeEnv,
} from './support/fake-stripe';
import {
  auth,
  bootTestApp,
  signUp,
  signUpTeam,
  type SignedUpUser,
  type Team,
  type TestApp,
} from './support/test-app';

const PUBLIC_URL = 'https://vault.example.test';
const DAY = 86_400_000;

describe('Billing through Stripe (Checkout, Customer Portal, webhooks)', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let team: Team;
  let org: string;
  let appUrl: string;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    t = await bootTestApp({ env: { ...fakeStripeEnv(fake), PUBLIC_URL } });
    appUrl = await t.app.getUrl();
    team = await signUpTeam(t);
    org = team.org;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  afterEach(() => {
    fake.outage = null;
    fake.secretKey = FAKE_STRIPE_KEY;
  });

  // ---- helpers ---------------------------------------------------------------------------

  const checkout = (u: SignedUpUser, body: unknown, organizationId = org) =>
    t
      .http()
      .post('/api/v1/billing/checkout')
      .set(auth(u, organizationId))
      .send(body as object);
  const portal = (u: SignedUpUser, organizationId = org) =>
    t.http().post('/api/v1/billing/portal').set(auth(u, organizationId)).send();
  const deliver = (payload: string, signature?: string) => {
    const req = t
      .http()
      .post('/api/v1/billing/webhooks/stripe')
      .set('Content-Type', 'application/json; charset=utf-8');
    if (signature !== undefined) req.set('Stripe-Signature', signature);
    return req.send(payload);
  };
  const send = (event: Stripe.Event) => {
    const { payload, signature } = fake.signed(event);
    return deliver(payload, signature);
  };

  const stateOf = (organizationId: string): Promise<BillingState> =>
    t.app
      .get(TenantTransactions)
      .run(
        { organizationId, userId: null },
        async () => (await t.app.get(BillingRepository).state(organizationId))!,
      );
  const planNow = async (organizationId: string) =>
    effectivePlan(await stateOf(organizationId), new Date(), t.config.billing.graceDays);
  const billingRow = async (organizationId: string) =>
    (await t.owner.query(`SELECT * FROM organization_billing WHERE organization_id = $1`, [organizationId]))
      .rows[0];
  const storedEvent = async (id: string) =>
    (await t.owner.query(`SELECT id, type, organization_id FROM stripe_events WHERE id = $1`, [id])).rows[0];
  const audits = async (organizationId: string, action: string) =>
    (
      await t.owner.query(
        `SELECT action, actor_type, actor_id, target_type, target_id, changes FROM audit_events
          WHERE organization_id = $1 AND action = $2 ORDER BY seq`,
        [organizationId, action],
      )
    ).rows;
  const auditCount = async (organizationId: string) =>
    Number(
      (await t.owner.query(`SELECT count(*) FROM audit_events WHERE organization_id = $1`, [organizationId]))
        .rows[0].count,
    );

  /** A fresh organization whose OWNER completed Checkout for `price` (the webhook applied). */
  async function subscribedOrg(price: string = FAKE_PRICES.STRIPE_PRICE_PRO_MONTH) {
    const owner = await signUp(t, 'Subscriber');
    const plan = price.includes('pro') ? 'pro' : 'starter';
    const interval = price.endsWith('year') ? 'year' : 'month';
    const res = await checkout(owner, { plan, interval }, owner.organizationId).expect(201);
    const sessionId = String(res.body.url).split('/').pop()!;
    const { session, subscription } = fake.completeCheckout(sessionId);
    await send(fake.event('checkout.session.completed', session)).expect(200);
    return { owner, organizationId: owner.organizationId, subscription };
  }

  // ---- Checkout ----------------------------------------------------------------------------

  describe('POST /billing/checkout', () => {
    it('creates a subscription-mode Checkout Session carrying the organization, and audits it', async () => {
      const before = fake.requestsTo('POST', '/v1/checkout/sessions').length;
      const res = await checkout(team.owner, { plan: 'pro', interval: 'month' }).expect(201);
      expect(res.body).toEqual({
        url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/),
      });

      const calls = fake.requestsTo('POST', '/v1/checkout/sessions');
      expect(calls).toHaveLength(before + 1);
      const call = calls[calls.length - 1];
      expect(call.authorization).toBe(`Bearer ${FAKE_STRIPE_KEY}`);
      expect(call.contentType).toContain('application/x-www-form-urlencoded');
      expect(call.body).toEqual({
        mode: 'subscription',
        line_items: [{ price: FAKE_PRICES.STRIPE_PRICE_PRO_MONTH, quantity: '1' }],
        client_reference_id: org,
        metadata: { organizationId: org },
        subscription_data: { metadata: { organizationId: org } },
        customer_email: team.owner.email,
        success_url: `${PUBLIC_URL}/billing?checkout=success`,
        cancel_url: `${PUBLIC_URL}/billing?checkout=cancel`,
      });

      const [audit] = await audits(org, 'billing.checkout_started');
      expect(audit).toMatchObject({
        actor_type: 'user',
        actor_id: team.owner.userId,
        target_type: 'organization',
        target_id: org,
        changes: { plan: 'pro', interval: 'month', sessionId: expect.stringMatching(/^cs_test_/) },
      });
      // Nothing about the subscription changes before Stripe reports it.
      expect((await billingRow(org))?.status ?? 'none').toBe('none');
      expect(await planNow(org)).toBe('free');
    });

    it('answers 401 without credentials, 403 to every role but OWNER, 404 to outsiders; Stripe is not called', async () => {
      const before = fake.requests.length;
      await t
        .http()
        .post('/api/v1/billing/checkout')
        .set('X-Organization-Id', org)
        .send({ plan: 'pro', interval: 'month' })
        .expect(401);
      for (const u of [team.admin, team.editor, team.viewer]) {
        const res = await checkout(u, { plan: 'pro', interval: 'month' }).expect(403);
        expect(res.body.code).toBe('forbidden');
      }
      await checkout(team.outsider, { plan: 'pro', interval: 'month' }).expect(404);
      await portal(team.admin).expect(403);
      await portal(team.viewer).expect(403);
      await portal(team.outsider).expect(404);
      expect(fake.requests.length).toBe(before);
      expect(await audits(org, 'billing.checkout_started')).toHaveLength(1);
    });

    it('answers 400 naming the field for a bad plan or interval', async () => {
      const before = fake.requests.length;
      for (const [body, field] of [
        [{ plan: 'enterprise', interval: 'month' }, 'plan'],
        [{ plan: 'free', interval: 'month' }, 'plan'],
        [{ plan: 'pro', interval: 'week' }, 'interval'],
        [{ plan: 'pro' }, 'interval'],
        [{ interval: 'year' }, 'plan'],
        [{ plan: 'pro', interval: 'month', price: 'price_x' }, 'price'],
      ] as const) {
        const res = await checkout(team.owner, body).expect(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      expect(fake.requests.length).toBe(before);
    });

    it('answers 502 stripe_unavailable when Stripe fails or refuses the key, never leaking the key', async () => {
      const auditsBefore = await auditCount(org);
      fake.outage = 'error';
      const failed = await checkout(team.owner, { plan: 'starter', interval: 'year' }).expect(502);
      expect(failed.body).toMatchObject({ code: 'stripe_unavailable', status: 502 });
      fake.outage = 'down';
      await checkout(team.owner, { plan: 'starter', interval: 'year' }).expect(502);
      fake.outage = null;
      fake.secretKey = 'sk_test_someOtherAccountsKey';
      const refused = await checkout(team.owner, { plan: 'starter', interval: 'year' }).expect(502);
      expect(refused.body.code).toBe('stripe_unavailable');
      for (const res of [failed, refused])
        expect(JSON.stringify(res.body)).not.toContain(FAKE_STRIPE_KEY.slice(8));
      expect(await auditCount(org)).toBe(auditsBefore);
    });
  });

  // ---- webhooks: the subscription's life -----------------------------------------------------

  describe('POST /billing/webhooks/stripe', () => {
    let subscription: Stripe.Subscription;
    let completedEvent: Stripe.Event;

    it('checkout.session.completed: retrieves the subscription, saves it and audits the plan change', async () => {
      const res = await checkout(team.owner, { plan: 'pro', interval: 'month' }).expect(201);
      const completed = fake.completeCheckout(String(res.body.url).split('/').pop()!);
      subscription = completed.subscription;
      completedEvent = fake.event('checkout.session.completed', completed.session);
      const before = fake.requestsTo('GET', `/v1/subscriptions/${subscription.id}`).length;

      const answer = await send(completedEvent).expect(200);
      expect(answer.body).toEqual({ received: true });
      expect(fake.requestsTo('GET', `/v1/subscriptions/${subscription.id}`)).toHaveLength(before + 1);

      const row = await billingRow(org);
      expect(row).toMatchObject({
        status: 'active',
        interval: 'month',
        stripe_customer_id: subscription.customer,
        stripe_subscription_id: subscription.id,
        cancel_at_period_end: false,
        past_due_since: null,
      });
      expect(row.current_period_end.getTime()).toBe(
        (subscription.items.data[0] as unknown as { current_period_end: number }).current_period_end * 1000,
      );
      expect((await t.owner.query(`SELECT plan FROM organizations WHERE id = $1`, [org])).rows[0].plan).toBe(
        'pro',
      );
      expect(await planNow(org)).toBe('pro');
      expect(await storedEvent(completedEvent.id)).toEqual({
        id: completedEvent.id,
        type: 'checkout.session.completed',
        organization_id: org,
      });
      const changed = await audits(org, 'billing.plan_changed');
      expect(changed).toHaveLength(1);
      expect(changed[0]).toMatchObject({
        actor_type: 'system',
        actor_id: null,
        target_type: 'organization',
        target_id: org,
        changes: { from: 'free', to: 'pro', eventId: completedEvent.id, subscriptionId: subscription.id },
      });
    });

    it('a replayed event answers 200 duplicate and changes nothing', async () => {
      const auditsBefore = await auditCount(org);
      const retrievals = fake.requests.length;
      // Stripe retries with the same event (and a fresh signature).
      const res = await send(completedEvent).expect(200);
      expect(res.body).toEqual({ received: true, duplicate: true });
      expect(await auditCount(org)).toBe(auditsBefore);
      expect(fake.requests.length).toBe(retrievals);
      expect(
        (
          await t.owner.query(`SELECT count(*)::int AS n FROM stripe_events WHERE id = $1`, [
            completedEvent.id,
          ])
        ).rows[0].n,
      ).toBe(1);
    });

    it('the same event delivered twice at once is applied once', async () => {
      const { organizationId, subscription: sub } = await subscribedOrg(
        FAKE_PRICES.STRIPE_PRICE_STARTER_MONTH,
      );
      const event = fake.event('invoice.paid', fake.invoice(sub, 'paid'));
      const answers = await Promise.all([0, 1, 2].map(() => fake.deliver(appUrl, event)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.filter((a) => (a.body as { duplicate?: boolean }).duplicate)).toHaveLength(2);
      expect(await audits(organizationId, 'billing.payment_succeeded')).toHaveLength(1);
    });

    it('the portal opens for the Stripe customer; Checkout names the customer and refuses the same plan', async () => {
      const res = await portal(team.owner).expect(201);
      expect(res.body).toEqual({
        url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/session\//),
      });
      const call = fake.requestsTo('POST', '/v1/billing_portal/sessions').pop()!;
      expect(call.authorization).toBe(`Bearer ${FAKE_STRIPE_KEY}`);
      expect(call.body).toEqual({ customer: subscription.customer, return_url: `${PUBLIC_URL}/billing` });

      const same = await checkout(team.owner, { plan: 'pro', interval: 'month' }).expect(409);
      expect(same.body.code).toBe('billing_same_plan');

      await checkout(team.owner, { plan: 'pro', interval: 'year' }).expect(201);
      const call2 = fake.requestsTo('POST', '/v1/checkout/sessions').pop()!;
      expect(call2.body.customer).toBe(subscription.customer);
      expect(call2.body).not.toHaveProperty('customer_email');
      expect(call2.body.line_items).toEqual([{ price: FAKE_PRICES.STRIPE_PRICE_PRO_YEAR, quantity: '1' }]);
    });

    it('out of order: an older `updated` delivered after a newer one leaves the newer state', async () => {
      const older = fake.event('customer.subscription.updated', fake.subscriptions.get(subscription.id), {
        created: Math.floor(Date.now() / 1000) - 60,
      });
      // The OWNER switched to Starter yearly in the portal: Stripe's current state.
      const current = fake.updateSubscription(subscription.id, {
        price: FAKE_PRICES.STRIPE_PRICE_STARTER_YEAR,
      });
      const newer = fake.event('customer.subscription.updated', current);

      await send(newer).expect(200);
      expect(await billingRow(org)).toMatchObject({ status: 'active', interval: 'year' });
      expect(await planNow(org)).toBe('starter');
      await send(older).expect(200);
      expect(await billingRow(org)).toMatchObject({ status: 'active', interval: 'year' });
      expect((await stateOf(org)).plan).toBe('starter');

      const changes = (await audits(org, 'billing.plan_changed')).map((a) => a.changes);
      expect(changes).toHaveLength(2);
      expect(changes[1]).toMatchObject({ from: 'pro', to: 'starter', interval: 'year', eventId: newer.id });
      expect(await storedEvent(older.id)).toMatchObject({ organization_id: org });
    });

    it('invoice.payment_failed: past due from the first failure, the plan kept through the grace period', async () => {
      fake.updateSubscription(subscription.id, { status: 'past_due' });
      const invoice = fake.invoice(fake.subscriptions.get(subscription.id)!, 'open');
      const started = Date.now();
      await send(fake.event('invoice.payment_failed', invoice)).expect(200);

      const row = await billingRow(org);
      expect(row.status).toBe('past_due');
      expect(row.past_due_since.getTime()).toBeGreaterThanOrEqual(started - 1000);
      const [failed] = await audits(org, 'billing.payment_failed');
      expect(failed).toMatchObject({
        actor_type: 'system',
        changes: {
          invoiceId: invoice.id,
          subscriptionId: subscription.id,
          amount: 2900,
          currency: 'usd',
          attempt: 1,
        },
      });
      expect(await audits(org, 'billing.subscription_past_due')).toHaveLength(1);
      expect(await planNow(org)).toBe('starter');

      // A second failure (Stripe's retry) keeps the day it first became past due.
      await send(
        fake.event('invoice.payment_failed', fake.invoice(fake.subscriptions.get(subscription.id)!, 'open')),
      ).expect(200);
      expect((await billingRow(org)).past_due_since.getTime()).toBe(row.past_due_since.getTime());
      expect(await audits(org, 'billing.payment_failed')).toHaveLength(2);
      expect(await audits(org, 'billing.subscription_past_due')).toHaveLength(1);

      // Within the grace period (6 of 7 days) the plan holds; past it the organization is on Free.
      await t.owner.query(
        `UPDATE organization_billing SET past_due_since = now() - interval '6 days' WHERE organization_id = $1`,
        [org],
      );
      expect(await planNow(org)).toBe('starter');
      await t.owner.query(
        `UPDATE organization_billing SET past_due_since = now() - interval '8 days' WHERE organization_id = $1`,
        [org],
      );
      expect(await planNow(org)).toBe('free');
      expect((await stateOf(org)).plan).toBe('starter');
    });

    it('invoice.paid: active again, past_due_since cleared, the plan back', async () => {
      fake.updateSubscription(subscription.id, { status: 'active' });
      const invoice = fake.invoice(fake.subscriptions.get(subscription.id)!, 'paid');
      await send(fake.event('invoice.paid', invoice)).expect(200);
      expect(await billingRow(org)).toMatchObject({ status: 'active', past_due_since: null });
      expect(await planNow(org)).toBe('starter');
      const [paid] = await audits(org, 'billing.payment_succeeded');
      expect(paid.changes).toMatchObject({ invoiceId: invoice.id, amount: 2900, currency: 'usd' });
      // The grace had run out: the organization was on Free, now back on Starter.
      expect((await audits(org, 'billing.plan_changed')).pop()!.changes).toMatchObject({
        from: 'free',
        to: 'starter',
      });
    });

    it('cancellation at the period end keeps the plan until then, then Free', async () => {
      const current = fake.updateSubscription(subscription.id, { cancelAtPeriodEnd: true });
      await send(fake.event('customer.subscription.updated', current)).expect(200);
      expect(await billingRow(org)).toMatchObject({ status: 'active', cancel_at_period_end: true });
      expect(await audits(org, 'billing.cancellation_scheduled')).toHaveLength(1);
      expect(await planNow(org)).toBe('starter');
      await t.owner.query(
        `UPDATE organization_billing SET current_period_end = now() - interval '1 hour' WHERE organization_id = $1`,
        [org],
      );
      expect(await planNow(org)).toBe('free');

      // Withdrawn in the portal before the end: Stripe's state wins again (a new period end too).
      const renewed = fake.updateSubscription(subscription.id, {
        cancelAtPeriodEnd: false,
        currentPeriodEnd: Math.floor((Date.now() + 20 * DAY) / 1000),
      });
      await send(fake.event('customer.subscription.updated', renewed)).expect(200);
      expect(await billingRow(org)).toMatchObject({ cancel_at_period_end: false });
      expect(await audits(org, 'billing.cancellation_withdrawn')).toHaveLength(1);
      expect(await planNow(org)).toBe('starter');
    });

    it('customer.subscription.deleted: canceled, Free applies, nothing else removed', async () => {
      const ended = fake.updateSubscription(subscription.id, { status: 'canceled' });
      const event = fake.event('customer.subscription.deleted', ended);
      await send(event).expect(200);
      expect(await billingRow(org)).toMatchObject({
        status: 'canceled',
        stripe_customer_id: subscription.customer,
        stripe_subscription_id: subscription.id,
      });
      expect(await planNow(org)).toBe('free');
      const [canceled] = await audits(org, 'billing.subscription_canceled');
      expect(canceled.changes).toMatchObject({ eventId: event.id, plan: 'starter' });
      expect((await audits(org, 'billing.plan_changed')).pop()!.changes).toMatchObject({
        from: 'starter',
        to: 'free',
      });
      // A new Checkout is possible again (same plan and interval: the old subscription ended).
      await checkout(team.owner, { plan: 'starter', interval: 'year' }).expect(201);
    });

    it('accepts the period end on the subscription itself (API versions before 2025-03)', async () => {
      const { organizationId, subscription: sub } = await subscribedOrg(
        FAKE_PRICES.STRIPE_PRICE_STARTER_MONTH,
      );
      const end = Math.floor((Date.now() + 12 * DAY) / 1000);
      const legacy = fake.updateSubscription(sub.id, { legacyPeriodEnd: true, currentPeriodEnd: end });
      expect(legacy.items.data[0]).not.toHaveProperty('current_period_end');
      await send(fake.event('customer.subscription.updated', legacy)).expect(200);
      expect((await billingRow(organizationId)).current_period_end.getTime()).toBe(end * 1000);
      expect(await planNow(organizationId)).toBe('starter');
    });

    it('other event types and unknown organizations: 200, recorded, no effect', async () => {
      const other = fake.event('customer.created', {
        id: 'cus_new',
        object: 'customer',
        email: 'x@example.com',
      });
      await send(other).expect(200);
      expect(await storedEvent(other.id)).toEqual({
        id: other.id,
        type: 'customer.created',
        organization_id: null,
      });

      const stranger = fake.createSubscription({ price: FAKE_PRICES.STRIPE_PRICE_PRO_MONTH });
      const before = fake.requests.length;
      const unknown = fake.event('customer.subscription.created', stranger);
      await send(unknown).expect(200);
      expect(await storedEvent(unknown.id)).toMatchObject({ organization_id: null });
      expect(fake.requests.length).toBe(before);
      expect(
        (
          await t.owner.query(
            `SELECT count(*)::int AS n FROM organization_billing WHERE stripe_customer_id = $1`,
            [stranger.customer],
          )
        ).rows[0].n,
      ).toBe(0);

      // Metadata naming an organization that does not exist is an unknown organization too.
      const ghost = fake.event('checkout.session.completed', {
        id: 'cs_test_ghost',
        object: 'checkout.session',
        client_reference_id: '00000000-0000-4000-8000-000000000000',
        metadata: { organizationId: '00000000-0000-4000-8000-000000000000' },
        subscription: stranger.id,
      });
      await send(ghost).expect(200);
      expect(await storedEvent(ghost.id)).toMatchObject({ organization_id: null });
    });

    it('a subscription of one organization cannot be applied to another', async () => {
      const { organizationId: other, subscription: theirs } = await subscribedOrg();
      const mine = await signUp(t, 'Mine');
      const auditsBefore = await auditCount(mine.organizationId);
      const forged = fake.event('checkout.session.completed', {
        id: 'cs_test_forged',
        object: 'checkout.session',
        client_reference_id: mine.organizationId,
        metadata: { organizationId: mine.organizationId },
        subscription: theirs.id,
      });
      await send(forged).expect(200);
      expect((await billingRow(mine.organizationId))?.stripe_subscription_id ?? null).toBeNull();
      expect(await planNow(mine.organizationId)).toBe('free');
      expect(await auditCount(mine.organizationId)).toBe(auditsBefore);
      expect(await planNow(other)).toBe('pro');
    });
  });

  // ---- webhooks: refused deliveries --------------------------------------------------------------

  describe('signatures', () => {
    const expectRefused = async (res: { status: number; body: { code?: string } }, eventId: string) => {
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('stripe_signature_invalid');
      expect(await storedEvent(eventId)).toBeUndefined();
    };
    const subscriptionEvent = () =>
      fake.event(
        'customer.subscription.updated',
        fake.createSubscription({ organizationId: org, price: FAKE_PRICES.STRIPE_PRICE_PRO_MONTH }),
      );

    it('refuses a missing, malformed or wrongly keyed signature, a stale one and a tampered body; nothing is stored', async () => {
      const event = subscriptionEvent();
      const { payload, signature } = fake.signed(event);
      const before = fake.requests.length;
      const auditsBefore = await auditCount(org);
      const row = await billingRow(org);

      await expectRefused(await deliver(payload), event.id);
      await expectRefused(await deliver(payload, ''), event.id);
      await expectRefused(await deliver(payload, 't=1,v1=deadbeef'), event.id);
      await expectRefused(await deliver(payload, 'garbage'), event.id);
      await expectRefused(
        await deliver(payload, fake.signed(event, { secret: 'whsec_someoneElsesSecret' }).signature),
        event.id,
      );
      const stale = fake.signed(event, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
      await expectRefused(await deliver(stale.payload, stale.signature), event.id);
      // The same JSON re-serialized (whitespace) is not the signed bytes.
      await expectRefused(await deliver(JSON.stringify(event), signature), event.id);
      const tampered = payload.replace(`"customer.subscription.updated"`, `"customer.subscription.deleted"`);
      expect(tampered).not.toBe(payload);
      await expectRefused(await deliver(tampered, signature), event.id);
      const notJson = await t
        .http()
        .post('/api/v1/billing/webhooks/stripe')
        .set('Content-Type', 'text/plain')
        .set('Stripe-Signature', signature)
        .send(payload);
      await expectRefused(notJson, event.id);
      const malformed = await deliver(payload.slice(0, -1), signature).expect(400);
      expect(malformed.body.code).toBe('malformed_json');

      expect(fake.requests.length).toBe(before);
      expect(await auditCount(org)).toBe(auditsBefore);
      expect(await billingRow(org)).toEqual(row);
      // The genuine delivery still works afterwards.
      await deliver(payload, signature).expect(200);
      expect(await storedEvent(event.id)).toBeDefined();
    });

    it('a signed payload that is not an event is refused', async () => {
      const { payload, signature } = fake.signed({ id: 'evt_notAnEvent', object: 'event' });
      await expectRefused(await deliver(payload, signature), 'evt_notAnEvent');
    });
  });

  // ---- webhooks: Stripe unreachable ------------------------------------------------------------

  describe('Stripe outage while applying an event', () => {
    it('answers 5xx, stores nothing, and applies the event when Stripe delivers it again', async () => {
      const { organizationId, subscription: sub } = await subscribedOrg(FAKE_PRICES.STRIPE_PRICE_PRO_YEAR);
      const current = fake.updateSubscription(sub.id, { status: 'past_due' });
      const event = fake.event('invoice.payment_failed', fake.invoice(current, 'open'));
      const auditsBefore = await auditCount(organizationId);

      fake.outage = 'error';
      const failed = await send(event);
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe('stripe_unavailable');
      fake.outage = 'down';
      expect((await send(event)).status).toBe(502);
      expect(await storedEvent(event.id)).toBeUndefined();
      expect(await auditCount(organizationId)).toBe(auditsBefore);
      expect((await billingRow(organizationId)).status).toBe('active');

      fake.outage = null;
      const retried = await send(event).expect(200);
      expect(retried.body).toEqual({ received: true });
      expect(await storedEvent(event.id)).toMatchObject({
        organization_id: organizationId,
        type: 'invoice.payment_failed',
      });
      expect((await billingRow(organizationId)).status).toBe('past_due');
      expect(await audits(organizationId, 'billing.payment_failed')).toHaveLength(1);
    });
  });
});

describe('Billing through Stripe, not configured', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let owner: SignedUpUser;

  beforeAll(async () => {
    fake = await new FakeStripe().start();
    // Stripe is configured here but without a webhook secret and without the Pro yearly price.
    t = await bootTestApp({
      env: { ...fakeStripeEnv(fake), STRIPE_WEBHOOK_SECRET: undefined, STRIPE_PRICE_PRO_YEAR: undefined },
    });
    owner = await signUp(t, 'Owner');
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('a plan whose price variable is missing answers 409 naming it', async () => {
    const res = await t
      .http()
      .post('/api/v1/billing/checkout')
      .set(auth(owner))
      .send({ plan: 'pro', interval: 'year' })
      .expect(409);
    expect(res.body.code).toBe('billing_not_configured');
    expect(res.body.detail).toContain('STRIPE_PRICE_PRO_YEAR');
    await t
      .http()
      .post('/api/v1/billing/checkout')
      .set(auth(owner))
      .send({ plan: 'pro', interval: 'month' })
      .expect(201);
  });

  it('without a webhook secret every webhook is refused, even one signed correctly', async () => {
    const sub = fake.createSubscription({
      organizationId: owner.organizationId,
      price: FAKE_PRICES.STRIPE_PRICE_PRO_MONTH,
    });
    const event = fake.event('customer.subscription.created', sub);
    const { payload, signature } = fake.signed(event, { secret: FAKE_WEBHOOK_SECRET });
    const res = await t
      .http()
      .post('/api/v1/billing/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload)
      .expect(400);
    expect(res.body.code).toBe('stripe_signature_invalid');
    expect((await t.owner.query(`SELECT count(*)::int AS n FROM stripe_events`)).rows[0].n).toBe(0);
  });

  it('without STRIPE_SECRET_KEY: Checkout and the portal answer 409 billing_not_configured, webhooks 400', async () => {
    const plain = await bootTestApp({ runWorkers: false });
    try {
      const owner = await signUp(plain, 'Owner');
      for (const path of ['checkout', 'portal']) {
        const res = await plain
          .http()
          .post(`/api/v1/billing/${path}`)
          .set(auth(owner))
          .send({ plan: 'starter', interval: 'month' })
          .expect(409);
        expect(res.body.code).toBe('billing_not_configured');
      }
      const res = await plain
        .http()
        .post('/api/v1/billing/webhooks/stripe')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', 't=1,v1=00')
        .send('{"id":"evt_1"}')
        .expect(400);
      expect(res.body.code).toBe('stripe_signature_invalid');
    } finally {
      await plain.close();
    }
  });
});
