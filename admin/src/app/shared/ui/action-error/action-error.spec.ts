import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideAppIcons } from '../../../core/icons/app-icons';
import { ActionError } from './action-error';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ActionError],
  template: `<pv-action-error [(message)]="error" />`,
})
class Host {
  readonly error = signal<string | null>(null);
}

describe('ActionError', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideAppIcons()] }));

  it('shows the message as an alert and clears it when dismissed', async () => {
    const fixture = TestBed.createComponent(Host);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')).toBeNull();

    fixture.componentInstance.error.set('The key could not be revoked.');
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('The key could not be revoked.');

    el.querySelector<HTMLButtonElement>('button[aria-label="Dismiss error"]')!.click();
    await fixture.whenStable();
    expect(fixture.componentInstance.error()).toBeNull();
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });
});
