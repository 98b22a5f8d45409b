import { APIRequestContext, expect, test } from '@playwright/test';
import { KeycloakLoginPage } from '../pages/keycloak-login.page';

/**
 * The "SSO employee portal" path against a real Keycloak SAML IdP (scripts/services/keycloak.sh,
 * realm scripts/services/keycloak/realm-prompt-vault.json). The realm's SAML client is the SP of
 * organization `acme` on this e2e server, so the test gives its organization that slug.
 */
const KEYCLOAK_URL = process.env['KEYCLOAK_URL']?.replace(/\/+$/, '');
const SLUG = 'acme';
// Fixed, so a retry of this test finds the organization it already set up instead of a clash.
const OWNER = { name: 'Acme Owner', email: 'sso-owner@acme.test', password: 'acme owner password 1' };
const EMPLOYEE = {
  email: 'alice.employee@acme.test',
  password: 'Employee-Passw0rd!',
  name: 'Alice Employee',
};

async function seedAcmeWithSso(
  request: APIRequestContext,
): Promise<{ token: string; organizationId: string }> {
  const signup = await request.post('/api/v1/auth/signup', { data: OWNER });
  expect([201, 409], await signup.text()).toContain(signup.status());
  const login = await request.post('/api/v1/auth/login', {
    data: { email: OWNER.email, password: OWNER.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  const { accessToken: token } = (await login.json()) as { accessToken: string };
  const headers = { Authorization: `Bearer ${token}` };

  const me = (await (await request.get('/api/v1/me', { headers })).json()) as {
    memberships: Array<{ organizationId: string; slug: string }>;
  };
  let organizationId = me.memberships.find((m) => m.slug === SLUG)?.organizationId;
  if (!organizationId) {
    organizationId = me.memberships[0].organizationId;
    const rename = await request.patch(`/api/v1/organizations/${organizationId}`, {
      headers,
      data: { name: 'Acme', slug: SLUG },
    });
    expect(rename.status(), `the slug "${SLUG}" must be free on this server: ${await rename.text()}`).toBe(
      200,
    );
  }

  const sso = await request.put(`/api/v1/organizations/${organizationId}/sso`, {
    headers,
    data: {
      // The realm's signing key is generated at every Keycloak start: read it from the descriptor.
      metadataUrl: `${KEYCLOAK_URL}/realms/prompt-vault/protocol/saml/descriptor`,
      attributeMapping: { email: 'email', name: 'firstName lastName', role: 'role' },
      roleMapping: { EDITOR: 'EDITOR', VIEWER: 'VIEWER' },
      defaultRole: 'VIEWER',
      enabled: true,
    },
  });
  expect(sso.status(), await sso.text()).toBe(200);
  const settings = (await sso.json()) as { sp: { entityId: string; acsUrl: string } };
  // The realm's client is registered for exactly these URLs.
  expect(settings.sp.entityId).toBe(`http://127.0.0.1:4310/api/v1/auth/saml/${SLUG}/metadata`);
  expect(settings.sp.acsUrl).toBe(`http://127.0.0.1:4310/api/v1/auth/saml/${SLUG}/acs`);
  return { token, organizationId };
}

test.describe('SSO through Keycloak', () => {
  test.skip(
    !KEYCLOAK_URL,
    'KEYCLOAK_URL is not set: start Keycloak with scripts/services/keycloak.sh start and export its URL',
  );
  test.setTimeout(90_000);

  test('an employee signs in with SAML and lands in the console as a member of acme', async ({
    page,
    request,
  }) => {
    const { token, organizationId } = await seedAcmeWithSso(request);

    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByLabel('Organization slug').fill(SLUG);
    await page.getByRole('button', { name: 'Continue' }).click();

    await new KeycloakLoginPage(page).signIn(KEYCLOAK_URL!, EMPLOYEE.email, EMPLOYEE.password);

    // Keycloak posts to the ACS, which sends the browser to /sso/callback, which opens the console.
    await expect(page.getByRole('button', { name: `Account: ${EMPLOYEE.name}` })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page).not.toHaveURL(/\/(sign-in|sso\/callback)/);

    // Provisioned just in time, with the role the IdP's `role` attribute maps to.
    const members = await request.get(`/api/v1/organizations/${organizationId}/members`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(members.status()).toBe(200);
    expect(await members.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: EMPLOYEE.email, name: EMPLOYEE.name, role: 'EDITOR' }),
      ]),
    );
  });
});
