import type { PromptMetadata, VariableDefinition } from '../prompts/variables';

/**
 * The starter templates: static data, versioned with the code. Ids are stable (clients and the
 * console link to them), so rename a template's title freely but never its id. Every template must
 * pass the same variable rules as `POST /prompts` (`templates.catalogue.spec.ts` checks it).
 */

export const TEMPLATE_CATEGORIES = [
  'marketing',
  'coding',
  'support',
  'sales',
  'hr',
  'data',
  'writing',
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export interface PromptTemplate {
  id: string;
  title: string;
  description: string;
  category: TemplateCategory;
  content: string;
  variables: VariableDefinition[];
  metadata: PromptMetadata;
}

const text = (
  name: string,
  description: string,
  extra: Partial<VariableDefinition> = {},
): VariableDefinition => ({
  name,
  description,
  type: 'text',
  required: true,
  ...extra,
});
const optionalText = (name: string, description: string): VariableDefinition =>
  text(name, description, { required: false });
const number = (name: string, description: string, defaultValue: number): VariableDefinition => ({
  name,
  description,
  type: 'number',
  required: true,
  defaultValue,
});
const boolean = (name: string, description: string, defaultValue: boolean): VariableDefinition => ({
  name,
  description,
  type: 'boolean',
  required: false,
  defaultValue,
});
const select = (
  name: string,
  description: string,
  options: string[],
  defaultValue = options[0],
): VariableDefinition => ({ name, description, type: 'select', required: true, options, defaultValue });

const tone = (defaultValue = 'friendly') =>
  select(
    'tone',
    'Voice of the text',
    ['friendly', 'professional', 'playful', 'formal', 'direct'],
    defaultValue,
  );

const CREATIVE = { model: 'gpt-4o', temperature: 0.8, maxTokens: 1200 };
const BALANCED = { model: 'gpt-4o', temperature: 0.5, maxTokens: 1500 };
const PRECISE = { model: 'gpt-4o', temperature: 0.2, maxTokens: 2000 };
const FAST = { model: 'gpt-4o-mini', temperature: 0.3, maxTokens: 800 };

export const TEMPLATES: readonly PromptTemplate[] = [
  // ------------------------------------------------------------------ marketing
  {
    id: 'marketing-product-launch-email',
    title: 'Product launch email',
    description: 'Announces a new product or feature to existing customers with a clear call to action.',
    category: 'marketing',
    content: `You are a senior lifecycle marketer. Write a launch email for {{product_name}}.

Audience: {{audience}}
What is new and why it matters: {{key_benefits}}
Call to action: {{call_to_action}}
Tone: {{tone}}

Requirements:
- A subject line under 50 characters and a preview text under 90 characters.
- An opening sentence that names the reader's problem, not the product.
- Three short paragraphs at most; one bulleted list of the benefits, each tied to an outcome.
- A single, clearly worded call to action button label.
- No exaggerated claims, no exclamation marks in the subject line.

Return the subject, the preview text and the body in Markdown.`,
    variables: [
      text('product_name', 'Name of the product or feature'),
      text('audience', 'Who receives the email, e.g. "admins of teams on the Pro plan"'),
      text('key_benefits', 'What changed and what the reader gains'),
      text('call_to_action', 'What the reader should do next'),
      tone(),
    ],
    metadata: CREATIVE,
  },
  {
    id: 'marketing-social-media-post',
    title: 'Social media post variations',
    description: 'Several platform-aware variations of one announcement, with hashtags where they fit.',
    category: 'marketing',
    content: `Write {{variations}} variations of a {{platform}} post announcing: {{announcement}}

Brand voice: {{tone}}
Link to include: {{link}}

Respect the platform's conventions (length, line breaks, hashtag use). Each variation takes a
different angle: the benefit, a question to the reader, a concrete number or example. Include emoji
only if {{use_emoji}} is true. Number the variations.`,
    variables: [
      number('variations', 'How many variations to write', 3),
      select('platform', 'Where the post is published', [
        'LinkedIn',
        'X',
        'Instagram',
        'Facebook',
        'Mastodon',
      ]),
      text('announcement', 'What the post announces'),
      tone('playful'),
      optionalText('link', 'URL to include (optional)'),
      boolean('use_emoji', 'Whether emoji are welcome', false),
    ],
    metadata: CREATIVE,
  },
  {
    id: 'marketing-seo-blog-outline',
    title: 'SEO blog post outline',
    description: 'A search-intent driven outline with headings, key points and an FAQ section.',
    category: 'marketing',
    content: `Act as an SEO content strategist. Create a detailed outline for a blog post.

Primary keyword: {{keyword}}
Target reader: {{reader}}
Target length: about {{word_count}} words

Include:
1. The search intent you infer for the keyword and how the post satisfies it.
2. Three title options (under 60 characters) and a meta description (under 155 characters).
3. H2 and H3 headings with two or three bullet points each of what the section must say.
4. Where to place examples, data or visuals.
5. An FAQ section with four questions people actually search for.
Avoid keyword stuffing; use related terms naturally.`,
    variables: [
      text('keyword', 'The main search keyword'),
      text('reader', 'Who the post is for'),
      number('word_count', 'Approximate length of the final post', 1500),
    ],
    metadata: BALANCED,
  },
  {
    id: 'marketing-landing-page-copy',
    title: 'Landing page copy',
    description: 'Hero, benefits, social proof and FAQ copy for a product landing page.',
    category: 'marketing',
    content: `Write landing page copy for {{product_name}}, a product for {{audience}}.

The main problem it solves: {{problem}}
Proof we can use: {{proof_points}}
Primary conversion goal: {{goal}}

Sections:
- Hero: headline (max 10 words), subheadline (max 25 words), button label.
- Three benefit blocks: short title and two sentences each, outcome first.
- Social proof: how to present the proof points credibly.
- Objection handling: the three most likely objections with a short answer each.
- Closing call to action.

Use plain language a busy reader scans in ten seconds. Do not invent customers or numbers.`,
    variables: [
      text('product_name', 'Product name'),
      text('audience', 'The target customer'),
      text('problem', 'The problem it solves'),
      text('proof_points', 'Testimonials, numbers or logos you may cite'),
      select('goal', 'What the page should make visitors do', [
        'start a free trial',
        'book a demo',
        'join the waitlist',
        'buy now',
      ]),
    ],
    metadata: CREATIVE,
  },
  {
    id: 'marketing-competitor-positioning',
    title: 'Competitor positioning brief',
    description: 'Compares your product with a competitor and proposes honest positioning statements.',
    category: 'marketing',
    content: `You are a product marketing manager. Compare {{our_product}} with {{competitor}} for the segment "{{segment}}".

What we know about our product: {{our_strengths}}
What we know about the competitor: {{competitor_notes}}

Produce:
1. A comparison table of the five criteria this segment cares most about.
2. Where we win, where we lose, where it is a tie, stated plainly.
3. One positioning statement: For [target] who [need], [product] is [category] that [benefit]; unlike [competitor], we [differentiator].
4. Three talking points for sales and two traps to avoid.
Only use the facts given; mark anything you assume as an assumption.`,
    variables: [
      text('our_product', 'Our product'),
      text('competitor', 'The competitor'),
      text('segment', 'The customer segment'),
      text('our_strengths', 'Our strengths and known gaps'),
      text('competitor_notes', 'Known facts about the competitor'),
    ],
    metadata: BALANCED,
  },

  // ------------------------------------------------------------------ coding
  {
    id: 'coding-code-review',
    title: 'Code review',
    description: 'A thorough review of a diff or snippet: bugs, security, readability, with concrete fixes.',
    category: 'coding',
    content: `You are a senior {{language}} engineer doing a code review. Review the code below.

Focus: {{focus}}
Context: {{context}}

\`\`\`
{{code}}
\`\`\`

For each finding give: severity (blocker, major, minor, nit), the line or construct, what is wrong,
and a corrected snippet. Check correctness first (edge cases, error handling, concurrency), then
security (injection, secrets, unsafe input), then readability and tests. End with a short summary
and what you would approve as is. Do not comment on formatting a linter would fix.`,
    variables: [
      text('language', 'Programming language', { defaultValue: 'TypeScript' }),
      select('focus', 'What matters most in this review', [
        'everything',
        'correctness',
        'security',
        'performance',
        'readability',
      ]),
      optionalText('context', 'What the change is for (optional)'),
      text('code', 'The diff or code to review'),
    ],
    metadata: PRECISE,
  },
  {
    id: 'coding-unit-tests',
    title: 'Unit test generator',
    description: 'Writes focused unit tests for a function, covering edge cases and failure paths.',
    category: 'coding',
    content: `Write unit tests for the following {{language}} code using {{framework}}.

\`\`\`
{{code}}
\`\`\`

Cover: the normal cases, boundaries (empty, zero, maximum, unicode), invalid input and every error
path. One behaviour per test, named as a sentence that states the expected behaviour. Use no mocks
unless the code calls an external service. Explain in one line per test what could break that it
catches. Return a single runnable test file.`,
    variables: [
      text('language', 'Programming language', { defaultValue: 'TypeScript' }),
      text('framework', 'Test framework', { defaultValue: 'Jest' }),
      text('code', 'The code under test'),
    ],
    metadata: PRECISE,
  },
  {
    id: 'coding-explain-code',
    title: 'Explain this code',
    description: 'Explains unfamiliar code at the level of detail the reader needs.',
    category: 'coding',
    content: `Explain the following code to {{audience}}.

\`\`\`
{{code}}
\`\`\`

Start with one paragraph on what it does and why someone would write it. Then walk through it
section by section. Point out non-obvious behaviour, hidden assumptions and anything that looks like
a bug. Finish with the two questions you would ask its author. Keep it under {{max_words}} words.`,
    variables: [
      select('audience', 'Who reads the explanation', [
        'a junior developer',
        'a senior developer new to this codebase',
        'a non-technical stakeholder',
      ]),
      text('code', 'The code to explain'),
      number('max_words', 'Upper bound on the length', 500),
    ],
    metadata: BALANCED,
  },
  {
    id: 'coding-bug-diagnosis',
    title: 'Bug diagnosis from an error',
    description: 'Finds the likely root cause of an error message or stack trace and proposes a fix.',
    category: 'coding',
    content: `Help me debug a problem in a {{stack}} application.

Error message or stack trace:
\`\`\`
{{error}}
\`\`\`

Relevant code:
\`\`\`
{{code}}
\`\`\`

What I expected: {{expected}}

List the most likely root causes, ranked, with the evidence for each. For the top cause, give the
fix as a code change and a way to confirm it (a log line, a test, a command). Say what information
would change your ranking. Do not suggest upgrading dependencies unless the evidence points there.`,
    variables: [
      text('stack', 'Language, framework and runtime, e.g. "NestJS on Node 22"'),
      text('error', 'The error output'),
      optionalText('code', 'The code around the failure (optional)'),
      text('expected', 'What should have happened'),
    ],
    metadata: PRECISE,
  },
  {
    id: 'coding-sql-query-writer',
    title: 'SQL query writer',
    description: 'Turns a question in plain language into a correct, readable SQL query for your schema.',
    category: 'coding',
    content: `Write a {{dialect}} query that answers: {{question}}

Schema:
\`\`\`sql
{{schema}}
\`\`\`

Rules: use explicit JOINs and table aliases, never SELECT *, handle NULLs deliberately, and prefer
window functions over self-joins where clearer. Explain the query in three sentences, note any index
that would help, and state assumptions about the data. Include comments only where logic is subtle.`,
    variables: [
      select('dialect', 'SQL dialect', [
        'PostgreSQL',
        'MySQL',
        'SQLite',
        'SQL Server',
        'BigQuery',
        'Snowflake',
      ]),
      text('question', 'The question in plain language'),
      text('schema', 'CREATE TABLE statements or a description of the tables'),
    ],
    metadata: PRECISE,
  },

  // ------------------------------------------------------------------ support
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

  // ------------------------------------------------------------------ sales
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

  // ------------------------------------------------------------------ hr
  {
    id: 'hr-job-description',
    title: 'Inclusive job description',
    description: 'A clear, inclusive job posting that attracts the right candidates.',
    category: 'hr',
    content: `Write a job description for a {{seniority}} {{role}} at {{company}}.

Team and mission: {{team}}
Must-have skills: {{must_haves}}
Location / remote policy: {{location}}
Salary range: {{salary}}

Sections: about the role (why it exists), what you will do in the first 90 days, what you bring
(no more than six must-haves; separate nice-to-haves), what we offer, how we hire (steps and timing).
Use gender-neutral, jargon-free language; avoid "rockstar", "ninja" and years-of-experience
requirements that are not essential. Include the salary range as given.`,
    variables: [
      select('seniority', 'Level', ['Junior', 'Mid-level', 'Senior', 'Staff', 'Lead'], 'Mid-level'),
      text('role', 'Job title'),
      text('company', 'Company name'),
      text('team', 'The team and what it is responsible for'),
      text('must_haves', 'Essential skills'),
      text('location', 'Office, hybrid or remote and time zones'),
      text('salary', 'Salary range'),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-interview-questions',
    title: 'Structured interview questions',
    description: 'Competency-based interview questions with a scoring guide.',
    category: 'hr',
    content: `Create a structured interview for a {{role}} focused on these competencies: {{competencies}}.

Interview length: {{minutes}} minutes.

For each competency give two behavioural questions ("Tell me about a time..."), one follow-up probe
each, and a 1-4 scoring guide describing what a weak, adequate, strong and exceptional answer
contains. Avoid questions that touch on protected characteristics or personal life. End with a
time plan for the interview.`,
    variables: [
      text('role', 'The role being hired'),
      text('competencies', 'Comma-separated competencies'),
      number('minutes', 'Interview length in minutes', 45),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-performance-review-feedback',
    title: 'Performance review feedback',
    description: 'Balanced, specific written feedback for a performance review.',
    category: 'hr',
    content: `Help me write performance review feedback for {{employee_name}}, a {{role}}.

Achievements this period: {{achievements}}
Areas to develop: {{growth_areas}}
Overall rating: {{rating}}

Write it in the second person, specific and behaviour-based (situation, behaviour, impact), with
two concrete goals for the next period that are measurable. Keep the tone respectful and direct;
do not soften development areas into vagueness or inflate the achievements. About 300 words.`,
    variables: [
      text('employee_name', 'First name'),
      text('role', 'Their role'),
      text('achievements', 'What went well, with examples'),
      text('growth_areas', 'What should improve, with examples'),
      select(
        'rating',
        'Overall rating',
        ['exceeds expectations', 'meets expectations', 'partially meets expectations', 'below expectations'],
        'meets expectations',
      ),
    ],
    metadata: BALANCED,
  },
  {
    id: 'hr-onboarding-plan',
    title: '30-60-90 day onboarding plan',
    description: 'A first-three-months plan for a new hire with goals, people to meet and checkpoints.',
    category: 'hr',
    content: `Create a 30-60-90 day onboarding plan for {{new_hire}}, joining as {{role}} in the {{team}} team.

Tools and systems they need: {{tools}}
Their manager: {{manager}}
Remote: {{remote}}

For each phase give: learning goals, deliverables, people to meet and why, and a check-in question
the manager asks at the end of the phase. Week one gets a day-by-day list. If remote is true, add
rituals that replace in-person contact.`,
    variables: [
      text('new_hire', 'Name of the new hire'),
      text('role', 'Their role'),
      text('team', 'Team name'),
      optionalText('tools', 'Tools and systems (optional)'),
      text('manager', 'Manager name'),
      boolean('remote', 'Whether the hire works remotely', true),
    ],
    metadata: BALANCED,
  },

  // ------------------------------------------------------------------ data
  {
    id: 'data-analysis-summary',
    title: 'Dataset analysis summary',
    description: 'Finds the main patterns, outliers and caveats in a small table of data.',
    category: 'data',
    content: `You are a careful data analyst. Analyse the data below and answer: {{question}}

Data ({{format}}):
\`\`\`
{{data}}
\`\`\`

Report: the direct answer first; then the three most important patterns with the numbers behind
them; outliers and whether they look like errors; what the data cannot tell us; and one follow-up
analysis worth doing. Show calculations for any figure you derive. Never invent values.`,
    variables: [
      text('question', 'The question to answer'),
      select('format', 'Format of the data', ['CSV', 'JSON', 'Markdown table', 'plain text']),
      text('data', 'The data itself'),
    ],
    metadata: PRECISE,
  },
  {
    id: 'data-metric-to-sql',
    title: 'Metric definition to SQL',
    description: 'Turns a business metric definition into a documented SQL query and tests for it.',
    category: 'data',
    content: `Define and implement the metric "{{metric}}" for our {{warehouse}} warehouse.

Business definition: {{definition}}
Available tables: {{tables}}
Time grain: {{grain}}

Deliver: a precise written definition (numerator, denominator, filters, edge cases such as
refunds, test accounts and time zones); the SQL; three data quality checks as queries that must
return zero rows; and how the metric could be misread.`,
    variables: [
      text('metric', 'Metric name'),
      select('warehouse', 'Warehouse', ['PostgreSQL', 'BigQuery', 'Snowflake', 'Redshift', 'DuckDB']),
      text('definition', 'What the business means by it'),
      text('tables', 'Tables and their columns'),
      select('grain', 'Time grain', ['day', 'week', 'month', 'quarter'], 'week'),
    ],
    metadata: PRECISE,
  },
  {
    id: 'data-extract-structured-json',
    title: 'Extract structured JSON',
    description: 'Pulls named fields out of unstructured text into JSON, with null for unknowns.',
    category: 'data',
    content: `Extract the following fields from the text and return JSON only: {{fields}}

Text:
"""
{{source_text}}
"""

Rules: use null when a field is not stated; never guess. Dates in ISO 8601, amounts as numbers with
a separate currency field, names exactly as written. If include_evidence is {{include_evidence}},
add an "evidence" object quoting the passage each value came from.`,
    variables: [
      text('fields', 'Field names with a short description each'),
      text('source_text', 'The unstructured text'),
      boolean('include_evidence', 'Quote where each value came from', false),
    ],
    metadata: { model: 'gpt-4o-mini', temperature: 0, maxTokens: 1000 },
  },
  {
    id: 'data-chart-recommendation',
    title: 'Chart recommendation',
    description: 'Recommends the right visualisation for a dataset and a message, with a spec.',
    category: 'data',
    content: `I need to show {{audience}} the following message: {{message}}

Data columns and types: {{columns}}
Tool: {{tool}}

Recommend the best chart type and explain why in two sentences, name two alternatives and when
they would be better, then give the exact configuration for the tool (axes, encoding, sorting,
colours with accessible contrast, title that states the finding). Say what to leave out.`,
    variables: [
      text('audience', 'Who sees the chart'),
      text('message', 'What the chart should make obvious'),
      text('columns', 'Columns and their types'),
      select('tool', 'Charting tool', ['Vega-Lite', 'matplotlib', 'Excel', 'Looker Studio', 'Tableau']),
    ],
    metadata: BALANCED,
  },
  {
    id: 'data-survey-theme-analysis',
    title: 'Survey free-text themes',
    description: 'Groups open-ended survey answers into themes with counts and quotes.',
    category: 'data',
    content: `Analyse these open-ended answers to the survey question "{{survey_question}}".

Answers (one per line):
{{answers}}

Group them into at most {{max_themes}} themes. For each theme: a short name, a one-sentence
description, how many answers belong to it, and two representative quotes verbatim. Answers may
belong to several themes. Then list surprising minority opinions and what you would ask next.`,
    variables: [
      text('survey_question', 'The question respondents answered'),
      text('answers', 'The answers, one per line'),
      number('max_themes', 'Maximum number of themes', 6),
    ],
    metadata: BALANCED,
  },

  // ------------------------------------------------------------------ writing
  {
    id: 'writing-summarize-document',
    title: 'Summarise a document',
    description: 'A faithful summary at the length and for the reader you choose.',
    category: 'writing',
    content: `Summarise the document below for {{reader}} in about {{length}} words.

"""
{{document}}
"""

Start with the single most important point. Keep the author's claims distinct from facts, keep
numbers exact, and do not add anything not in the text. Format: {{format}}.`,
    variables: [
      text('reader', 'Who reads the summary', { defaultValue: 'a busy executive' }),
      number('length', 'Approximate length in words', 150),
      text('document', 'The text to summarise'),
      select('format', 'Output format', ['paragraphs', 'bullet points', 'TL;DR plus bullets']),
    ],
    metadata: FAST,
  },
  {
    id: 'writing-rewrite-for-clarity',
    title: 'Rewrite for clarity',
    description: 'Edits text to be shorter, clearer and in the requested tone without changing its meaning.',
    category: 'writing',
    content: `Edit the text below for clarity.

"""
{{text}}
"""

Target tone: {{tone}}
Target reading level: {{reading_level}}

Shorten sentences, use active voice, replace jargon with plain words, and cut repetition, but keep
every fact and the author's intent. Return the edited text, then a short list of the most important
changes and why.`,
    variables: [
      text('text', 'The text to edit'),
      tone('professional'),
      select('reading_level', 'Reading level', ['general public', 'professional', 'expert']),
    ],
    metadata: BALANCED,
  },
  {
    id: 'writing-meeting-notes',
    title: 'Meeting notes to minutes',
    description: 'Turns raw meeting notes or a transcript into minutes with decisions and action items.',
    category: 'writing',
    content: `Turn these notes from the meeting "{{meeting_title}}" into minutes.

Attendees: {{attendees}}

Notes or transcript:
"""
{{notes}}
"""

Output: a three-sentence summary; decisions made (who decided, what); action items as a table with
owner, task and due date (write "unassigned" or "no date" rather than inventing); open questions;
and topics for the next meeting. Only record what was actually said.`,
    variables: [
      text('meeting_title', 'Meeting name'),
      optionalText('attendees', 'Who attended (optional)'),
      text('notes', 'Raw notes or transcript'),
    ],
    metadata: FAST,
  },
  {
    id: 'writing-translate-localize',
    title: 'Translate and localise',
    description: 'Translates text idiomatically for a target market, keeping placeholders and terms intact.',
    category: 'writing',
    content: `Translate the following text into {{target_language}} for readers in {{market}}.

"""
{{text}}
"""

Glossary (keep these terms as given): {{glossary}}
Formality: {{formality}}

Translate meaning, not words: adapt idioms, units, date and number formats to the market. Keep
placeholders, URLs, code and product names unchanged. After the translation, list any phrases
where you had to make a cultural choice.`,
    variables: [
      text('target_language', 'Target language'),
      text('market', 'Country or region'),
      text('text', 'Text to translate'),
      optionalText('glossary', 'Terms to keep (optional)'),
      select('formality', 'Formality', ['informal', 'neutral', 'formal'], 'neutral'),
    ],
    metadata: BALANCED,
  },
  {
    id: 'writing-press-release',
    title: 'Press release',
    description: 'A news-style press release in inverted-pyramid form with a quote and boilerplate.',
    category: 'writing',
    content: `Write a press release announcing {{news}}.

Company: {{company}}
City and date line: {{dateline}}
Quote from: {{spokesperson}}
Key facts: {{facts}}

Inverted pyramid: headline, subheadline, a first paragraph answering who, what, when, where and
why; supporting details; one quote that sounds like a person, not a brochure; the company
boilerplate; media contact placeholder. Under 450 words, no superlatives that the facts do not support.`,
    variables: [
      text('news', 'The news'),
      text('company', 'Company name'),
      text('dateline', 'e.g. "BERLIN, 5 December 2026"'),
      text('spokesperson', 'Name and title of the person quoted'),
      text('facts', 'Facts, figures and availability'),
    ],
    metadata: CREATIVE,
  },
];
