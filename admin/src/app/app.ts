import { ChangeDetectionStrategy, Component } from '@angular/core';
import { Shell } from './core/layout/shell/shell';

@Component({
  selector: 'pv-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Shell],
  template: '<pv-shell />',
  styles: ':host { display: block; height: 100%; }',
})
export class App {}
