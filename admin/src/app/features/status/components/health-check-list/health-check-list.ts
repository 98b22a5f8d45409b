import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIcon } from '@angular/material/icon';
import { HealthCheckView } from '../../data/status.store';

@Component({
  selector: 'pv-health-check-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatIcon],
  templateUrl: './health-check-list.html',
  styleUrl: './health-check-list.scss',
})
export class HealthCheckList {
  readonly checks = input.required<HealthCheckView[]>();
}
