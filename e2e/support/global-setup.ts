import type { FullConfig } from '@playwright/test';
import { startStripe } from './stripe';

/** Runs once in the Playwright runner: the local Stripe the e2e server is pointed at. */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error('e2e: baseURL is not configured');
  return startStripe(baseURL);
}
