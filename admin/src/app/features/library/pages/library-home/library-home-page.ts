import { ChangeDetectionStrategy, Component } from '@angular/core';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';

@Component({
  selector: 'pv-library-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState],
  template: `
    <h1 class="page-title">Library</h1>
    <pv-empty-state heading="Your prompt library is empty" icon="library_books">
      <p>
        Prompt Vault keeps your organization's LLM prompts in one place, versioned like code. Prompts you and
        your team create will be listed here with their versions, tags and labels.
      </p>
      <p>
        Creating and importing prompts is not available in this console yet; it arrives in a coming release.
      </p>
    </pv-empty-state>
  `,
  styles: `
    .page-title {
      margin: 0 0 1.5rem;
      font: var(--mat-sys-headline-medium);
    }
  `,
})
export class LibraryHomePage {}
