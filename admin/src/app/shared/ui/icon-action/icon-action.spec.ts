import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { IconAction } from './icon-action';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [IconAction],
  template: `<pv-icon-action
    icon="delete"
    [label]="'Revoke ' + name"
    tooltip="Revoke"
    [disabled]="locked()"
    (pressed)="presses = presses + 1"
  />`,
})
class Host {
  readonly name = 'CI key';
  readonly locked = signal(false);
  presses = 0;
}

describe('IconAction', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideAppIcons()] }));

  it('is a button named after what it acts on, pressed unless disabled', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const button = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>(
      'button[aria-label="Revoke CI key"]',
    )!;
    expect(button.type).toBe('button');
    button.click();
    expect(fixture.componentInstance.presses).toBe(1);

    fixture.componentInstance.locked.set(true);
    await fixture.whenStable();
    expect(button.disabled).toBe(true);
  });
});
