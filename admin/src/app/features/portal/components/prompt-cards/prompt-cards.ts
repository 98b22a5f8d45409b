import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCard, MatCardContent } from '@angular/material/card';
import { RouterLink } from '@angular/router';

/** What a portal card shows of a prompt (search hits, favorites and published prompts all have it). */
export interface PromptCardItem {
  id: string;
  title: string;
  description?: string | null;
}

/**
 * The portal's grid of prompt cards (title and description), each opening the prompt:
 * `<pv-prompt-cards label="Favorites" [prompts]="favorites" />`.
 */
@Component({
  selector: 'pv-prompt-cards',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, MatCard, MatCardContent],
  template: `
    <ul class="cards" [attr.aria-label]="label()">
      @for (prompt of prompts(); track prompt.id) {
        <li>
          <a class="card-link" [routerLink]="['/portal/prompts', prompt.id]">
            <mat-card appearance="outlined">
              <mat-card-content>
                <h3 class="card-title">{{ prompt.title }}</h3>
                <p class="muted">{{ prompt.description }}</p>
              </mat-card-content>
            </mat-card>
          </a>
        </li>
      }
    </ul>
  `,
  styles: `
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
      gap: 0.75rem;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .card-link {
      display: block;
      height: 100%;
      color: inherit;
      text-decoration: none;

      mat-card {
        height: 100%;
      }
    }
    .card-title {
      margin: 0 0 0.25rem;
      font: var(--mat-sys-title-medium);
    }
    .muted {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class PromptCards {
  readonly prompts = input.required<readonly PromptCardItem[]>();
  /** The list's accessible name; none when a heading names the section already. */
  readonly label = input<string | null>(null);
}
