import type { FullConfig } from '@playwright/test';
import { startFakes } from './fakes';

/** Runs once in the Playwright runner: the local Stripe and model providers (e2e/support/fakes.ts). */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error('e2e: baseURL is not configured');
  return startFakes(baseURL);
}
