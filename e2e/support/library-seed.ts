import { APIRequestContext, expect, Page } from '@playwright/test';

/** Keys from admin/src/app/core/storage/browser-storage.ts (STORAGE_KEYS). */
const STORAGE_KEYS = {
  session: 'pv.session',
  organizationId: 'pv.organizationId',
} as const;

export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'VIEWER';

export interface SeededSession {
  name: string;
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  organizationId: string;
}

function unique(label: string): { name: string; email: string; password: string } {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    name: `${label} ${id}`,
    email: `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}@library.e2e.example.com`,
    password: `library journey ${id}`,
  };
}

async function ok<T>(
  response: { status(): number; text(): Promise<string>; json(): Promise<unknown> },
  status: number,
) {
  expect(response.status(), await response.text()).toBe(status);
  return (status === 204 ? undefined : await response.json()) as T;
}

async function signUpAndLogin(request: APIRequestContext, label: string) {
  const user = unique(label);
  await ok(await request.post('/api/v1/auth/signup', { data: user }), 201);
  const { accessToken } = await ok<{ accessToken: string }>(
    await request.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } }),
    200,
  );
  const me = await ok<{ id: string; memberships: { organizationId: string; role: Role }[] }>(
    await request.get('/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } }),
    200,
  );
  return { ...user, accessToken, userId: me.id, defaultOrganizationId: me.memberships[0].organizationId };
}

/** A new account with its own new organization, as OWNER (each test gets its own tenant). */
export async function seedOwner(request: APIRequestContext, label = 'Owner'): Promise<SeededSession> {
  const { defaultOrganizationId, ...user } = await signUpAndLogin(request, label);
  return { ...user, organizationId: defaultOrganizationId };
}

/** A new account invited into the owner's organization with `role` (invite + accept through the API). */
export async function seedMember(
  request: APIRequestContext,
  owner: SeededSession,
  role: Role,
  label: string = role.charAt(0) + role.slice(1).toLowerCase(),
): Promise<SeededSession> {
  const user = unique(label);
  const invite = await ok<{ inviteUrl: string }>(
    await request.post(`/api/v1/organizations/${owner.organizationId}/invites`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
      data: { email: user.email, role },
    }),
    201,
  );
  const token = new URL(invite.inviteUrl).searchParams.get('token');
  expect(token).toBeTruthy();
  await ok(await request.post('/api/v1/auth/signup', { data: user }), 201);
  const { accessToken } = await ok<{ accessToken: string }>(
    await request.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } }),
    200,
  );
  await ok(
    await request.post('/api/v1/invites/accept', {
      headers: { authorization: `Bearer ${accessToken}` },
      data: { token },
    }),
    200,
  );
  const me = await ok<{ id: string }>(
    await request.get('/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } }),
    200,
  );
  return { ...user, accessToken, userId: me.id, organizationId: owner.organizationId };
}

export interface SeededPrompt {
  id: string;
  title: string;
  version: number;
  authorId: string;
}

/** Creates a prompt as the given member (through the API). */
export async function seedPrompt(
  request: APIRequestContext,
  session: SeededSession,
  body: { title: string; content: string; description?: string; tags?: string[] },
): Promise<SeededPrompt> {
  return ok<SeededPrompt>(
    await request.post('/api/v1/prompts', {
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'x-organization-id': session.organizationId,
      },
      data: body,
    }),
    201,
  );
}

/**
 * Opens the console already signed in as `session`, without going through the sign-in page: a
 * cookie-mode sign-in through the page's own request context puts the HttpOnly refresh cookie in
 * the browser, and the console resumes that session on load, as after a reload.
 */
export async function signInBrowser(page: Page, session: SeededSession): Promise<void> {
  await ok(
    await page.request.post('/api/v1/auth/login', {
      headers: { 'x-session-mode': 'cookie' },
      data: { email: session.email, password: session.password },
    }),
    200,
  );
  await page.addInitScript(
    ({ keys, organizationId }) => {
      window.localStorage.setItem(keys.session, 'cookie');
      window.localStorage.setItem(keys.organizationId, organizationId);
    },
    { keys: STORAGE_KEYS, organizationId: session.organizationId },
  );
}
