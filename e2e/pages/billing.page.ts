import { expect, Locator, Page } from '@playwright/test';

export type PlanTitle = 'Free' | 'Starter' | 'Pro' | 'Enterprise';

/** The Billing page (`/billing`): plan, status, usage meters, plan cards. */
export class BillingPage {
  readonly heading: Locator;
  readonly currentPlan: Locator;
  /** The status chip; its text starts with a visually hidden "Subscription status:". */
  readonly status: Locator;
  readonly interval: Locator;
  readonly manageBilling: Locator;
  readonly pastDueBanner: Locator;
  readonly downgradedBanner: Locator;
  readonly readOnlyNote: Locator;
  readonly alert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Billing', level: 1 });
    const main = page.getByRole('main');
    this.currentPlan = main.getByRole('region', { name: 'Current plan' });
    this.status = main.getByTestId('subscription-status');
    this.interval = main.getByRole('radiogroup', { name: 'Billing interval' });
    this.manageBilling = main.getByRole('button', { name: 'Manage billing' });
    this.pastDueBanner = main.getByRole('status', { name: 'Payment failed' });
    this.downgradedBanner = main.getByRole('status', { name: 'Downgraded to Free' });
    this.readOnlyNote = main.getByText('Only an owner can change the plan.');
    this.alert = main.getByRole('alert');
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/billing${query}`);
    await expect(this.heading).toBeVisible();
    await expect(this.currentPlan).toBeVisible();
  }

  /** Where Stripe sends the browser back after Checkout (`success` or `cancel`). */
  async returnFromCheckout(outcome: 'success' | 'cancel'): Promise<void> {
    await this.goto(`?checkout=${outcome}`);
  }

  /** The plan whose limits apply, as the "Current plan" section names it. */
  async expectPlan(title: PlanTitle): Promise<void> {
    await expect(this.currentPlan.locator('.plan-name')).toHaveText(title);
    await expect(this.card(title)).toContainText('Current plan');
  }

  card(title: PlanTitle): Locator {
    return this.page.getByRole('group', { name: `${title} plan` });
  }

  /** A usage meter by its label ("Members", "Prompts", "API requests", "AI evaluations this month"). */
  meter(label: string): Locator {
    return this.page.getByRole('meter', { name: label });
  }

  async chooseInterval(interval: 'Monthly' | 'Yearly'): Promise<void> {
    await this.interval.getByRole('radio', { name: interval }).click();
    await expect(this.interval.getByRole('radio', { name: interval })).toBeChecked();
  }

  /**
   * Clicks Upgrade on a plan (Stripe configured, no subscription yet) and returns the Checkout URL
   * the API answered, once the browser is there (route `https://checkout.stripe.com/**` first).
   */
  async startCheckout(plan: 'Starter' | 'Pro'): Promise<string> {
    const answered = this.page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/v1/billing/checkout') && response.request().method() === 'POST',
    );
    await this.card(plan)
      .getByRole('button', { name: `Upgrade: ${plan}` })
      .click();
    // The console leaves for the answered URL at once, so the body is gone: read where it went.
    expect((await answered).status()).toBe(201);
    await this.page.waitForURL(/^https:\/\/checkout\.stripe\.com\//);
    return this.page.url();
  }

  /** Without Stripe: "Switch to this plan" on the card, confirmed; waits for the new plan. */
  async switchPlan(plan: PlanTitle): Promise<void> {
    await this.card(plan)
      .getByRole('button', { name: `Switch to this plan: ${plan}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Switch to ${plan}?` });
    await dialog.getByRole('button', { name: 'Switch plan' }).click();
    await expect(dialog).toBeHidden();
    await this.expectPlan(plan);
  }
}

/** The dialog any `plan_limit_reached` answer opens, on whatever page the user is. */
export class UpgradeDialog {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Plan limit reached' });
  }

  /** E.g. "Your organization has 100 of 100 prompts on the Free plan." */
  async expectLimit(sentence: string | RegExp): Promise<void> {
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog).toContainText(sentence);
  }

  /**
   * The OWNER's way on: the Billing page. From a form with unsaved edits (the prompt editor whose
   * creation was refused) the console first asks to discard them: pass `discardChanges`.
   */
  async seePlans(options: { discardChanges?: boolean } = {}): Promise<BillingPage> {
    await this.dialog.getByRole('button', { name: 'See plans' }).click();
    await expect(this.dialog).toBeHidden();
    if (options.discardChanges) {
      const discard = this.page.getByRole('dialog', { name: 'Discard unsaved changes?' });
      await discard.getByRole('button', { name: 'Discard changes' }).click();
    }
    const billing = new BillingPage(this.page);
    await expect(billing.heading).toBeVisible();
    return billing;
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Close|Not now)$/ }).click();
    await expect(this.dialog).toBeHidden();
  }
}
