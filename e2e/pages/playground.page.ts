import { expect, Locator, Page } from '@playwright/test';

/**
 * The playground (`/playground`): source, variables, model and key, Run/Stop with the streaming
 * output and its statistics, the compare view and the recent runs.
 */
export class PlaygroundPage {
  readonly heading: Locator;
  readonly run: Locator;
  readonly stop: Locator;
  readonly output: Locator;
  readonly stats: Locator;
  readonly estimate: Locator;
  readonly alert: Locator;
  readonly copy: Locator;
  readonly saveTestCase: Locator;
  readonly compare: Locator;
  readonly recentRuns: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Playground', level: 1 });
    this.run = page.getByRole('button', { name: 'Run', exact: true });
    this.stop = page.getByRole('button', { name: 'Stop', exact: true });
    this.output = page.getByTestId('run-output');
    this.stats = page.getByLabel('Run statistics').first();
    this.estimate = page.getByTestId('estimate');
    this.alert = page.getByRole('alert');
    this.copy = page.getByRole('button', { name: 'Copy', exact: true });
    this.saveTestCase = page.getByRole('button', { name: 'Save as test case' });
    this.compare = page.getByRole('button', { name: 'Compare', exact: true });
    this.recentRuns = page.getByRole('table', { name: 'Recent runs' });
  }

  /** Opens the playground, on a saved prompt when `promptId` is given (optionally at a version or label). */
  async goto(promptId?: string, at: { version?: number; label?: string } = {}): Promise<void> {
    const query = new URLSearchParams();
    if (promptId) query.set('prompt', promptId);
    if (at.version !== undefined) query.set('version', String(at.version));
    if (at.label) query.set('label', at.label);
    const search = query.toString();
    await this.page.goto(`/playground${search ? `?${search}` : ''}`);
    await expect(this.heading).toBeVisible();
  }

  async selectOption(label: string, option: RegExp | string): Promise<void> {
    await this.page.getByRole('combobox', { name: label, exact: true }).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  async chooseModel(name: string | RegExp): Promise<void> {
    await this.selectOption('Model', name);
  }

  async useScratch(content: string): Promise<void> {
    await this.page.getByRole('radio', { name: 'Scratch content' }).click();
    const editor = this.page.getByRole('textbox', { name: 'Prompt content' });
    await editor.click();
    await editor.fill(content);
  }

  variable(name: string): Locator {
    return this.page.getByRole('group', { name: 'Variables' }).getByLabel(name);
  }

  /** Runs with the keyboard shortcut instead of the button. */
  async runWithShortcut(): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+Enter');
  }

  readonly addKeyLink = (): Locator => this.page.getByRole('link', { name: 'Add a key' });

  // Compare view
  readonly compareTargets = (): Locator => this.page.getByRole('list', { name: 'Comparison targets' });
  readonly addTarget = (): Locator => this.page.getByRole('button', { name: 'Add target' });
  readonly runComparison = (): Locator => this.page.getByRole('button', { name: 'Run comparison' });
  readonly stopComparison = (): Locator => this.page.getByRole('button', { name: 'Stop comparison' });
  readonly differences = (): Locator => this.page.getByRole('region', { name: 'Differences' });

  compareOutput(index: number): Locator {
    return this.page.getByTestId(`compare-output-${index}`);
  }

  async setTarget(
    index: number,
    target: { version?: RegExp | string; model?: RegExp | string },
  ): Promise<void> {
    if (target.version) await this.selectOption(`Version ${index + 1}`, target.version);
    if (target.model) await this.selectOption(`Model ${index + 1}`, target.model);
  }
}
