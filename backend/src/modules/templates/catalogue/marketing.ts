import type { PromptTemplate } from '../templates.catalogue';
import { text, optionalText, number, boolean, select, tone, CREATIVE, BALANCED } from './builders';

/** Starter templates of the marketing category. */
export const MARKETING: readonly PromptTemplate[] = [
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
];
