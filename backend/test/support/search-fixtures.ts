import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { addMember, auth, signUp, SignedUpUser, TestApp } from './test-app';
import { waitFor } from './wait';

export const elasticsearchUrl = process.env.ELASTICSEARCH_URL;

/** Boot options for an app searching on Elasticsearch under its own index prefix. */
export function elasticsearchEnv(): { env: Record<string, string>; prefix: string } {
  const prefix = `pvtest-${randomBytes(4).toString('hex')}`;
  return { prefix, env: { ELASTICSEARCH_URL: elasticsearchUrl!, ELASTICSEARCH_INDEX_PREFIX: prefix } };
}

export async function dropIndices(prefix: string, url = elasticsearchUrl!): Promise<void> {
  const client = new Client({ node: url });
  // Deleting by wildcard is refused (action.destructive_requires_name): resolve the names first.
  const names = Object.keys(await client.indices.get({ index: `${prefix}-*` }));
  if (names.length) await client.indices.delete({ index: names });
  await client.close();
}

/** The prompt fixtures every engine is tested on, created through the real API. */
export const FIXTURES = {
  summarize: {
    title: 'Summarize meeting notes',
    description: 'Turns a transcript into action items',
    content: 'Read the transcript and summarize decisions, owners and deadlines.',
    tags: ['meetings', 'productivity'],
    category: 'Engineering',
    status: 'published',
  },
  marketingEmail: {
    title: 'Marketing email writer',
    description: 'Writes launch announcements',
    content: 'Write a cold email announcing the product to marketing leads.',
    tags: ['marketing', 'email'],
    category: 'Marketing',
    status: 'published',
  },
  descSummary: {
    title: 'Release notes',
    description: 'Summarize the changelog for customers',
    content: 'List the changes in plain language.',
    tags: ['engineering'],
    category: 'Engineering',
    status: 'draft',
  },
  contentSummary: {
    title: 'Support reply',
    description: 'Answers tickets politely',
    content:
      'First summarize the problem of the customer, then propose a fix. <instructions>be kind</instructions>',
    tags: ['support', 'email'],
    category: 'Support',
    status: 'published',
    as: 'editor',
  },
  privateNote: {
    title: 'Summarize private diary',
    description: 'Only for me',
    content: 'Secret thoughts to summarize weekly.',
    tags: ['personal'],
    status: 'draft',
    visibility: 'private',
    as: 'editor',
  },
  xss: {
    title: '<img src=x onerror=alert(1)> marketing tips',
    description: 'Escaping test with <b>bold</b> marketing',
    content: 'payload',
    tags: ['security'],
    status: 'draft',
  },
  archived: {
    title: 'Old cold outreach',
    description: '',
    content: 'Cold outreach for sales prospects.',
    tags: ['sales', 'email'],
    category: 'Sales',
    status: 'archived',
  },
} as const;

export type FixtureKey = keyof typeof FIXTURES;

export interface SearchWorld {
  owner: SignedUpUser;
  editor: SignedUpUser;
  viewer: SignedUpUser;
  org: string;
  ids: Record<FixtureKey, string>;
  categories: Record<string, string>;
  /** The same prompts in another organization (same text, same tags). */
  other: { owner: SignedUpUser; ids: Record<FixtureKey, string> };
}

async function categoriesOf(t: TestApp, org: string): Promise<Record<string, string>> {
  const { rows } = await t.owner.query(`SELECT id, name FROM categories WHERE organization_id = $1`, [org]);
  return Object.fromEntries(rows.map((r: { id: string; name: string }) => [r.name, r.id]));
}

async function seed(
  t: TestApp,
  users: { owner: SignedUpUser; editor: SignedUpUser },
  org: string,
): Promise<Record<FixtureKey, string>> {
  const categories = await categoriesOf(t, org);
  const ids = {} as Record<FixtureKey, string>;
  for (const [key, f] of Object.entries(FIXTURES) as Array<[FixtureKey, (typeof FIXTURES)[FixtureKey]]>) {
    const user = 'as' in f && f.as === 'editor' ? users.editor : users.owner;
    const res = await t
      .http()
      .post('/api/v1/prompts')
      .set(auth(user, org))
      .send({
        title: f.title,
        description: f.description,
        content: f.content,
        tags: f.tags,
        status: f.status,
        ...('category' in f ? { categoryId: categories[f.category] } : {}),
        ...('visibility' in f ? { visibility: f.visibility } : {}),
      });
    if (res.status !== 201) throw new Error(`seeding ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    ids[key] = res.body.id;
  }
  return ids;
}

export async function seedWorld(t: TestApp): Promise<SearchWorld> {
  const [owner, editor, viewer, otherOwner, otherEditor] = await Promise.all(
    ['Alice Owner', 'Bob Editor', 'Vic Viewer', 'Olga Other', 'Eve Other'].map((n) => signUp(t, n)),
  );
  const org = owner.organizationId;
  await addMember(t, org, editor.userId, 'EDITOR');
  await addMember(t, org, viewer.userId, 'VIEWER');
  await addMember(t, otherOwner.organizationId, otherEditor.userId, 'EDITOR');
  const ids = await seed(t, { owner, editor }, org);
  const otherIds = await seed(
    t,
    { owner: otherOwner, editor: { ...otherEditor, organizationId: otherOwner.organizationId } },
    otherOwner.organizationId,
  );
  return {
    owner,
    editor,
    viewer,
    org,
    ids,
    categories: await categoriesOf(t, org),
    other: { owner: otherOwner, ids: otherIds },
  };
}

/** Waits until the outbox delivered every event (the Elasticsearch indexer among its consumers). */
export async function outboxDrained(t: TestApp, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    'the outbox to drain',
    async () => {
      const { rows } = await t.owner.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE processed_at IS NULL`,
      );
      return rows[0].n === 0;
    },
    timeoutMs,
    100,
  );
}
