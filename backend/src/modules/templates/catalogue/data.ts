import type { PromptTemplate } from '../templates.catalogue';
import { text, number, boolean, select, BALANCED, PRECISE } from './builders';

/** Starter templates of the data category. */
export const DATA: readonly PromptTemplate[] = [
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
];
