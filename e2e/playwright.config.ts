import { defineConfig, devices } from '@playwright/test';
import { E2E_STRIPE_ENV } from './support/fakes';

// PV_E2E_PORT lets two checkouts run their journeys side by side (the SSO journey needs 4310: the
// Keycloak realm names that address).
const PORT = Number(process.env['PV_E2E_PORT'] ?? 4310);
const baseURL = `http://127.0.0.1:${PORT}`;

// Fresh embedded data per run, computed once: workers re-read this file and inherit the env.
process.env['PV_E2E_DATA_DIR'] ??= `.data/e2e-${Date.now()}`;
const dataDir = process.env['PV_E2E_DATA_DIR'];

// Only set when configured; without them the backend uses embedded PGlite and the inline queue.
const services: Record<string, string> = {};
for (const name of ['DATABASE_URL', 'REDIS_URL', 'ELASTICSEARCH_URL'] as const) {
  const value = process.env[name];
  if (value) services[name] = value;
}

// Debian's Chromium: `npx playwright install` needs internet the CI machines do not have.
const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './specs',
  // A local Stripe (the same fake as the integration tests) for the billing journey.
  globalSetup: './support/global-setup.ts',
  outputDir: '../test-results/e2e-artifacts',
  fullyParallel: true,
  forbidOnly: !!process.env['CI'],
  retries: process.env['CI'] ? 1 : 0,
  workers: process.env['CI'] ? 2 : undefined,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '../test-results/e2e.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-quic',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // The real stack: the built API serving the built console (npm run build runs first).
    command: 'node dist/backend/main.js',
    cwd: '..',
    url: `${baseURL}/api/v1/health`,
    timeout: 180_000,
    reuseExistingServer: !process.env['CI'],
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      // Links the server builds (SAML entity id and ACS, invite links) must match the address tests use.
      PUBLIC_URL: baseURL,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
      // Billing as in production: new organizations start on Free, plans change through Stripe.
      DEFAULT_PLAN: 'free',
      ...E2E_STRIPE_ENV,
      ...services,
    },
  },
});
