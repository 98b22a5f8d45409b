import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatAnchor } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';

@Component({
  selector: 'pv-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EmptyState, MatAnchor, RouterLink],
  template: `
    <pv-empty-state heading="Page not found" icon="search_off" [level]="1">
      <p>
        There is no page at <code>{{ path }}</code>. The link may be mistyped, or the page may have moved.
      </p>
      <a mat-flat-button pvEmptyStateActions routerLink="/">Back to the library</a>
    </pv-empty-state>
  `,
})
export class NotFoundPage {
  protected readonly path = inject(Router).url;
}
