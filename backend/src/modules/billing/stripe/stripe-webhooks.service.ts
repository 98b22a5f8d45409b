import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { UUID } from '../../../authz/credentials';
import { AppConfig } from '../../../config/app-config';
import { TenantTransactions } from '../../../database/tenancy/tenant-transactions';
import { AuditService } from '../../audit/audit.service';
import { BillingException } from '../billing.errors';
import { BillingRepository } from '../billing.repository';
import { effectivePlan, type BillingState } from '../subscription-state';
import type { StripeWebhookResponseDto } from './dto/billing-stripe.response.dto';
import { LIVE_STATUSES, StripeAccess } from './stripe-access';
import { StripeEventsRepository } from './stripe-events.repository';
import { applySubscription, idOf } from './stripe-subscription';

/** The event types that change or note something; every other type is recorded and ignored. */
export const HANDLED_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
type HandledEvent = (typeof HANDLED_EVENTS)[number];
const isHandled = (type: string): type is HandledEvent =>
  (HANDLED_EVENTS as readonly string[]).includes(type);

/** The parts of the event objects we read (checkout sessions, subscriptions, invoices). */
interface EventObject {
  id?: string;
  object?: string;
  metadata?: Record<string, string> | null;
  client_reference_id?: string | null;
  customer?: string | { id: string } | null;
  subscription?: string | { id: string } | null;
  parent?: { subscription_details?: { subscription?: string | { id: string } | null } | null } | null;
  amount_paid?: number;
  amount_due?: number;
  currency?: string;
  attempt_count?: number;
}

const SYSTEM = { type: 'system', id: null } as const;

/**
 * The signed Stripe webhooks that keep `organization_billing` in step with Stripe (docs/billing.md).
 * Stripe's answers decide the state: a webhook only says "look again", and the subscription is
 * retrieved, so events cannot move it backwards.
 */
@Injectable()
export class StripeWebhooksService {
  private readonly logger = new Logger(StripeWebhooksService.name);

