import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { Shell } from './core/layout/shell/shell';
import { SessionStore } from './core/session/session.store';
import { CommandPalette } from './features/command-palette/command-palette';
import { BudgetBanner } from './features/analytics/components/budget-banner/budget-banner';
import { SearchBox } from './features/search/components/search-box/search-box';

/** The composition root: the only place that puts feature pieces into the core shell. */
@Component({
  selector: 'pv-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Shell, SearchBox, CommandPalette, BudgetBanner],
  template: `
    <pv-shell>
      <!-- Search is a tenant route. Loaded after start-up: its autocomplete stays out of the initial bundle. -->
      @if (signedIn()) {
        @defer (on idle) {
          <pv-search-box />
          <pv-command-palette />
        }
      }
      <!-- OWNER/ADMIN budget warnings above the page; loaded after start-up, out of the initial bundle. -->
      <div pvShellBanner>
        @if (signedIn()) {
          @defer (on idle) {
            <pv-budget-banner />
          }
        }
      </div>
    </pv-shell>
  `,
  styles: ':host { display: block; height: 100%; }',
})
export class App {
  protected readonly signedIn = inject(SessionStore).signedIn;
}
