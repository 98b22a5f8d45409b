import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatTableModule } from '@angular/material/table';
import { DataTable } from '../../../../shared/ui/data-table/data-table';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { RunStatus } from '../../data/playground.api';
import { PlaygroundStore } from '../../data/playground.store';

const STATUS_LABELS: Record<RunStatus, string> = {
  success: 'Succeeded',
  error: 'Failed',
  canceled: 'Stopped',
};

/** The latest runs of the chosen prompt (of the organization for scratch content), newest first. */
@Component({
  selector: 'pv-recent-runs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, DecimalPipe, MatTableModule, DataTable, EmptyState],
  template: `
    <section aria-labelledby="recent-runs-heading">
      <h2 id="recent-runs-heading">Recent runs</h2>
      <pv-data-table
        label="Recent runs"
        [rows]="store.recentRuns.value()"
        [columns]="columns"
        [loading]="store.recentRuns.isLoading()"
        loadingLabel="Loading recent runs"
        [failed]="!!store.recentRuns.error()"
        failedText="The recent runs could not be loaded."
      >
        <pv-empty-state pvTableEmpty heading="No runs yet" icon="history">
          <p>Runs of this prompt appear here, with their model, cost and time.</p>
        </pv-empty-state>
        <ng-container matColumnDef="status">
          <th mat-header-cell *matHeaderCellDef>Status</th>
          <td mat-cell *matCellDef="let run">
            <span class="status" [attr.data-status]="run.status">{{ statusLabel(run.status) }}</span>
          </td>
        </ng-container>
        <ng-container matColumnDef="model">
          <th mat-header-cell *matHeaderCellDef>Model</th>
          <td mat-cell *matCellDef="let run">{{ run.model }}</td>
        </ng-container>
        <ng-container matColumnDef="version">
          <th mat-header-cell *matHeaderCellDef>Version</th>
          <td mat-cell *matCellDef="let run">{{ run.version === null ? 'Scratch' : 'v' + run.version }}</td>
        </ng-container>
        <ng-container matColumnDef="tokens">
          <th mat-header-cell *matHeaderCellDef>Tokens</th>
          <td mat-cell *matCellDef="let run">
            {{ run.usage.inputTokens | number }} / {{ run.usage.outputTokens | number }}
          </td>
        </ng-container>
        <ng-container matColumnDef="cost">
          <th mat-header-cell *matHeaderCellDef>Cost</th>
          <td mat-cell *matCellDef="let run">\${{ run.costUsd | number: '1.2-6' }}</td>
        </ng-container>
        <ng-container matColumnDef="createdAt">
          <th mat-header-cell *matHeaderCellDef>Time</th>
          <td mat-cell *matCellDef="let run">{{ run.createdAt | date: 'medium' }}</td>
        </ng-container>
      </pv-data-table>
    </section>
  `,
  styles: `
    :host {
      display: block;
      margin-top: 2rem;
    }
    h2 {
      font: var(--mat-sys-title-large);
    }
    .status[data-status='error'] {
      color: var(--mat-sys-error);
    }
    .status[data-status='canceled'] {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class RecentRuns {
  protected readonly store = inject(PlaygroundStore);
  protected readonly columns = ['status', 'model', 'version', 'tokens', 'cost', 'createdAt'];

  protected statusLabel(status: RunStatus): string {
    return STATUS_LABELS[status] ?? status;
  }
}
