import { expect, test } from '@playwright/test';
import { AcceptInvitePage } from '../pages/accept-invite.page';
import { uniqueUser } from '../pages/identity.api';
import { OrganizationSwitcherPage } from '../pages/organization-switcher.page';
import { SignUpPage } from '../pages/sign-up.page';
import { seedOwner } from '../support/library-seed';

test.describe('invitations', () => {
  test('invite → the link says what it is → sign-up prefilled with the invited e-mail → lands in the organization, no other', async ({
    page,
    request,
  }) => {
    test.slow();
    const owner = await seedOwner(request, 'Inviter');
    const headers = {
      authorization: `Bearer ${owner.accessToken}`,
      'x-organization-id': owner.organizationId,
    };
    const organization = `Acme ${Date.now()}`;
    expect(
      (
        await request.patch(`/api/v1/organizations/${owner.organizationId}`, {
          headers,
          data: { name: organization },
        })
      ).status(),
    ).toBe(200);
    const invitee = uniqueUser('Invitee');
    const created = await request.post(`/api/v1/organizations/${owner.organizationId}/invites`, {
      headers,
      data: { email: invitee.email, role: 'EDITOR' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { inviteUrl } = (await created.json()) as { inviteUrl: string };

    const accept = new AcceptInvitePage(page);
    await accept.open(inviteUrl);
    await expect(accept.heading).toHaveText(`Join ${organization}`);
    const summary = page.getByRole('definition');
    await expect(summary.filter({ hasText: organization })).toHaveCount(1);
    await expect(summary.filter({ hasText: 'EDITOR' })).toContainText('Creates prompts');
    await expect(summary.filter({ hasText: invitee.email })).toHaveCount(1);

    await page.getByRole('link', { name: 'Sign up' }).click();
    await new SignUpPage(page).signUpInvited(invitee);
    await expect(page).toHaveURL(/\/$/);
    await new OrganizationSwitcherPage(page).expectCurrent(organization);

    // The account belongs to the inviting organization only: the sign-up created none of its own.
    const login = await request.post('/api/v1/auth/login', {
      data: { email: invitee.email, password: invitee.password },
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${accessToken}` } });
    const { memberships } = (await me.json()) as {
      memberships: { organizationName: string; role: string }[];
    };
    expect(memberships.map((m) => [m.organizationName, m.role])).toEqual([[organization, 'EDITOR']]);

    // The used link now says so instead of offering a sign-up.
    await accept.page.goto(new URL(inviteUrl).pathname + new URL(inviteUrl).search);
    await expect(page.getByRole('heading', { name: 'Invitation already used' })).toBeVisible();
  });
});
