import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the part of Stripe's API the billing module calls, shaped like the real
 * one: form-encoded request bodies (`a[b][c]=v`, arrays as `a[0][b]=v`), `Authorization: Bearer
 * sk_test_…` required, Stripe's objects and its error body (`{error: {type, code, message}}`).
 * Point the app at it with `STRIPE_API_BASE=fake.url`. Tests set and change subscriptions with
 * the helpers, make it fail (`outage`), and sign events with Stripe's own
 * `webhooks.generateTestHeaderString`.
 *
 * No jest imports: the Playwright journey starts it from a globalSetup (`start(port)`).
 */

export const FAKE_STRIPE_KEY = 'sk_test_fakeStripeKey0123456789';
export const FAKE_WEBHOOK_SECRET = 'whsec_fakeStripeWebhookSecret0123456789';
export const FAKE_PRICES = {
  STRIPE_PRICE_STARTER_MONTH: 'price_starter_month',
  STRIPE_PRICE_STARTER_YEAR: 'price_starter_year',
  STRIPE_PRICE_PRO_MONTH: 'price_pro_month',
  STRIPE_PRICE_PRO_YEAR: 'price_pro_year',
} as const;

/** Everything the app needs to use this fake (merge into the test app's env). */
export const fakeStripeEnv = (fake: FakeStripe): Record<string, string> => ({
  STRIPE_SECRET_KEY: FAKE_STRIPE_KEY,
  STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
  STRIPE_API_BASE: fake.url,
  ...FAKE_PRICES,
});

/** A request the fake answered (or refused), as it arrived. */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  stripeVersion: string | undefined;
  contentType: string | undefined;
  /** The raw form body. */
  raw: string;
  /** The form body parsed into nested objects and arrays. */
  body: Record<string, unknown>;
}

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

/** Parses a form-encoded body with Stripe's nesting (`a[b][c]=v`, `a[0][b]=v`). */
export function parseStripeForm(raw: string): Record<string, unknown> {
  const root: FormObject = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const path = key.split(/[[\]]+/).filter((part, i) => part !== '' || i === 0);
    let node: FormObject = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as FormObject;
    });
  }
  return arraysOf(root) as Record<string, unknown>;
}

