import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { HealthCheckList } from '../../components/health-check-list/health-check-list';
import { StatusStore } from '../../data/status.store';

@Component({
  selector: 'pv-status-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButton, MatIcon, MatProgressBar, HealthCheckList],
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
