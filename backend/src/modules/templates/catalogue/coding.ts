import type { PromptTemplate } from '../templates.catalogue';
import { text, optionalText, number, select, BALANCED, PRECISE } from './builders';

/** Starter templates of the coding category. */
export const CODING: readonly PromptTemplate[] = [
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
];
