import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ApplicationRef, EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { memoryStorage } from '../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../core/api/api-types';
import { authInterceptor } from '../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../core/http/error-notifier';
import { problemInterceptor } from '../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { SessionStore } from '../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../core/storage/browser-storage';
import type { Prompt } from '../../library/data/library.types';
import type { ProviderKey } from '../../provider-keys/data/provider-keys.api';
import { CompareStore } from '../data/compare.store';
import { FETCH, Model, Run } from '../data/playground.api';
import { PlaygroundStore } from '../data/playground.store';

/** Test data and set-up shared by the playground specs (not part of the console's behaviour). */

export const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});

export const MODELS: Model[] = [
  {
    provider: 'openai',
    id: 'gpt-5-mini',
    name: 'GPT-5 mini',
    contextWindow: 400_000,
    inputPerMTokUsd: 0.25,
    outputPerMTokUsd: 2,
    pricesAsOf: '2025-10-15',
  },
  {
    provider: 'anthropic',
    id: 'claude-sonnet-4-5',
    name: 'Claude Sonnet 4.5',
    contextWindow: 200_000,
    inputPerMTokUsd: 3,
    outputPerMTokUsd: 15,
    pricesAsOf: '2025-10-15',
  },
];

export const OPENAI_KEY: ProviderKey = {
  id: 'k1',
  provider: 'openai',
  name: 'OpenAI production',
  last4: 'wxyz',
  createdAt: '2026-01-01T00:00:00Z',
  lastUsedAt: null,
};

export const PROMPT: Prompt = {
  id: 'p1',
  slug: 'welcome',
  title: 'Welcome email',
  description: '',
  content: 'Write a welcome email to {{name}} in {{tone}} tone.',
  variables: [
    { name: 'name', type: 'text', required: true },
    { name: 'tone', type: 'select', required: false, options: ['warm', 'formal'], defaultValue: 'warm' },
  ],
  tags: [],
  categoryId: null,
  collectionId: null,
  authorId: 'u1',
  status: 'published',
  visibility: 'organization',
  metadata: { model: 'gpt-5-mini', temperature: 0.3 },
  version: 3,
  labels: { production: 2 },
  stats: { views: 0, uses: 0, favorites: 0 },
  favorited: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
  publishedAt: '2026-01-02T00:00:00Z',
};

export const run = (change: Partial<Run> = {}): Run => ({
  id: 'r1',
  promptId: 'p1',
  version: 3,
  model: 'gpt-5-mini',
  provider: 'openai',
  output: 'Hello Ann',
  usage: { inputTokens: 12, outputTokens: 3 },
  costUsd: 0.000009,
  latencyMs: 840,
  status: 'success',
  error: null,
  createdAt: '2026-01-03T00:00:00Z',
  ...change,
});

export const PROBLEM_HEADERS = { 'Content-Type': 'application/problem+json' };

/** One `fetch` the code under test made: its request, and the answer the test gives it. */
export class FakeExchange {
  private stream: ReadableStreamDefaultController<Uint8Array> | null = null;
  private readonly encoder = new TextEncoder();
  private settle!: { resolve: (r: Response) => void; reject: (e: unknown) => void };
  readonly response = new Promise<Response>((resolve, reject) => (this.settle = { resolve, reject }));
  /** Whether the caller aborted the request (Stop). */
  aborted = false;

  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {
    init.signal?.addEventListener('abort', () => {
      this.aborted = true;
      const error = new DOMException('The operation was aborted.', 'AbortError');
      this.settle.reject(error);
      try {
        this.stream?.error(error);
      } catch {
        // already closed
      }
    });
  }

  get headers(): Record<string, string> {
    return this.init.headers as Record<string, string>;
  }

  get body(): unknown {
    return JSON.parse(this.init.body as string) as unknown;
  }

  /** Answers 200 with an event stream the test then writes to. */
  open(): void {
    const body = new ReadableStream<Uint8Array>({ start: (controller) => (this.stream = controller) });
    this.settle.resolve(
      new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    );
  }

  send(event: string, data: unknown): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  write(text: string): void {
    this.stream?.enqueue(this.encoder.encode(text));
  }

  close(): void {
    this.stream?.close();
  }

  /** Answers with a problem document. */
  refuse(status: number, problem: Record<string, unknown>, headers: Record<string, string> = {}): void {
    this.settle.resolve(
      new Response(JSON.stringify({ type: 'about:blank', status, ...problem }), {
        status,
        headers: { ...PROBLEM_HEADERS, ...headers },
      }),
    );
  }
}

