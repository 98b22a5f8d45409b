import { HttpClient } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatDialog, MatDialogState } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { loadUpgradeDialog } from '../../../../app.config';
import { PLAN_LIMIT_DIALOG } from '../../../../core/http/plan-limit';
import { ProblemError } from '../../../../core/http/problem';
import { PROBLEM_HEADERS, setUpBilling } from '../../testing/billing-fixtures';
import { UpgradeDialog } from './upgrade-dialog';

/** Stands for the dialog (e.g. Invite member) whose request the plan refused. */
@Component({
  selector: 'pv-test-refused-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: '<p>Invite member</p>',
})
class RefusedFormDialog {}

const LIMIT = {
  type: 'https://promptvault.dev/problems/plan_limit_reached',
  title: 'Plan limit reached',
  status: 403,
  code: 'plan_limit_reached',
  detail: 'Server wording that may change',
  limit: 'prompts',
  plan: 'free',
  max: 100,
  current: 100,
  upgradeUrl: 'https://vault.example.com/billing',
};

function start(role: 'OWNER' | 'EDITOR') {
  const notify = vi.fn<(message: string) => void>();
  const backend = setUpBilling(role, { notify, assign: vi.fn() }, [
    { provide: PLAN_LIMIT_DIALOG, useValue: loadUpgradeDialog },
  ]);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
  const http = TestBed.inject(HttpClient);
  const create = (url: string) =>
    new Promise<unknown>((resolve) => http.post(url, {}).subscribe({ next: resolve, error: resolve }));
  const refuse = (url: string) =>
    backend.expectOne(url).flush(LIMIT, { status: 403, statusText: 'Forbidden', headers: PROBLEM_HEADERS });
  return { notify, navigate, create, refuse, dialog: TestBed.inject(MatDialog) };
}

async function openedDialog(dialog: MatDialog): Promise<HTMLElement> {
  await vi.waitFor(() => expect(queryAllByRole(document.body, 'dialog')).toHaveLength(1));
  await new Promise((resolve) => setTimeout(resolve));
  expect(dialog.openDialogs[0].componentInstance).toBeInstanceOf(UpgradeDialog);
  return getByRole(document.body, 'dialog');
}

describe('UpgradeDialog (every plan_limit_reached answer)', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('shows the OWNER one dialog naming the limit for two refused creations, and See plans goes to /billing', async () => {
    const { create, refuse, dialog, navigate, notify } = start('OWNER');
    const first = create('/api/v1/prompts');
    const second = create('/api/v1/prompts/bulk');
    refuse('/api/v1/prompts');
    refuse('/api/v1/prompts/bulk');
    expect(await first).toBeInstanceOf(ProblemError);
    expect(await second).toBeInstanceOf(ProblemError);

    const element = await openedDialog(dialog);
    expect(dialog.openDialogs).toHaveLength(1);
    expect(element.textContent).toContain('Plan limit reached');
    expect(element.textContent).toContain('Your organization has 100 of 100 prompts on the Free plan.');
    expect(element.textContent).not.toContain('Server wording');
    expect(notify).not.toHaveBeenCalled();

    // Opened over the dialog whose request was refused: See plans leaves both behind.
    const refusedForm = dialog.open(RefusedFormDialog);
    await vi.waitFor(() => expect(dialog.openDialogs).toHaveLength(2));
    getByRole(element, 'button', 'See plans').click();
    expect(navigate).toHaveBeenCalledWith('/billing');
    await vi.waitFor(() => expect(refusedForm.getState()).not.toBe(MatDialogState.OPEN));
    await vi.waitFor(() => expect(dialog.openDialogs).toHaveLength(0));
  });

  it('tells other roles to ask an owner, without an upgrade action', async () => {
    const { create, refuse, dialog } = start('EDITOR');
    const result = create('/api/v1/prompts');
    refuse('/api/v1/prompts');
    await result;
    const element = await openedDialog(dialog);
    expect(element.textContent).toContain('Ask an owner of your organization to upgrade the plan.');
    expect(queryAllByRole(element, 'button', 'See plans')).toHaveLength(0);
    // Members may still look at the plan, read-only.
    expect(getByRole(element, 'button', 'View plan')).toBeTruthy();
    getByRole(element, 'button', 'Close').click();
    await vi.waitFor(() => expect(dialog.openDialogs).toHaveLength(0));
  });
});
