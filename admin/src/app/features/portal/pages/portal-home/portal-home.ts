import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { SessionStore } from '../../../../core/session/session.store';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { PromptCards } from '../../components/prompt-cards/prompt-cards';
import { PortalStore } from '../../data/portal.store';

/**
 * The employee portal's home (VIEWERs land here): search, favorites, recently used and the
 * organization's published prompts by category, without the admin navigation.
 */
@Component({
  selector: 'pv-portal-home',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatFormField, MatLabel, MatInput, MatIcon, MatProgressBar, EmptyState, PromptCards],
  providers: [PortalStore],
  templateUrl: './portal-home.html',
  styleUrl: './portal-home.scss',
})
export class PortalHome {
  protected readonly store = inject(PortalStore);
  protected readonly session = inject(SessionStore);
  private debounce: ReturnType<typeof setTimeout> | undefined;

  protected onSearch(value: string): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.store.search(value), 250);
  }
}