/** Stands in for `fetch`: every call becomes a `FakeExchange` the test answers. */
export class FakeFetch {
  readonly exchanges: FakeExchange[] = [];
  readonly fn = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const exchange = new FakeExchange(url, init);
    this.exchanges.push(exchange);
    return exchange.response;
  };

  last(): FakeExchange {
    const exchange = this.exchanges[this.exchanges.length - 1];
    if (!exchange) throw new Error('No fetch was made');
    return exchange;
  }
}

/** Everything the playground needs around it, with a signed-in member of `role` in organization o1. */
export function playgroundProviders(fakeFetch: FakeFetch): (Provider | EnvironmentProviders)[] {
  return [
    memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
    provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
    provideHttpClientTesting(),
    provideRouter([]),
    provideAppIcons(),
    { provide: ErrorNotifier, useValue: { notify: () => undefined } },
    { provide: FETCH, useValue: fakeFetch.fn },
  ];
}

export function signIn(role: MembershipRole): HttpTestingController {
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  return backend;
}

/** Lets the stream's reads, promise callbacks and signal effects run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  TestBed.tick();
}

export const VERSIONS = [
  {
    version: 3,
    title: 'Welcome email',
    changedBy: 'u1',
    changeNote: null,
    createdAt: '2026-01-02T00:00:00Z',
  },
  {
    version: 2,
    title: 'Welcome email',
    changedBy: 'u1',
    changeNote: null,
    createdAt: '2026-01-01T12:00:00Z',
  },
];

export interface PendingAnswers {
  keys?: ProviderKey[];
  runs?: Run[];
}

/**
 * Answers every pending HttpClient request of the playground with the fixtures above; returns the
 * URLs (with query) it answered, so a spec can check what was asked.
 */
export function answerPending(backend: HttpTestingController, answers: PendingAnswers = {}): string[] {
  const answered: string[] = [];
  for (const request of backend.match(() => true)) {
    // Superseded by a newer read of the same resource.
    if (request.cancelled) continue;
    const url = request.request.urlWithParams;
    const path = request.request.url;
    answered.push(`${request.request.method} ${url}`);
    if (path === '/api/v1/models') request.flush(MODELS);
    else if (path === '/api/v1/provider-keys') request.flush(answers.keys ?? [OPENAI_KEY]);
    else if (path === '/api/v1/prompts') request.flush({ items: [PROMPT], nextCursor: null });
    else if (path === '/api/v1/prompts/p1') request.flush(PROMPT);
    else if (path === '/api/v1/prompts/p1/versions') request.flush({ items: VERSIONS, nextCursor: null });
    else if (path === '/api/v1/prompts/p1/versions/2')
      request.flush({
        ...VERSIONS[1],
        promptId: 'p1',
        description: '',
        content: 'Welcome {{name}}.',
        variables: [PROMPT.variables[0]],
        metadata: {},
      });
    else if (path === '/api/v1/runs') request.flush({ items: answers.runs ?? [], nextCursor: null });
    else if (path === '/api/v1/prompts/p1/estimate')
      request.flush({ inputTokens: 14, estimatedOutputTokens: 500, costUsd: 0.0010035, exact: true });
    else throw new Error(`Unexpected request ${url}`);
  }
  return answered;
}

/** The page's two stores (the run and the comparison) over the fakes, signed in as `role`. */
export async function setUpStores(role: MembershipRole = 'EDITOR') {
  const fakeFetch = new FakeFetch();
  TestBed.configureTestingModule({
    providers: [...playgroundProviders(fakeFetch), PlaygroundStore, CompareStore],
  });
  const backend = signIn(role);
  const store = TestBed.inject(PlaygroundStore);
  const compare = TestBed.inject(CompareStore);
  TestBed.tick();
  answerPending(backend);
  await TestBed.inject(ApplicationRef).whenStable();
  return { store, compare, backend, fakeFetch };
}

/** A saved prompt opened, its defaults applied and `name` filled in. */
export async function openPrompt(store: PlaygroundStore, backend: HttpTestingController): Promise<void> {
  store.choosePrompt('p1');
  TestBed.tick();
  answerPending(backend);
  await settle();
  store.applyPromptDefaults();
  store.typedValues.set({ name: 'Ann' });
  TestBed.tick();
}
