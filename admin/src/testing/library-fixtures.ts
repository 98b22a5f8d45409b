import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { of } from 'rxjs';
import { MembershipRole } from '../app/core/api/api-types';
import { ErrorNotifier } from '../app/core/http/error-notifier';
import { problemInterceptor } from '../app/core/http/problem.interceptor';
import { provideAppIcons } from '../app/core/icons/app-icons';
import { SessionStore } from '../app/core/session/session.store';
import { STORAGE_KEYS } from '../app/core/storage/browser-storage';
import { LibraryLookups } from '../app/features/library/data/library-lookups.store';
import { Member, Prompt } from '../app/features/library/data/library.types';
import { PromptDetailStore } from '../app/features/library/data/prompt-detail.store';
import { provideLibraryIcons } from '../app/shared/ui/icons/library-icons';
import { memoryStorage } from './test-helpers';

export const ORGANIZATION_ID = 'o1';
export const ME_ID = 'u1';

export const MEMBERS: Member[] = [
  { userId: 'u1', email: 'ada@example.com', name: 'Ada', role: 'EDITOR', joinedAt: '2026-01-01T00:00:00Z' },
  { userId: 'u2', email: 'bob@example.com', name: 'Bob', role: 'OWNER', joinedAt: '2026-01-01T00:00:00Z' },
];

export function prompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    id: 'p1',
    slug: 'support-reply',
    title: 'Support reply',
    description: '',
    content: 'Answer {{customer}} in a {{tone}} tone.',
    variables: [
      { name: 'customer', type: 'text', required: true },
      { name: 'tone', type: 'select', required: false, options: ['friendly', 'formal'] },
    ],
    tags: [],
    categoryId: null,
    collectionId: null,
    authorId: ME_ID,
    status: 'draft',
    visibility: 'organization',
    metadata: {},
    version: 3,
    labels: {},
    stats: { views: 0, uses: 0, favorites: 0 },
    favorited: false,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    publishedAt: null,
    ...overrides,
  };
}

/** A problem+json error answer as the API sends it. */
export function problem(status: number, code: string, extra: Record<string, unknown> = {}) {
  return {
    body: { type: 'about:blank', title: code, status, code, ...extra },
    options: { status, statusText: code, headers: { 'Content-Type': 'application/problem+json' } },
  };
}

export interface LibraryTestBed {
  backend: HttpTestingController;
  lookups: LibraryLookups;
  notify: ReturnType<typeof vi.fn>;
  snackBar: { open: ReturnType<typeof vi.fn> };
  /** What the next confirmation dialog answers; every opened dialog is recorded. */
  dialog: { answer: unknown; open: ReturnType<typeof vi.fn> };
}

/**
 * The library's real stores on HttpTestingController, signed in as `role` in one organization.
 * Dialogs and snackbars are fakes so a test can answer a confirmation and read a notice.
 * `configure` runs before anything is injected (the place for `TestBed.overrideComponent`).
 */
export function setUpLibrary(
  role: MembershipRole,
  providers: (Provider | EnvironmentProviders)[] = [],
  configure: () => void = () => undefined,
): LibraryTestBed {
  const notify = vi.fn();
  const snackBar = { open: vi.fn() };
  const dialog = {
    answer: true as unknown,
    open: vi.fn(() => ({ afterClosed: () => of(dialog.answer) })),
  };
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.organizationId]: ORGANIZATION_ID }).provider,
      provideHttpClient(withInterceptors([problemInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      provideLibraryIcons(),
      LibraryLookups,
      PromptDetailStore,
      { provide: ErrorNotifier, useValue: { notify } },
      { provide: MatSnackBar, useValue: snackBar },
      { provide: MatDialog, useValue: dialog },
      ...providers,
    ],
  });
  configure();
  TestBed.inject(SessionStore).me.set({
    id: ME_ID,
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: ORGANIZATION_ID, organizationName: 'Acme', slug: 'acme', role }],
  });
  const lookups = TestBed.inject(LibraryLookups);
  lookups.members.set(MEMBERS);
  return { backend: TestBed.inject(HttpTestingController), lookups, notify, snackBar, dialog };
}

/** The input, textarea or select whose `<mat-label>` (or label) reads `label`. */
export function fieldByLabel<T extends HTMLElement = HTMLInputElement>(root: HTMLElement, label: string): T {
  const matches = Array.from(root.querySelectorAll('label')).filter(
    (l) => (l.textContent ?? '').replace(/\s+/g, ' ').replace(/\*$/, '').trim() === label,
  );
  if (matches.length !== 1) throw new Error(`Expected one field labelled ${label}, found ${matches.length}`);
  const id = matches[0].getAttribute('for');
  const field = id ? root.ownerDocument.getElementById(id) : null;
  if (!field) throw new Error(`The label ${label} names no field`);
  return field as T;
}

/** Types into an input or textarea the way a user does (the forms listen to `input`). */
export function type(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input'));
}
