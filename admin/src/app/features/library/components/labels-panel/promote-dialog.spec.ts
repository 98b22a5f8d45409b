import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { getByRole } from '../../../../../testing/test-helpers';
import { PRODUCTION_DENIED, PromoteDialog, PromoteDialogData } from './promote-dialog';

async function render(canMoveProduction: boolean) {
  const close = vi.fn();
  const data: PromoteDialogData = {
    versions: [
      { version: 2, title: 'Second' },
      { version: 1, title: 'First' },
    ],
    version: 2,
    labels: { staging: 1 },
    canMoveProduction,
  };
  TestBed.configureTestingModule({
    imports: [PromoteDialog],
    providers: [
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ],
  });
  const fixture = TestBed.createComponent(PromoteDialog);
  await fixture.whenStable();
  return { root: fixture.nativeElement as HTMLElement, close };
}

describe('PromoteDialog', () => {
  it('offers production to OWNER/ADMIN and promotes the chosen version', async () => {
    const { root, close } = await render(true);
    expect(root.textContent).not.toContain(PRODUCTION_DENIED);
    getByRole(root, 'button', 'Promote').click();
    expect(close).toHaveBeenCalledWith({ label: 'production', version: 2 });
  });

  it('explains why production is not available and defaults to staging for others', async () => {
    const { root, close } = await render(false);
    expect(root.textContent).toContain(PRODUCTION_DENIED);
    getByRole(root, 'button', 'Promote').click();
    expect(close).toHaveBeenCalledWith({ label: 'staging', version: 2 });
  });
});