/** Objects whose keys are 0..n-1 become arrays (Stripe's array encoding). */
function arraysOf(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const entries = keys.map((k) => [k, arraysOf(value[k])] as const);
  if (keys.length && keys.every((k, i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

export type SubscriptionStatus = Stripe.Subscription.Status;

export interface SubscriptionInput {
  organizationId?: string;
  customer?: string;
  price: string;
  status?: SubscriptionStatus;
  /** Unix seconds; default 30 days from now. */
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  /** Put `current_period_end` on the subscription (API versions before 2025-03) instead of its item. */
  legacyPeriodEnd?: boolean;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const intervalOfPrice = (price: string): 'month' | 'year' => (price.endsWith('year') ? 'year' : 'month');

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly customers = new Set<string>();
  readonly checkoutSessions = new Map<string, Record<string, unknown>>();
  /**
   * `'error'`: every call answers 500 (`api_error`, `Stripe-Should-Retry: false`); `'down'`: every
   * connection is dropped (like Stripe being unreachable); null: normal.
   */
  outage: 'error' | 'down' | null = null;
  private server?: Server;

  /** The key requests must carry; change it to see how the app meets a 401 from Stripe. */
  constructor(public secretKey = FAKE_STRIPE_KEY) {}

  /** Starts listening on 127.0.0.1 (`port` 0 = any free port). */
  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  get url(): string {
    if (!this.server) throw new Error('FakeStripe is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests to one path (e.g. `/v1/checkout/sessions`), oldest first. */
  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  // ---- state the tests set ---------------------------------------------------------------

  addCustomer(customer = id('cus')): string {
    this.customers.add(customer);
    return customer;
  }

  /** A subscription as Stripe would hold it (recent API shape: the period on the item). */
  createSubscription(input: SubscriptionInput): Stripe.Subscription {
    const customer = this.addCustomer(input.customer);
    const subscriptionId = id('sub');
    const sub = {
      id: subscriptionId,
      object: 'subscription',
      customer,
      status: input.status ?? 'active',
      cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
      created: nowSeconds(),
      livemode: false,
      metadata: input.organizationId ? { organizationId: input.organizationId } : {},
      items: {
        object: 'list',
        data: [],
        has_more: false,
        url: `/v1/subscription_items?subscription=${subscriptionId}`,
      },
    } as unknown as Stripe.Subscription;
    this.subscriptions.set(subscriptionId, sub);
    return this.updateSubscription(subscriptionId, input);
  }

  /** Changes a subscription the way a Portal action or a payment would. */
  updateSubscription(subscriptionId: string, change: Partial<SubscriptionInput>): Stripe.Subscription {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`no subscription ${subscriptionId}`);
    const previous = sub.items.data[0] as
      (Stripe.SubscriptionItem & { current_period_end?: number }) | undefined;
    const price = change.price ?? previous?.price.id;
    if (!price) throw new Error('a subscription needs a price');
    const periodEnd =
      change.currentPeriodEnd ??
      previous?.current_period_end ??
      (sub as unknown as { current_period_end?: number }).current_period_end ??
      nowSeconds() + 30 * 86_400;
    const item = {
      id: previous?.id ?? id('si'),
      object: 'subscription_item',
      quantity: 1,
      subscription: sub.id,
      price: {
        id: price,
        object: 'price',
        active: true,
        currency: 'usd',
        type: 'recurring',
        recurring: { interval: intervalOfPrice(price), interval_count: 1 },
      },
      ...(change.legacyPeriodEnd
        ? {}
        : { current_period_start: periodEnd - 30 * 86_400, current_period_end: periodEnd }),
    };
    const updated = {
      ...sub,
      status: change.status ?? sub.status,
      cancel_at_period_end: change.cancelAtPeriodEnd ?? sub.cancel_at_period_end,
      items: { ...sub.items, data: [item] },
      ...(change.legacyPeriodEnd ? { current_period_end: periodEnd } : {}),
      ...(change.status === 'canceled' ? { canceled_at: nowSeconds(), ended_at: nowSeconds() } : {}),
    } as unknown as Stripe.Subscription;
    this.subscriptions.set(subscriptionId, updated);
    return updated;
  }

  /**
   * What completing a Checkout page does: a customer (the organization's, or a new one) and an
   * active subscription for the session's price; returns the completed session.
   */
  completeCheckout(sessionId: string): {
    session: Record<string, unknown>;
    subscription: Stripe.Subscription;
  } {
    const session = this.checkoutSessions.get(sessionId);
    if (!session) throw new Error(`no checkout session ${sessionId}`);
    const lineItems = session.line_items as Array<{ price: string }>;
    const subscription = this.createSubscription({
      organizationId: (session.subscription_data as { metadata?: { organizationId?: string } })?.metadata
        ?.organizationId,
      customer: (session.customer as string | null) ?? undefined,
      price: lineItems[0].price,
    });
    const completed = {
      ...session,
      status: 'complete',
      payment_status: 'paid',
      customer: subscription.customer,
      subscription: subscription.id,
    };
    this.checkoutSessions.set(sessionId, completed);
    return { session: completed, subscription };
  }

  /** The Checkout Session created last (what the console redirected to), completed as above. */
  completeLatestCheckout(): { session: Record<string, unknown>; subscription: Stripe.Subscription } {
    const last = [...this.checkoutSessions.keys()].pop();
    if (!last) throw new Error('no checkout session was created');
    return this.completeCheckout(last);
  }

  // ---- events ----------------------------------------------------------------------------

  /**
   * Signs `event` and posts it to the app's webhook endpoint like Stripe does (`appUrl` is the
   * server's origin, e.g. `http://127.0.0.1:3000`). Returns the app's answer.
   */
  async deliver(appUrl: string, event: Stripe.Event): Promise<{ status: number; body: unknown }> {
    const { payload, signature } = this.signed(event);
    const res = await fetch(`${appUrl.replace(/\/+$/, '')}/api/v1/billing/webhooks/stripe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': signature },
      body: payload,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  }

  /** A Stripe event object around `object` (a fresh `evt_…` id unless given). */
  event(type: string, object: unknown, options: { id?: string; created?: number } = {}): Stripe.Event {
    return {
      id: options.id ?? id('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: options.created ?? nowSeconds(),
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  /** An invoice of a subscription, in the recent API shape (`parent.subscription_details`). */
  invoice(subscription: Stripe.Subscription, status: 'paid' | 'open' = 'paid'): Record<string, unknown> {
    const price = subscription.items.data[0]?.price.id ?? '';
    const amount = price.includes('pro') ? 9900 : 2900;
    return {
      id: id('in'),
      object: 'invoice',
      customer: subscription.customer,
      status,
      currency: 'usd',
      amount_due: amount,
      amount_paid: status === 'paid' ? amount : 0,
      attempt_count: 1,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
    };
  }

  /** The body and `Stripe-Signature` header Stripe would send for `event`. */
  signed(
    event: Stripe.Event | Record<string, unknown>,
    options: { secret?: string; timestamp?: number } = {},
  ): { payload: string; signature: string } {
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? FAKE_WEBHOOK_SECRET,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { payload, signature };
  }

  // ---- the HTTP side ---------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake-stripe');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      authorization: req.headers.authorization,
      stripeVersion: req.headers['stripe-version'] as string | undefined,
      contentType: req.headers['content-type'],
      raw,
      body: parseStripeForm(raw),
    };
    this.requests.push(recorded);

    if (this.outage === 'down') {
      req.socket.destroy();
      return;
    }
    if (this.outage === 'error')
      return this.error(res, 500, 'api_error', 'An unknown error occurred', { retry: false });

    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!key)
      return this.error(
        res,
        401,
        'invalid_request_error',
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    if (key !== this.secretKey)
      return this.error(
        res,
        401,
        'invalid_request_error',
        `Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`,
        {
          code: 'api_key_invalid',
        },
      );

    const body = recorded.body;
    if (recorded.method === 'POST' && url.pathname === '/v1/checkout/sessions')
      return this.createCheckout(res, body);
    if (recorded.method === 'POST' && url.pathname === '/v1/billing_portal/sessions')
      return this.createPortal(res, body);
    const sub = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (recorded.method === 'GET' && sub) {
      const found = this.subscriptions.get(decodeURIComponent(sub[1]));
      if (!found)
        return this.error(res, 404, 'invalid_request_error', `No such subscription: '${sub[1]}'`, {
          code: 'resource_missing',
          param: 'id',
        });
      return this.json(res, 200, found);
    }
    return this.error(
      res,
      404,
      'invalid_request_error',
      `Unrecognized request URL (${recorded.method}: ${url.pathname}).`,
    );
  }

  private createCheckout(res: ServerResponse, body: Record<string, unknown>): void {
    const missing = ['mode', 'success_url', 'line_items'].find((p) => body[p] === undefined);
    if (missing)
      return this.error(res, 400, 'invalid_request_error', `Missing required param: ${missing}.`, {
        param: missing,
      });
    if (body.mode !== 'subscription' && body.mode !== 'payment' && body.mode !== 'setup')
      return this.error(res, 400, 'invalid_request_error', `Invalid mode: ${String(body.mode)}`, {
        param: 'mode',
      });
    if (body.customer && body.customer_email)
      return this.error(
        res,
        400,
        'invalid_request_error',
        'You may only specify one of these parameters: customer, customer_email.',
      );
    if (typeof body.customer === 'string' && !this.customers.has(body.customer))
      return this.noSuchCustomer(res, body.customer);
    const sessionId = id('cs_test');
    const session = {
      id: sessionId,
      object: 'checkout.session',
      mode: body.mode,
      status: 'open',
      payment_status: 'unpaid',
      url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      client_reference_id: body.client_reference_id ?? null,
      customer: body.customer ?? null,
      customer_email: body.customer_email ?? null,
      metadata: body.metadata ?? {},
      subscription_data: body.subscription_data ?? {},
      line_items: body.line_items,
      success_url: body.success_url,
      cancel_url: body.cancel_url ?? null,
      subscription: null,
      livemode: false,
    };
    this.checkoutSessions.set(sessionId, session);
    // Stripe does not echo line_items or subscription_data on the session object.
    const { line_items: _l, subscription_data: _s, ...visible } = session;
    this.json(res, 200, visible);
  }

  private createPortal(res: ServerResponse, body: Record<string, unknown>): void {
    if (typeof body.customer !== 'string')
      return this.error(res, 400, 'invalid_request_error', 'Missing required param: customer.', {
        param: 'customer',
      });
    if (!this.customers.has(body.customer)) return this.noSuchCustomer(res, body.customer);
    const sessionId = id('bps');
    this.json(res, 200, {
      id: sessionId,
      object: 'billing_portal.session',
      customer: body.customer,
      return_url: body.return_url ?? null,
      url: `https://billing.stripe.com/p/session/test_${sessionId}`,
      livemode: false,
    });
  }

  private noSuchCustomer(res: ServerResponse, customer: string): void {
    this.error(res, 400, 'invalid_request_error', `No such customer: '${customer}'`, {
      code: 'resource_missing',
      param: 'customer',
    });
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': id('req'), ...headers });
    res.end(JSON.stringify(body));
  }

  private error(
    res: ServerResponse,
    status: number,
    type: string,
    message: string,
    extra: { code?: string; param?: string; retry?: boolean } = {},
  ): void {
    const { retry, ...fields } = extra;
    this.json(
      res,
      status,
      { error: { type, message, ...fields } },
      retry === undefined ? {} : { 'Stripe-Should-Retry': String(retry) },
    );
  }
}
