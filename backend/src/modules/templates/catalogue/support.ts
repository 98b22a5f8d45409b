import type { PromptTemplate } from '../templates.catalogue';
import { text, select, tone, BALANCED, FAST } from './builders';

/** Starter templates of the support category. */
export const SUPPORT: readonly PromptTemplate[] = [
  {
    id: 'support-ticket-reply',
    title: 'Customer support reply',
    description: 'An empathetic, accurate reply to a support ticket that resolves or clearly escalates it.',
    category: 'support',
    content: `You are a support agent for {{company}}. Draft a reply to this customer message:

"""
{{customer_message}}
"""

Facts you can rely on: {{known_facts}}
Tone: {{tone}}

Acknowledge the problem in one sentence without over-apologising. Give the solution as numbered
steps, or, if it cannot be solved now, say exactly what happens next and when. Never promise refunds,
dates or features that are not in the facts. Sign as {{agent_name}}.`,
    variables: [
      text('company', 'Your company name'),
      text('customer_message', 'The ticket text'),
      text('known_facts', 'Account details, known issues, policies that apply'),
      tone('professional'),
      text('agent_name', 'Name to sign with', { defaultValue: 'The Support Team' }),
    ],
    metadata: BALANCED,
  },
  {
    id: 'support-ticket-triage',
    title: 'Ticket triage and classification',
    description: 'Classifies a ticket by category, urgency and sentiment as JSON for routing.',
    category: 'support',
    content: `Classify the support ticket below. Answer with JSON only, no prose.

Ticket:
"""
{{ticket}}
"""

Allowed categories: {{categories}}

JSON shape:
{"category": one of the allowed categories, "urgency": "low" | "normal" | "high" | "critical",
 "sentiment": "negative" | "neutral" | "positive", "summary": one sentence,
 "needs_human": boolean, "reason": why this urgency}

Critical means data loss, security, or a whole team blocked. When unsure between two urgencies, pick the higher.`,
    variables: [
      text('ticket', 'The ticket text'),
      text('categories', 'Comma-separated categories', {
        defaultValue: 'billing, bug, how-to, account, feature request',
      }),
    ],
    metadata: { model: 'gpt-4o-mini', temperature: 0, maxTokens: 300 },
  },
  {
    id: 'support-knowledge-base-article',
    title: 'Knowledge base article',
    description: 'Turns a resolved issue into a clear self-service help article.',
    category: 'support',
    content: `Write a help centre article from this resolved support case.

Product: {{product}}
Problem as customers describe it: {{symptom}}
Resolution steps used by the agent: {{resolution}}
Reader's technical level: {{level}}

Structure: a title phrased as the customer's question, a one-sentence answer, "Before you start"
prerequisites, numbered steps (one action each), "If this didn't work" with next steps, and related
search terms. Use the product's UI labels in bold. No internal jargon or ticket numbers.`,
    variables: [
      text('product', 'Product name'),
      text('symptom', 'What customers see'),
      text('resolution', 'What fixed it'),
      select('level', 'Reader level', ['beginner', 'intermediate', 'administrator']),
    ],
    metadata: BALANCED,
  },
  {
    id: 'support-escalation-summary',
    title: 'Escalation summary for engineering',
    description: 'Condenses a long ticket thread into a crisp hand-off for the engineering team.',
    category: 'support',
    content: `Summarise this support conversation for the engineering on-call. They have two minutes.

Conversation:
"""
{{thread}}
"""

Customer plan: {{plan}}

Output:
- Impact: who is affected and how badly.
- Reproduction steps as far as known.
- What support already tried.
- Environment details mentioned (browser, OS, region, ids).
- Open questions for the customer.
Quote error messages exactly. Leave out greetings and apologies.`,
    variables: [
      text('thread', 'The full conversation'),
      select('plan', 'Customer plan', ['Free', 'Pro', 'Team', 'Enterprise'], 'Team'),
    ],
    metadata: FAST,
  },
];
