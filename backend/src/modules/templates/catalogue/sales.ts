import type { PromptTemplate } from '../templates.catalogue';
import { text, optionalText, number, CREATIVE, BALANCED } from './builders';

/** Starter templates of the sales category. */
export const SALES: readonly PromptTemplate[] = [
  {
    id: 'sales-cold-outreach-email',
    title: 'Cold outreach email',
    description: 'A short, personalised first-touch email that earns a reply instead of a delete.',
    category: 'sales',
    content: `Write a cold email from {{sender}} at {{company}} to {{prospect_name}}, {{prospect_role}} at {{prospect_company}}.

What we know about them: {{research}}
What we offer: {{offer}}

Rules: under 120 words, a subject line of 3 to 6 words in lower case, the first sentence about them
(not us), one specific reason we reached out now, one low-friction question as the call to action
(no meeting links). No buzzwords, no "I hope this finds you well". Write {{follow_ups}} short
follow-up emails as well, each adding something new.`,
    variables: [
      text('sender', 'Your name'),
      text('company', 'Your company'),
      text('prospect_name', 'Prospect first name'),
      text('prospect_role', 'Prospect job title'),
      text('prospect_company', 'Prospect company'),
      text('research', 'A recent event, post or fact about them'),
      text('offer', 'The value we bring, in one sentence'),
      number('follow_ups', 'Number of follow-ups', 2),
    ],
    metadata: CREATIVE,
  },
  {
    id: 'sales-discovery-call-prep',
    title: 'Discovery call preparation',
    description: 'Research notes and a question plan for a first sales conversation.',
    category: 'sales',
    content: `Prepare me for a discovery call with {{prospect_company}} ({{industry}}).

What we sell: {{offer}}
What we know so far: {{notes}}
Call length: {{minutes}} minutes

Give me: likely business priorities for a company like this; three hypotheses about their pain;
ten open questions ordered from situation to implication (SPIN style); signals that they are a poor
fit; and a one-sentence agenda to open the call. Keep it scannable.`,
    variables: [
      text('prospect_company', 'Company name'),
      text('industry', 'Their industry'),
      text('offer', 'What we sell'),
      optionalText('notes', 'Anything already known (optional)'),
      number('minutes', 'Call length in minutes', 30),
    ],
    metadata: BALANCED,
  },
  {
    id: 'sales-objection-handling',
    title: 'Objection handling',
    description: 'Responses to a prospect objection that acknowledge, question and reframe.',
    category: 'sales',
    content: `A prospect said: "{{objection}}"

Deal context: {{context}}
Our product: {{product}}

Write three possible responses, each following acknowledge, clarify with a question, respond with
evidence, and confirm. Vary the approach (value, risk reduction, alternative comparison). Each under
80 words, conversational, never dismissive. Then list what we should learn before the next call.`,
    variables: [
      text('objection', 'The objection, in their words'),
      text('context', 'Stage, size and stakeholders of the deal'),
      text('product', 'Our product and its relevant strengths'),
    ],
    metadata: BALANCED,
  },
  {
    id: 'sales-proposal-summary',
    title: 'Proposal executive summary',
    description: 'A one-page executive summary for a proposal that a buyer can forward internally.',
    category: 'sales',
    content: `Write the executive summary of a proposal to {{client}}.

Their goal: {{goal}}
Our solution: {{solution}}
Investment: {{price}}
Timeline: {{timeline}}
Decision makers: {{stakeholders}}

One page at most: the situation in their words, the outcome they get (with a measurable target),
how we deliver it in three phases, the investment and its return, and the next step with a date.
Written so the champion can forward it to the CFO without edits.`,
    variables: [
      text('client', 'Client name'),
      text('goal', 'Their business goal'),
      text('solution', 'What we propose'),
      text('price', 'Price or range'),
      text('timeline', 'Delivery timeline'),
      optionalText('stakeholders', 'Who decides (optional)'),
    ],
    metadata: BALANCED,
  },
];