  constructor(
    private readonly stripe: StripeAccess,
    private readonly config: AppConfig,
    private readonly transactions: TenantTransactions,
    private readonly billing: BillingRepository,
    private readonly events: StripeEventsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Verifies a webhook's signature on the exact bytes received, then applies the event once, in
   * one system transaction: its id is claimed first (a replay stops there), the organization's
   * billing row is locked, the subscription's current state is retrieved from Stripe and saved,
   * and the audit events are written. If Stripe cannot be reached the transaction rolls back,
   * the id is not kept and the 502 makes Stripe deliver the event again.
   */
  async handleWebhook(
    rawBody: Buffer | undefined,
    signature: string | undefined,
  ): Promise<StripeWebhookResponseDto> {
    const event = this.verify(rawBody, signature);
    return this.transactions.run({ organizationId: null, userId: null, system: true }, async () => {
      const object = event.data.object as EventObject;
      const organizationId = await this.organizationOf(object);
      if (organizationId) await this.transactions.rescope({ organizationId, userId: null, system: true });
      if (!(await this.events.claim(event.id, event.type, organizationId))) {
        this.logger.log({ eventId: event.id, type: event.type }, 'Stripe event already applied');
        return { received: true, duplicate: true };
      }
      if (!isHandled(event.type)) return { received: true };
      if (!organizationId) {
        this.logger.warn(
          { eventId: event.id, type: event.type, customer: idOf(object.customer) },
          'Stripe event for no known organization: ignored',
        );
        return { received: true };
      }
      await this.apply(event.id, event.type, object, organizationId);
      return { received: true };
    });
  }

  private async apply(eventId: string, type: HandledEvent, object: EventObject, organizationId: string) {
    const settings = this.stripe.configured().settings;
    const before = await this.billing.lockState(organizationId);
    if (!before) return;
    const subscriptionId = this.subscriptionOf(type, object);
    const now = new Date();

    if (type === 'invoice.paid' || type === 'invoice.payment_failed')
      await this.audit.record({
        organizationId,
        actor: SYSTEM,
        action: type === 'invoice.paid' ? 'billing.payment_succeeded' : 'billing.payment_failed',
        target: { type: 'organization', id: organizationId },
        changes: {
          eventId,
          invoiceId: object.id ?? null,
          subscriptionId,
          amount: type === 'invoice.paid' ? (object.amount_paid ?? null) : (object.amount_due ?? null),
          currency: object.currency ?? null,
          ...(type === 'invoice.payment_failed' ? { attempt: object.attempt_count ?? null } : {}),
        },
      });
    if (!subscriptionId) return;

    const sub = await this.retrieve(subscriptionId);
    let after: BillingState;
    if (sub) {
      const owner = sub.metadata?.organizationId;
      if (owner && owner !== organizationId) {
        this.logger.warn(
          { eventId, subscriptionId, organizationId, owner },
          'subscription of another organization: ignored',
        );
        return;
      }
      const replaced =
        before.stripeSubscriptionId !== null &&
        before.stripeSubscriptionId !== sub.id &&
        LIVE_STATUSES.has(before.status);
      const applied = applySubscription(before, sub, settings.prices, now);
      if (applied.ignored) {
        // A new subscription's first payment is pending: the current one (if any) stays in force.
        if (applied.state.stripeCustomerId !== before.stripeCustomerId)
          await this.billing.save(applied.state);
        return;
      }
      if (replaced && applied.state.status === 'canceled') {
        // An older subscription ended after a newer one took over: the newer one stays.
        this.logger.log(
          { eventId, subscriptionId, current: before.stripeSubscriptionId },
          'an earlier subscription ended',
        );
        return;
      }
      if (applied.unknownPrice)
        this.logger.warn(
          { eventId, subscriptionId, price: applied.unknownPrice },
          'subscription price is none of the configured STRIPE_PRICE_* ids: plan kept',
        );
      after = applied.state;
    } else if (type === 'customer.subscription.deleted' && before.stripeSubscriptionId === subscriptionId) {
      // Gone from Stripe altogether (test data deleted): it ended.
      after = { ...before, status: 'canceled', cancelAtPeriodEnd: false, pastDueSince: null };
    } else {
      this.logger.warn({ eventId, subscriptionId }, 'subscription not found in Stripe: event ignored');
      return;
    }

    await this.billing.save(after);
    await this.recordChanges(eventId, organizationId, before, after, now);
  }

  /** The audit events for what changed between the state before and after an event. */
  private async recordChanges(
    eventId: string,
    organizationId: string,
    before: BillingState,
    after: BillingState,
    now: Date,
  ) {
    const record = (action: string, changes: Record<string, unknown>) =>
      this.audit.record({
        organizationId,
        actor: SYSTEM,
        action,
        target: { type: 'organization', id: organizationId },
        changes: { eventId, subscriptionId: after.stripeSubscriptionId, ...changes },
      });
    const grace = this.config.billing.graceDays;
    const from = effectivePlan(before, now, grace);
    const to = effectivePlan(after, now, grace);
    if (from !== to)
      await record('billing.plan_changed', { from, to, status: after.status, interval: after.interval });
    if (after.status === 'canceled' && before.status !== 'canceled')
      await record('billing.subscription_canceled', { plan: after.plan });
    else if (after.status === 'past_due' && before.status !== 'past_due')
      await record('billing.subscription_past_due', {
        plan: after.plan,
        pastDueSince: after.pastDueSince?.toISOString() ?? null,
      });
    if (after.cancelAtPeriodEnd !== before.cancelAtPeriodEnd)
      await record(
        after.cancelAtPeriodEnd ? 'billing.cancellation_scheduled' : 'billing.cancellation_withdrawn',
        {
          plan: after.plan,
          currentPeriodEnd: after.currentPeriodEnd?.toISOString() ?? null,
        },
      );
    if (from === to && (after.plan !== before.plan || after.interval !== before.interval))
      await record('billing.subscription_updated', {
        plan: { from: before.plan, to: after.plan },
        interval: { from: before.interval, to: after.interval },
      });
  }

  /** The event's signature checked on the raw bytes with the webhook secret; 400 otherwise. */
  private verify(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    const secret = this.config.billing.stripe?.webhookSecret;
    if (!this.stripe.client || !secret) {
      this.logger.warn('Stripe webhook refused: STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set');
      throw new BillingException(
        'stripe_signature_invalid',
        'Stripe webhooks are not configured on this server',
      );
    }
    if (!signature)
      throw new BillingException('stripe_signature_invalid', 'The Stripe-Signature header is missing');
    if (!rawBody?.length)
      throw new BillingException('stripe_signature_invalid', 'The body must be the JSON event Stripe signed');
    let event: Stripe.Event;
    try {
      event = this.stripe.client.webhooks.constructEvent(rawBody, signature, secret);
    } catch (err) {
      this.logger.warn({ reason: (err as Error).message }, 'Stripe webhook signature refused');
      throw new BillingException(
        'stripe_signature_invalid',
        'The Stripe-Signature header does not match the body, the secret or the current time',
      );
    }
    const data = (event as { data?: { object?: unknown } }).data;
    if (
      typeof event.id !== 'string' ||
      typeof event.type !== 'string' ||
      typeof data?.object !== 'object' ||
      !data.object
    )
      throw new BillingException('stripe_signature_invalid', 'The signed payload is not a Stripe event');
    return event;
  }

  /**
   * The organization an event is about: the id Checkout put in the metadata / client reference,
   * else the organization of the Stripe customer. Null when neither names an existing one.
   */
  private async organizationOf(object: EventObject): Promise<string | null> {
    const named = [object.metadata?.organizationId, object.client_reference_id].find(
      (v): v is string => typeof v === 'string' && UUID.test(v),
    );
    if (named) return (await this.billing.state(named)) ? named.toLowerCase() : null;
    const customer = idOf(object.customer);
    return customer ? this.billing.organizationOfCustomer(customer) : null;
  }

  private subscriptionOf(type: HandledEvent, object: EventObject): string | null {
    if (type.startsWith('customer.subscription.')) return object.id ?? null;
    if (type === 'checkout.session.completed') return idOf(object.subscription);
    // Invoices: `parent.subscription_details.subscription` in recent API versions, `subscription` before.
    return idOf(object.parent?.subscription_details?.subscription) ?? idOf(object.subscription);
  }

  /** The subscription as Stripe has it now; null if Stripe does not know it. Outages throw (502). */
  private async retrieve(id: string): Promise<Stripe.Subscription | null> {
    const stripe = this.stripe.configured().stripe;
    try {
      return await stripe.subscriptions.retrieve(id);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
      throw this.stripe.failed('retrieve a subscription', err);
    }
  }
}
