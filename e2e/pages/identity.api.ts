import { APIRequestContext, expect } from '@playwright/test';

export interface SeededUser {
  name: string;
  email: string;
  password: string;
}

/** A user no other test uses (tests run in parallel against one server). */
export function uniqueUser(label: string): SeededUser {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    name: `${label} ${id}`,
    email: `${label.toLowerCase().replace(/\W+/g, '-')}-${id}@e2e.example.com`,
    password: `correct horse ${id}`,
  };
}

/** Seeds an account through the API (it gets its own default organization as OWNER). */
export async function signUpThroughApi(request: APIRequestContext, user: SeededUser): Promise<void> {
  const response = await request.post('/api/v1/auth/signup', {
    data: { name: user.name, email: user.email, password: user.password },
  });
  expect(response.status(), await response.text()).toBe(201);
}
