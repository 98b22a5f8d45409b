import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { firstValueFrom, isObservable, of } from 'rxjs';
import { HasUnsavedChanges, unsavedChangesGuard } from './unsaved-changes.guard';

function run(component: HasUnsavedChanges, answer: boolean | undefined) {
  const open = vi.fn(() => ({ afterClosed: () => of(answer) }));
  TestBed.configureTestingModule({ providers: [{ provide: MatDialog, useValue: { open } }] });
  const result = TestBed.runInInjectionContext(() =>
    unsavedChangesGuard(
      component,
      {} as ActivatedRouteSnapshot,
      {} as RouterStateSnapshot,
      {} as RouterStateSnapshot,
    ),
  );
  return { result, open };
}

describe('unsavedChangesGuard', () => {
  it('lets the user leave without asking when nothing changed', () => {
    const { result, open } = run({ hasUnsavedChanges: () => false }, undefined);
    expect(result).toBe(true);
    expect(open).not.toHaveBeenCalled();
  });

  it('asks and stays unless the user discards the changes', async () => {
    const stay = run({ hasUnsavedChanges: () => true }, undefined);
    expect(isObservable(stay.result)).toBe(true);
    expect(await firstValueFrom(stay.result as never)).toBe(false);
    TestBed.resetTestingModule();
    const leave = run({ hasUnsavedChanges: () => true }, true);
    expect(await firstValueFrom(leave.result as never)).toBe(true);
  });
});
