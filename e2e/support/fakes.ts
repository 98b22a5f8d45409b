import { createServer, type Server } from 'node:http';
import { startFakeProviders } from '../../backend/test/support/fake-providers';
import {
  FAKE_PRICES,
  FAKE_STRIPE_KEY,
  FAKE_WEBHOOK_SECRET,
  FakeStripe,
} from '../../backend/test/support/fake-stripe';

/**
 * The outside services of the e2e server that cannot be reached from here, as the same local
 * fakes the integration tests use, started once by the Playwright global setup:
 *
 * - Stripe (`backend/test/support/fake-stripe.ts`) on a fixed port the server is configured
 *   with; webhooks reach the app signed with Stripe's own `generateTestHeaderString`, exactly as
 *   Stripe would post them;
 * - the model providers (`backend/test/support/fake-providers.ts`: OpenAI, Anthropic and Gemini
 *   wire formats, streaming included), which provider keys reach through their base URL.
 *
 * Test workers are other processes than the runner holding the fakes: they drive them through
 * a small control server.
 */
export const FAKE_STRIPE_PORT = 4312;
export const STRIPE_CONTROL_PORT = 4313;
const CONTROL_URL = `http://127.0.0.1:${STRIPE_CONTROL_PORT}`;

/** What the fake evaluator model answers to every structured-output request. */
export const E2E_EVALUATION = {
  reasoning: 'The task is clear, the audience and the length are not.',
  scores: { relevance: 4.6, clarity: 3.8, depth: 4.1, creativity: 4.3, robustness: 4 },
  overall: 4.2,
  strengths: ['States the task in one line'],
  doesWell: 'It names the subject of the poem.',
  overview: 'A short, clear prompt that leaves the audience and the length open.',
  suggestions: [
    { text: 'Name the audience', example: 'Write for children aged 6 to 8.' },
    { text: 'Fix the length', example: 'Exactly five lines.' },
    { text: 'Set the tone', example: 'Playful, with one rhyme per line pair.' },
  ],
  ambiguities: ['Whether the poem should rhyme'],
};

/** What the e2e server needs to use the fake (spread into its env). */
export const E2E_STRIPE_ENV: Record<string, string> = {
  STRIPE_SECRET_KEY: FAKE_STRIPE_KEY,
  STRIPE_WEBHOOK_SECRET: FAKE_WEBHOOK_SECRET,
  STRIPE_API_BASE: `http://127.0.0.1:${FAKE_STRIPE_PORT}`,
  ...FAKE_PRICES,
};

/** Starts the fake and its control server; returns the teardown. */
export async function startFakes(appUrl: string): Promise<() => Promise<void>> {
  const fake = await new FakeStripe().start(FAKE_STRIPE_PORT);
  const providers = await startFakeProviders();
  // A reply that names what was asked, streamed word by word, so outputs differ by version.
  providers.reply = ({ model, prompt }) => `${model} answers: ${prompt.replace(/\s+/g, ' ').trim()}`;
  // The AI evaluator's structured answer: a prompt with room to improve (clarity below 4).
  providers.structured = () => E2E_EVALUATION;
  const control: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      void (async () => {
        try {
          const body =
            raw && !req.url?.startsWith('/hooks/')
              ? (JSON.parse(raw) as { organizationId?: string; price?: string; apiKey?: string })
              : {};
          let result: { status: number; body: unknown };
          if (req.url === '/checkout/complete') {
            // What the customer does on Stripe's page: pay for the session the console opened.
            const sessionId = [...fake.checkoutSessions.entries()]
              .reverse()
              .find(([, s]) => s['client_reference_id'] === body.organizationId)?.[0];
            if (!sessionId) throw new Error(`no Checkout Session for ${body.organizationId}`);
            const { session } = fake.completeCheckout(sessionId);
            result = await fake.deliver(appUrl, fake.event('checkout.session.completed', session));
          } else if (req.url === '/subscriptions') {
            // A subscription that exists already (e.g. set up by sales), announced by its event.
            const subscription = fake.createSubscription({
              organizationId: body.organizationId,
              price: body.price ?? FAKE_PRICES.STRIPE_PRICE_PRO_MONTH,
            });
            result = await fake.deliver(appUrl, fake.event('customer.subscription.created', subscription));
          } else if (req.url?.startsWith('/hooks/')) {
            // A webhook receiver: takes every delivery.
            result = { status: 200, body: { received: true } };
          } else if (req.url === '/providers/keys' && body.apiKey) {
            // A key the fake providers accept; its streams come a word every 40 ms.
            providers.validKeys.add(body.apiKey);
            providers.script(body.apiKey, { chunkDelayMs: 150 });
            result = { status: 200, body: { openai: providers.baseUrl('openai') } };
          } else {
            res.writeHead(404).end();
            return;
          }
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
        } catch (err) {
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(STRIPE_CONTROL_PORT, '127.0.0.1', () => resolve());
  });
  return async () => {
    control.closeAllConnections();
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await fake.close();
    await providers.close();
  };
}

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${CONTROL_URL}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Stripe control ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { status: number; body: unknown };
}

/** Completes the organization's latest Checkout and posts the signed `checkout.session.completed`. */
export const completeCheckout = (organizationId: string) => post('/checkout/complete', { organizationId });

/** A URL of the control server that accepts webhook deliveries (200). */
export const webhookReceiverUrl = (name: string) => `${CONTROL_URL}/hooks/${encodeURIComponent(name)}`;

/** Registers `apiKey` with the fake model providers; answers the OpenAI base URL to store with it. */
export async function fakeProviderKey(apiKey: string): Promise<{ openaiBaseUrl: string }> {
  const { body } = await post('/providers/keys', { apiKey });
  return { openaiBaseUrl: (body as { openai: string }).openai };
}

/** Gives the organization an active Pro subscription (signed `customer.subscription.created`). */
export const subscribeToPro = (organizationId: string) => post('/subscriptions', { organizationId });
