import type { WebhookEventType } from './webhooks.api';

export interface EventGroup {
  label: string;
  events: readonly { type: WebhookEventType; label: string }[];
}

/** The subscribable events, grouped as the create dialog shows them (docs/webhooks.md, "Events"). */
export const EVENT_GROUPS: readonly EventGroup[] = [
  {
    label: 'Prompts',
    events: [
      { type: 'prompt.created', label: 'Created' },
      { type: 'prompt.updated', label: 'Updated' },
      { type: 'prompt.deleted', label: 'Deleted' },
      { type: 'prompt.version_created', label: 'New version' },
      { type: 'prompt.label_moved', label: 'Label moved' },
    ],
  },
  { label: 'Comments', events: [{ type: 'comment.created', label: 'Comment posted' }] },
  {
    label: 'Members',
    events: [
      { type: 'member.joined', label: 'Member joined' },
      { type: 'member.removed', label: 'Member removed' },
    ],
  },
  {
    label: 'Other',
    events: [
      { type: 'import.completed', label: 'Import completed' },
      { type: 'budget.threshold_reached', label: 'Budget threshold reached' },
    ],
  },
];

export const ALL_EVENTS: readonly WebhookEventType[] = EVENT_GROUPS.flatMap((g) =>
  g.events.map((e) => e.type),
);
