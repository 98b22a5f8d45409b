import type { PromptTemplate } from '../templates.catalogue';
import { text, optionalText, number, select, tone, CREATIVE, BALANCED, FAST } from './builders';

/** Starter templates of the writing category. */
export const WRITING: readonly PromptTemplate[] = [
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
