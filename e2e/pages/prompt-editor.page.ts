import { expect, Locator, Page } from '@playwright/test';

/** The prompt editor (create and edit). */
export class PromptEditorPage {
  readonly title: Locator;
  readonly description: Locator;
  readonly content: Locator;
  readonly changeNote: Locator;
  readonly create: Locator;
  readonly save: Locator;
  /** "Similar prompts already exist" while creating. */
  readonly similarPanel: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByRole('textbox', { name: 'Title' });
    this.description = page.getByRole('textbox', { name: 'Description' });
    this.content = page.getByRole('textbox', { name: 'Prompt content' });
    this.changeNote = page.getByRole('textbox', { name: 'Change note' });
    this.create = page.getByRole('button', { name: 'Create prompt' });
    this.save = page.getByRole('button', { name: 'Save', exact: true });
    this.similarPanel = page.getByRole('region', { name: 'Similar prompts already exist' });
  }

  /** Replaces the CodeMirror document. */
  async setContent(text: string): Promise<void> {
    await this.content.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
    await expect(this.content).toContainText(text.split('\n')[0]);
  }

  variable(name: string): Locator {
    return this.page.getByRole('group', { name: `{{${name}}}` });
  }
}
