#!/usr/bin/env node
// Screenshots of the console's main pages for the README: `npm run screenshots` (not in CI).
//
// Starts the built stack (`npm run build` first: dist/backend and dist/admin) on a fresh embedded
// database, seeds an organization through the API with realistic content (prompts with versions,
// labels, tags, collections, members, usage), then writes viewport-only PNGs of each page in light,
// dark and mobile (390×844) to docs/screenshots/<page>-<mode>.png.
//
// Environment: SCREENSHOTS_PORT (default 4325), CHROMIUM_PATH (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.SCREENSHOTS_PORT ?? 4325);
const base = `http://127.0.0.1:${port}`;
const api = `${base}/api/v1`;
const outDir = join(root, 'docs/screenshots');
const MAX_BYTES = 250 * 1024;

for (const built of ['dist/backend/main.js', 'dist/admin/browser/index.html'])
  if (!existsSync(join(root, built))) {
    console.error(`${built} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }

// ---------------------------------------------------------------------------------------------
// The stack

const dataDir = mkdtempSync(join(tmpdir(), 'pv-screenshots-'));
const server = spawn(process.execPath, ['dist/backend/main.js'], {
  cwd: root,
  env: {
    ...process.env,
    DATABASE_URL: '',
    REDIS_URL: '',
    ELASTICSEARCH_URL: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DEFAULT_PLAN: 'enterprise',
    NODE_ENV: 'development',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let stopping = false;
server.on('exit', (code) => {
  if (!stopping) {
    console.error(`The API exited (${code}) before the screenshots were taken.`);
    process.exit(1);
  }
});

async function stop() {
  stopping = true;
  server.kill('SIGTERM');
  await new Promise((done) => server.once('exit', done));
  rmSync(dataDir, { recursive: true, force: true });
}

async function waitForApi() {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${api}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The API did not become healthy within 3 minutes');
}

// ---------------------------------------------------------------------------------------------
// Seeding through the API

async function call(method, path, { token, org, key, body, expect = [200, 201, 204] } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (org) headers['x-organization-id'] = org;
  if (key) headers['x-api-key'] = key;
  const res = await fetch(`${api}${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function signUp(name, email, password) {
  await call('POST', '/auth/signup', { body: { name, email, password } });
  const { accessToken } = await call('POST', '/auth/login', { body: { email, password } });
  const me = await call('GET', '/me', { token: accessToken });
  return { name, email, password, token: accessToken, org: me.memberships[0]?.organizationId, userId: me.id };
}

const PASSWORD = 'screenshots are worth it';

const PROMPTS = [
  {
    title: 'Support reply',
    description: 'Answers a customer ticket in the brand voice, with next steps.',
    tags: ['support', 'email'],
    collection: 'Customer support',
    content:
      'You are a support agent for {{product}}. Reply to {{customer}} about their ticket:\n\n{{ticket}}\n\nBe warm and concise, acknowledge the problem, and end with one clear next step.',
    edits: [
      'You are a senior support agent for {{product}}. Reply to {{customer}} about their ticket:\n\n{{ticket}}\n\nBe warm and concise. Acknowledge the problem in one sentence, give the fix or the workaround, and end with one clear next step. Never promise dates.',
      'You are a senior support agent for {{product}}. Reply to {{customer}} in a {{tone}} tone about their ticket:\n\n{{ticket}}\n\nAcknowledge the problem in one sentence, give the fix or the workaround, and end with one clear next step. Never promise dates; link the status page when an incident is open.',
    ],
    production: 2,
    status: 'published',
  },
  {
    title: 'Refund request triage',
    description: 'Sorts refund requests into approve, ask for details, or escalate.',
    tags: ['support', 'billing'],
    collection: 'Customer support',
    content:
      'Classify this refund request as APPROVE, NEED_DETAILS or ESCALATE, with a one-line reason.\n\nPolicy: {{policy}}\nRequest: {{request}}',
    edits: [
      'Classify this refund request as APPROVE, NEED_DETAILS or ESCALATE. Answer as JSON {"decision": ..., "reason": ...}.\n\nPolicy: {{policy}}\nRequest: {{request}}',
    ],
    production: 2,
    status: 'published',
  },
  {
    title: 'Release notes writer',
    description: 'Turns merged pull requests into customer-facing release notes.',
    tags: ['engineering', 'writing'],
    collection: 'Engineering',
    content:
      'Write release notes for version {{version}} from these merged pull requests:\n\n{{pull_requests}}\n\nGroup them under New, Improved and Fixed. Skip internal refactors.',
    edits: [
      'Write release notes for version {{version}} from these merged pull requests:\n\n{{pull_requests}}\n\nGroup them under New, Improved and Fixed, lead with the change that matters most to users, and skip internal refactors and dependency bumps.',
    ],
    production: 1,
    status: 'published',
  },
  {
    title: 'Incident postmortem',
    description: 'Drafts a blameless postmortem from the incident timeline.',
    tags: ['engineering', 'ops'],
    collection: 'Engineering',
    content:
      'Draft a blameless postmortem for {{incident}}.\n\nTimeline:\n{{timeline}}\n\nSections: Summary, Impact, Root cause, What went well, What went wrong, Action items (owner, due date).',
    edits: [],
    status: 'published',
  },
  {
    title: 'SQL explainer',
    description: 'Explains a SQL query step by step for analysts.',
    tags: ['engineering', 'data'],
    collection: 'Engineering',
    content:
      'Explain what this {{dialect}} query does, step by step, and point out anything slow:\n\n```sql\n{{query}}\n```',
    edits: [],
    status: 'draft',
  },
  {
    title: 'Meeting notes summary',
    description: 'Summarizes a meeting transcript into decisions and action items.',
    tags: ['productivity'],
    collection: 'Operations',
    content:
      'Summarize this meeting transcript in five bullet points, then list Decisions and Action items (who, what, when).\n\n{{transcript}}',
    edits: [
      'Summarize this meeting transcript for people who missed it: five bullet points, then Decisions and Action items (who, what, when). Quote numbers exactly.\n\n{{transcript}}',
    ],
    production: 2,
    status: 'published',
  },
  {
    title: 'Weekly status update',
    description: 'Writes the team’s weekly update from a list of done and planned items.',
    tags: ['productivity', 'writing'],
    collection: 'Operations',
    content:
      'Write a weekly status update for {{team}}.\n\nDone:\n{{done}}\n\nNext:\n{{next}}\n\nRisks:\n{{risks}}\n\nKeep it under 150 words.',
    edits: [],
    status: 'draft',
  },
  {
    title: 'Sales follow-up e-mail',
    description: 'A follow-up after a discovery call, referencing what the prospect said.',
    tags: ['sales', 'email'],
    collection: 'Sales',
    content:
      'Write a follow-up e-mail to {{prospect}} at {{company}} after our discovery call. Mention: {{notes}}. Propose two times for a demo. Under 120 words.',
    edits: [],
    production: 1,
    status: 'published',
  },
  {
    title: 'Cold outreach opener',
    description: 'A first line for outbound e-mails, personalised from public information.',
    tags: ['sales'],
    collection: 'Sales',
    content:
      'Write one opening sentence for a cold e-mail to {{name}}, {{role}} at {{company}}, based on: {{signal}}.',
    edits: [],
    status: 'draft',
  },
  {
    title: 'Job description draft',
    description: 'Drafts an inclusive job description from the hiring manager’s notes.',
    tags: ['hr', 'writing'],
    collection: 'People',
    content:
      'Draft a job description for a {{title}} on the {{team}} team. Notes from the hiring manager: {{notes}}. Use inclusive language; list must-haves separately from nice-to-haves.',
    edits: [],
    status: 'published',
  },
  {
    title: 'Interview questions',
    description: 'Structured interview questions with what a strong answer shows.',
    tags: ['hr'],
    collection: 'People',
    content:
      'Write six structured interview questions for a {{title}} assessing {{competency}}, each with what a strong answer shows.',
    edits: [],
    status: 'draft',
  },
  {
    title: 'Product description',
    description: 'An e-commerce product description in the brand voice.',
    tags: ['marketing', 'writing'],
    collection: 'Marketing',
    content:
      'Write a product description for {{product}} ({{features}}) for our online store. Brand voice: {{voice}}. 80 to 120 words, no superlatives.',
    edits: [],
    production: 1,
    status: 'published',
  },
  {
    title: 'Tweet thread from a blog post',
    description: 'Turns a blog post into a five-post thread.',
    tags: ['marketing'],
    collection: 'Marketing',
    content:
      'Turn this blog post into a thread of five posts, each under 260 characters, the first one a hook:\n\n{{post}}',
    edits: [],
    status: 'archived',
  },
  {
    title: 'Translate UI strings',
    description: 'Translates interface strings and keeps placeholders intact.',
    tags: ['engineering', 'localization'],
    collection: 'Engineering',
    content:
      'Translate these UI strings into {{language}}. Keep {placeholders} and HTML tags unchanged; keep it short enough for buttons.\n\n{{strings}}',
    edits: [],
    status: 'published',
  },
];

async function seed() {
  const owner = await signUp('Ada Lovelace', 'ada@acme.example', PASSWORD);
  const as = { token: owner.token, org: owner.org };
  await call('PATCH', `/organizations/${owner.org}`, {
    ...as,
    body: { name: 'Acme Corp' },
    expect: [200, 400, 404],
  });

  // Members: invited and accepted through the API.
  for (const [name, email, role] of [
    ['Grace Hopper', 'grace@acme.example', 'ADMIN'],
    ['Alan Turing', 'alan@acme.example', 'EDITOR'],
    ['Katherine Johnson', 'katherine@acme.example', 'EDITOR'],
    ['Linus Pauling', 'linus@acme.example', 'VIEWER'],
  ]) {
    const invite = await call('POST', `/organizations/${owner.org}/invites`, {
      ...as,
      body: { email, role },
    });
    const token = new URL(invite.inviteUrl).searchParams.get('token');
    const member = await signUp(name, email, PASSWORD);
    await call('POST', '/invites/accept', { token: member.token, body: { token } });
  }

  const collections = new Map();
  for (const name of new Set(PROMPTS.map((p) => p.collection))) {
    const collection = await call('POST', '/collections', { ...as, body: { name } });
    collections.set(name, collection.id);
  }

  const prompts = [];
  for (const p of PROMPTS) {
    let prompt = await call('POST', '/prompts', {
      ...as,
      body: {
        title: p.title,
        description: p.description,
        content: p.content,
        tags: p.tags,
        collectionId: collections.get(p.collection),
      },
    });
    for (const [i, content] of p.edits.entries())
      prompt = await call('PATCH', `/prompts/${prompt.id}`, {
        ...as,
        body: {
          content,
          expectedVersion: prompt.version,
          changeNote: i === 0 ? 'Clearer structure' : 'Tone variable',
        },
      });
    if (p.status !== 'draft')
      prompt = await call('PATCH', `/prompts/${prompt.id}`, { ...as, body: { status: p.status } });
    if (p.production)
      await call('PUT', `/prompts/${prompt.id}/labels/production`, {
        ...as,
        body: { version: p.production },
      });
    prompts.push(prompt);
  }
  for (const i of [0, 2, 5])
    await call('POST', `/prompts/${prompts[i].id}/favorite`, { ...as, expect: [200, 201, 204] });

  // Usage: 30 days of runs through an API key, as an application reports them.
  const key = await call('POST', `/organizations/${owner.org}/api-keys`, {
    ...as,
    body: { name: 'Production app' },
  });
  const models = [
    ['gpt-4o-mini', 0.00000015, 0.0000006],
    ['claude-sonnet-4', 0.000003, 0.000015],
    ['gemini-2.5-flash', 0.0000003, 0.0000025],
  ];
  const now = Date.now();
  const events = [];
  for (let day = 29; day >= 0; day--)
    for (const [i, prompt] of prompts.slice(0, 10).entries()) {
      const runs = Math.max(0, Math.round((10 - i) * (0.6 + 0.4 * Math.sin((day + i) / 3)) + (29 - day) / 6));
      for (let r = 0; r < runs; r++) {
        const [model, inPrice, outPrice] = models[(i + r) % models.length];
        const inputTokens = 300 + ((i * 97 + r * 31) % 900);
        const outputTokens = 80 + ((i * 53 + r * 17) % 400);
        events.push({
          promptId: prompt.id,
          model,
          inputTokens,
          outputTokens,
          latencyMs: 400 + ((i * 131 + r * 71) % 2200),
          status: r % 23 === 0 ? 'error' : 'success',
          costUsd: Number((inputTokens * inPrice + outputTokens * outPrice).toFixed(6)),
          occurredAt: new Date(now - day * 86_400_000 - r * 600_000).toISOString(),
        });
      }
    }
  for (let i = 0; i < events.length; i += 500)
    await call('POST', '/usage', { key: key.key, body: { events: events.slice(i, i + 500) }, expect: [202] });

  // Searches, so the search page has recent entries.
  for (const q of ['refund', 'release notes', 'summary'])
    await call('GET', `/search?q=${encodeURIComponent(q)}`, { ...as });

  return { owner, prompts };
}

// ---------------------------------------------------------------------------------------------
// Pages

const MODES = {
  light: { viewport: { width: 1440, height: 900 }, scheme: 'light' },
  dark: { viewport: { width: 1440, height: 900 }, scheme: 'dark' },
  mobile: { viewport: { width: 390, height: 844 }, scheme: 'light', isMobile: true, hasTouch: true },
};

/** Each page: where it is and what shows it is ready; `prepare` clicks into the state to show. */
function pages(prompts) {
  const support = prompts[0].id;
  return [
    {
      name: 'library-cards',
      path: '/',
      ready: (p) => p.getByRole('list', { name: 'Prompts' }),
      view: 'cards',
    },
    {
      name: 'library-compact',
      path: '/',
      ready: (p) => p.getByRole('table', { name: 'Prompts' }),
      view: 'compact',
    },
    { name: 'prompt', path: `/prompts/${support}`, ready: (p) => p.getByRole('heading', { level: 1 }) },
    {
      name: 'editor',
      path: `/prompts/${support}/edit`,
      ready: (p) => p.getByRole('heading', { level: 1 }),
    },
    {
      name: 'versions-diff',
      path: `/prompts/${support}`,
      ready: (p) => p.getByRole('heading', { level: 1 }),
      prepare: async (p) => {
        await p.getByRole('tab', { name: 'Versions' }).click();
        const compare = p.getByRole('button', { name: /compare|diff/i }).first();
        if (await compare.isVisible().catch(() => false)) await compare.click();
        await p.waitForTimeout(600);
      },
    },
    { name: 'search', path: '/search?q=summary', ready: (p) => p.getByRole('region', { name: 'Results' }) },
    {
      name: 'playground',
      path: `/playground?prompt=${support}`,
      ready: (p) => p.getByRole('heading', { level: 1 }),
    },
    { name: 'analytics', path: '/analytics', ready: (p) => p.getByRole('heading', { level: 1 }) },
    { name: 'members', path: '/organization/members', ready: (p) => p.getByRole('heading', { level: 1 }) },
    { name: 'settings', path: '/organization/settings', ready: (p) => p.getByRole('heading', { level: 1 }) },
  ];
}

async function shoot(browser, owner, prompts) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const [mode, options] of Object.entries(MODES)) {
    const context = await browser.newContext({
      viewport: options.viewport,
      deviceScaleFactor: 1,
      isMobile: options.isMobile ?? false,
      hasTouch: options.hasTouch ?? false,
      colorScheme: options.scheme,
      reducedMotion: 'reduce',
    });
    // Signed in as the owner through a cookie session, as the console resumes it after a reload.
    const login = await context.request.post(`${api}/auth/login`, {
      headers: { 'x-session-mode': 'cookie' },
      data: { email: owner.email, password: owner.password },
    });
    if (!login.ok()) throw new Error(`cookie sign-in failed: ${login.status()}`);
    await context.addInitScript(
      ({ org, scheme }) => {
        localStorage.setItem('pv.session', 'cookie');
        localStorage.setItem('pv.organizationId', org);
        localStorage.setItem('pv.theme', scheme);
      },
      { org: owner.org, scheme: options.scheme },
    );
    const page = await context.newPage();
    for (const target of pages(prompts)) {
      if (target.view)
        await page.addInitScript((view) => localStorage.setItem('pv.library.view', view), target.view);
      await page.goto(`${base}${target.path}`);
      await target.ready(page).first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      await page
        .locator('[role="progressbar"][aria-busy="true"]')
        .first()
        .waitFor({ state: 'detached', timeout: 15_000 })
        .catch(() => {});
      if (target.prepare) await target.prepare(page);
      await page.evaluate(() => document.fonts.ready);
      await page.mouse.move(0, 0);
      const file = join(outDir, `${target.name}-${mode}.png`);
      await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
      const size = statSync(file).size;
      written.push({ file, size });
      console.log(
        `${target.name}-${mode}.png ${(size / 1024).toFixed(0)} kB${size > MAX_BYTES ? ' (over 250 kB)' : ''}`,
      );
    }
    await context.close();
  }
  return written;
}

try {
  await waitForApi();
  const { owner, prompts } = await seed();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
  });
  try {
    const written = await shoot(browser, owner, prompts);
    const over = written.filter((w) => w.size > MAX_BYTES);
    console.log(
      `${written.length} screenshots in docs/screenshots${over.length ? `, ${over.length} over 250 kB` : ''}`,
    );
  } finally {
    await browser.close();
  }
} finally {
  await stop();
}
