import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatChip, MatChipRemove } from '@angular/material/chips';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatOption, MatSelect } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { ACTIVITY_TYPES, ActivityEntry, ActivityType } from '../../data/activity.api';
import { ActivityStore } from '../../data/activity.store';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';

/**
 * What changed in the organization, newest first: filters by member, prompt and kind (kept in
 * the URL, so a filtered feed can be shared), entries link to their prompts, "Load more" pages on.
 */
@Component({
  selector: 'pv-activity-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    Skeleton,
    DatePipe,
    RouterLink,
    MatButton,
    MatChip,
    MatChipRemove,
    MatFormField,
    MatLabel,
    MatIcon,
    MatOption,
    MatSelect,
    EmptyState,
  ],
  providers: [ActivityStore],
  templateUrl: './activity-page.html',
  styleUrls: ['../../../../shared/ui/page/settings-page.scss', './activity-page.scss'],
})
export class ActivityPage {
  /** Query parameters (router input binding). */
  readonly actorId = input<string>();
  readonly promptId = input<string>();
  readonly type = input<string>();

  protected readonly store = inject(ActivityStore);
  private readonly router = inject(Router);
  protected readonly types = ACTIVITY_TYPES;
  protected readonly promptTitle = computed(() => {
    const id = this.promptId();
    const entry = this.store.entries()?.find((e) => this.promptOf(e) === id);
    return entry?.target.title ?? 'this prompt';
  });

  constructor() {
    effect(() => {
      const type = this.type();
      this.store.setFilters({
        actorId: this.actorId() || null,
        promptId: this.promptId() || null,
        type: ACTIVITY_TYPES.some((t) => t.value === type) ? (type as ActivityType) : null,
      });
    });
  }

  /** The prompt an entry is about (a prompt itself, or the prompt a comment is on). */
  protected promptOf(entry: ActivityEntry): string | null {
    if (entry.target.type === 'prompt') return entry.target.id;
    return entry.target.promptId ?? null;
  }

  protected filter(change: {
    actorId?: string | null;
    promptId?: string | null;
    type?: string | null;
  }): void {
    const current = {
      actorId: this.actorId() ?? null,
      promptId: this.promptId() ?? null,
      type: this.type() ?? null,
    };
    const next = { ...current, ...change };
    void this.router.navigate([], {
      queryParams: Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v || null])),
      replaceUrl: true,
    });
  }
}
