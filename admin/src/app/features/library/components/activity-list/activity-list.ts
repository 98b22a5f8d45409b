import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { ActivityEntry } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';

/** "prompt.label_moved" → "Label moved". */
export function describeAction(action: string): string {
  const verb = action.includes('.') ? action.slice(action.indexOf('.') + 1) : action;
  const text = verb.replace(/[_.]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Recent changes to the prompt, newest first. */
@Component({
  selector: 'pv-activity-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    <ol class="activity" aria-label="Activity">
      @for (entry of store.activity(); track entry.id) {
        <li>
          <span class="what">{{ entry.summary || describe(entry.action) }}</span>
          <span class="muted">{{ actorName(entry) }} · {{ entry.occurredAt | date: 'medium' }}</span>
        </li>
      } @empty {
        <li class="muted">No activity yet.</li>
      }
    </ol>
  `,
  styles: `
    .activity {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    li {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0.5rem;
      padding: 0.5rem 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ActivityList implements OnInit {
  protected readonly store = inject(PromptDetailStore);
  protected readonly describe = describeAction;

  protected actorName(entry: ActivityEntry): string {
    return entry.actor ? entry.actor.name || entry.actor.email : 'System';
  }

  ngOnInit(): void {
    this.store.loadActivity();
  }
}
