import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { MatAnchor, MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { EmptyState } from '../../../../shared/ui/empty-state/empty-state';
import { Skeleton } from '../../../../shared/ui/skeleton/skeleton';
import { HealthCheckList } from '../../components/health-check-list/health-check-list';
import { StatusStore } from '../../data/status.store';

@Component({
  selector: 'pv-status-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatAnchor, MatButton, MatIcon, RouterLink, EmptyState, Skeleton, HealthCheckList],
  providers: [StatusStore],
  templateUrl: './status-page.html',
  styleUrl: './status-page.scss',
})
export class StatusPage implements OnInit {
  protected readonly store = inject(StatusStore);

  ngOnInit(): void {
    this.store.load();
  }
}
