import { expect, test } from '@playwright/test';
import { AcceptInvitePage } from '../pages/accept-invite.page';
import { ApiKeysPage } from '../pages/api-keys.page';
import { signUpThroughApi, uniqueUser } from '../pages/identity.api';
import { MembersPage } from '../pages/members.page';
import { OrganizationSwitcherPage } from '../pages/organization-switcher.page';
import { ShellPage } from '../pages/shell.page';
import { SignInPage } from '../pages/sign-in.page';
import { SignUpPage } from '../pages/sign-up.page';
import { subscribeToPro } from '../support/fakes';

/** The navigation items this journey is about (other features add their own items). */
const ADMIN_ITEMS = ['Members', 'API keys', 'SSO'];
async function adminNav(shell: ShellPage): Promise<string[]> {
  const labels = await shell.navigation.getByRole('link').allInnerTexts();
  return labels.map((label) => label.trim()).filter((label) => ADMIN_ITEMS.includes(label));
}

test.describe('identity console', () => {
  test('sign-up, create organization, invite, accept as the invitee, narrower menu after a role change', async ({
    page,
    browser,
  }) => {
    // Two users, two browser contexts and a dozen page loads: more than the default 30 s on a busy machine.
    test.slow();
    const owner = uniqueUser('Owner');
    const invitee = uniqueUser('Invitee');
    const organization = `Acme ${owner.name.split(' ')[1]}`;

    // The owner signs up and lands in the console with the full menu.
    const ownerShell = new ShellPage(page);
    await new SignUpPage(page).goto();
    await new SignUpPage(page).signUp(owner);
    await expect(page).toHaveURL(/\/$/);
    await expect(ownerShell.navLink('Members')).toBeVisible();
    expect(await adminNav(ownerShell)).toEqual(['Members', 'API keys', 'SSO']);

    // On Free a user may own one organization: the first one goes Pro (a subscription announced by
    // Stripe's signed webhook) before a second organization is created from the switcher.
    const firstOrganizationId = await page.evaluate(() => localStorage.getItem('pv.organizationId'));
    expect(firstOrganizationId).toBeTruthy();
    expect((await subscribeToPro(firstOrganizationId!)).status).toBe(200);

    // A second organization, created from the switcher, becomes the current one.
    const switcher = new OrganizationSwitcherPage(page);
    await switcher.createOrganization(organization);
    await switcher.expectCurrent(organization);

    // Invite the teammate as ADMIN; the dialog shows the link to share.
    await ownerShell.navLink('Members').click();
    const members = new MembersPage(page);
    await expect(members.heading).toBeVisible();
    await expect(members.memberRow(owner.email)).toContainText('(you)');
    const inviteUrl = await members.invite(invitee.email, 'ADMIN');
    await expect(members.invites.getByRole('row').filter({ hasText: invitee.email })).toContainText('ADMIN');

    // The invitee opens the link signed out and signs up with the invited address, which joins them.
    const inviteeContext = await browser.newContext();
    try {
      const inviteePage = await inviteeContext.newPage();
      const accept = new AcceptInvitePage(inviteePage);
      await accept.open(inviteUrl);
      await expect(accept.heading).toHaveText(`Join ${organization}`);
      await inviteePage.getByRole('link', { name: 'Sign up' }).click();
      await new SignUpPage(inviteePage).signUpInvited(invitee);
      await expect(inviteePage).toHaveURL(/\/$/);

      const inviteeShell = new ShellPage(inviteePage);
      await new OrganizationSwitcherPage(inviteePage).expectCurrent(organization);
      await expect(inviteeShell.navLink('Members')).toBeVisible();
      expect(await adminNav(inviteeShell)).toEqual(['Members', 'API keys', 'SSO']);

      // The owner sees the new member (no longer pending) and demotes them to VIEWER.
      await members.goto();
      await expect(members.memberRow(invitee.email)).toBeVisible();
      await expect(members.invites).toBeHidden();
      await members.changeRole(invitee.name, 'VIEWER');
      await expect(page.getByText(`${invitee.name} is now VIEWER`)).toBeVisible();
      await page.reload();
      await expect(members.roleSelect(invitee.name)).toContainText('VIEWER');

      // The invitee's home becomes the employee portal (without the admin navigation); elsewhere
      // the menu narrows to what a VIEWER may do, and the pages are closed to them.
      await inviteePage.reload();
      await expect(inviteePage).toHaveURL(/\/portal$/);
      await inviteePage.goto('/organization/api-keys');
      await expect(inviteeShell.navLink('API keys')).toBeVisible();
      expect(await adminNav(inviteeShell)).toEqual(['API keys']);
      await expect(inviteeShell.navLink('Library')).toBeVisible();
      // Closed pages send them home, which for a VIEWER is the employee portal.
      await inviteePage.goto('/organization/members');
      await expect(inviteePage).toHaveURL(/\/(portal)?$/);
      await inviteePage.goto('/organization/sso');
      await expect(inviteePage).toHaveURL(/\/(portal)?$/);
    } finally {
      await inviteeContext.close();
    }
  });

  test('the last OWNER cannot demote themselves, and the page says why', async ({ page, request }) => {
    const owner = uniqueUser('Solo');
    await signUpThroughApi(request, owner);
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(owner.email, owner.password);
    await expect(page).toHaveURL(/\/$/);

    const members = new MembersPage(page);
    await members.goto();
    await members.changeRole(owner.name, 'EDITOR');
    await expect(members.alert).toContainText('An organization needs at least one OWNER');
    await expect(members.roleSelect(owner.name)).toContainText('OWNER');
  });

  test('a signed-out visitor is sent to sign in and brought back; sign-out ends the session', async ({
    page,
    request,
  }) => {
    const user = uniqueUser('Returning');
    await signUpThroughApi(request, user);

    await page.goto('/organization/api-keys');
    await expect(page).toHaveURL(/\/sign-in\?returnUrl=%2Forganization%2Fapi-keys$/);
    const signIn = new SignInPage(page);
    await signIn.signIn(user.email, 'not the password at all');
    await expect(signIn.alert).toContainText('Wrong e-mail or password.');
    await signIn.password.fill(user.password);
    await signIn.submit.click();
    await expect(page).toHaveURL(/\/organization\/api-keys$/);
    await expect(new ApiKeysPage(page).heading).toBeVisible();

    await page.getByRole('button', { name: `Account: ${user.name}` }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(signIn.heading).toBeVisible();
    await page.goto('/organization/api-keys');
    await expect(page).toHaveURL(/\/sign-in\?returnUrl=/);
  });

  test('API keys: the key is shown once, listed by prefix, and revoked', async ({ page, request }) => {
    const user = uniqueUser('Keys');
    await signUpThroughApi(request, user);
    const signIn = new SignInPage(page);
    await signIn.goto('?returnUrl=%2Forganization%2Fapi-keys');
    await signIn.signIn(user.email, user.password);

    const keys = new ApiKeysPage(page);
    await expect(keys.heading).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();
    const key = await keys.create('CI pipeline');
    const row = keys.row('CI pipeline');
    await expect(row).toBeVisible();
    const prefix = (await row.getByRole('cell').nth(1).innerText()).replace('…', '').trim();
    expect(key.startsWith(prefix)).toBe(true);
    await expect(row).toContainText('Never');

    // The key works against the API as its user.
    const me = await request.get('/api/v1/me', { headers: { 'X-API-Key': key } });
    expect(me.status()).toBe(200);

    await row.getByRole('button', { name: 'Revoke CI pipeline' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByRole('heading', { name: 'No API keys yet' })).toBeVisible();
    const after = await request.get('/api/v1/me', { headers: { 'X-API-Key': key } });
    expect(after.status()).toBe(401);
  });

  test('"Sign in with SSO" asks for the organization slug and goes to its SAML login', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await expect(signIn.organizationSlug).toBeHidden();
    await signIn.ssoButton.click();
    await expect(signIn.organizationSlug).toBeVisible();

    const started = page.waitForRequest((req) => req.url().endsWith('/api/v1/auth/saml/no-such-org/login'));
    await signIn.organizationSlug.fill('no-such-org');
    await signIn.continueButton.click();
    await started;
  });

  test('an SSO failure sent back to the sign-in page is explained', async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto('?ssoError=replayed');
    await expect(signIn.alert).toContainText('This sign-in answer was already used. Start again.');
  });
});
