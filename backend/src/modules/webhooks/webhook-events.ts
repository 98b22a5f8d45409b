/**
 * The event types an endpoint may subscribe to (API-CONTRACT.md, "Webhooks"), grouped as the
 * console shows them. Each comes from an outbox row of the same type, except `import.completed`
 * and `budget.threshold_reached`, which are accepted now and fire once the import and budget
 * features write them (docs/webhooks.md, "Events").
 */
export const WEBHOOK_EVENT_GROUPS = {
  prompts: [
    'prompt.created',
    'prompt.updated',
    'prompt.deleted',
    'prompt.version_created',
    'prompt.label_moved',
  ],
  comments: ['comment.created'],
  members: ['member.joined', 'member.removed'],
  imports: ['import.completed'],
  budgets: ['budget.threshold_reached'],
} as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_GROUPS)[keyof typeof WEBHOOK_EVENT_GROUPS][number];

export const WEBHOOK_EVENTS: readonly WebhookEventType[] = Object.values(WEBHOOK_EVENT_GROUPS).flat();

/** What `POST /webhooks/:id/test` sends; not subscribable, delivered to that one endpoint. */
export const TEST_EVENT = 'webhook.test';

export const isWebhookEvent = (type: string): type is WebhookEventType =>
  (WEBHOOK_EVENTS as readonly string[]).includes(type);

/** Events that concern a prompt and must not leak a private prompt's existence. */
const PROMPT_EVENT = /^(prompt|comment)\./;
export const concernsPrompt = (type: string): boolean => PROMPT_EVENT.test(type);

/**
 * The key that keeps deliveries in order: the events of one prompt (its comments included) reach
 * an endpoint in the order they happened; other events are ordered per aggregate.
 */
export function orderKeyOf(
  type: string,
  aggregateType: string,
  aggregateId: string,
  payload: Record<string, unknown>,
): string {
  if (type.startsWith('comment.') && typeof payload.promptId === 'string')
    return `prompt:${payload.promptId}`;
  return `${aggregateType}:${aggregateId}`;
}

/** The prompt an event is about, if any. */
export function promptIdOf(
  type: string,
  aggregateType: string,
  aggregateId: string,
  payload: Record<string, unknown>,
): string | undefined {
  if (aggregateType === 'prompt') return aggregateId;
  if (concernsPrompt(type) && typeof payload.promptId === 'string') return payload.promptId;
  return undefined;
}
