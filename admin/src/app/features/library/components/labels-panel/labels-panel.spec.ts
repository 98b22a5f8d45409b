import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { prompt, setUpLibrary } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { LabelMove } from '../../data/library.types';
import { PromptDetailStore } from '../../data/prompt-detail.store';
import { LabelsPanel } from './labels-panel';
import { PRODUCTION_DENIED, PromoteDialogData } from './promote-dialog';

const HISTORY: LabelMove[] = [
  {
    id: 'm2',
    label: 'production',
    fromVersion: 1,
    toVersion: 2,
    movedBy: 'u2',
    movedAt: '2026-02-01T00:00:00Z',
  },
  {
    id: 'm1',
    label: 'production',
    fromVersion: null,
    toVersion: 1,
    movedBy: 'u1',
    movedAt: '2026-01-01T00:00:00Z',
  },
];

/** The ordered list of moves (an `<ol>`, which the role helper does not know). */
function historyList(root: HTMLElement): HTMLElement {
  return root.querySelector<HTMLElement>('ol[aria-label="Label history"]')!;
}

function render(role: MembershipRole) {
  const bed = setUpLibrary(role);
  TestBed.inject(PromptDetailStore).prompt.set(prompt({ labels: { production: 2, staging: 3 } }));
  const fixture = TestBed.createComponent(LabelsPanel);
  TestBed.tick();
  bed.backend.expectOne('/api/v1/prompts/p1/labels/history').flush({ items: HISTORY, nextCursor: null });
  bed.backend
    .expectOne((r) => r.url === '/api/v1/prompts/p1/versions')
    .flush({
      items: [{ version: 3, title: 'Support reply', changedBy: 'u1', changeNote: null, createdAt: '' }],
      nextCursor: null,
    });
  TestBed.tick();
  return { ...bed, root: fixture.nativeElement as HTMLElement };
}

describe('LabelsPanel', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('lists each label with its version and every past move with who made it', () => {
    const { root } = render('VIEWER');
    const labels = queryAllByRole(getByRole(root, 'list', 'Labels'), 'listitem').map(
      (li) => `${li.querySelector('.name')!.textContent.trim()} ${li.querySelector('.version')!.textContent}`,
    );
    expect(labels).toEqual(['production v2', 'staging v3']);
    const history = historyList(root).textContent.replace(/\s+/g, ' ');
    expect(history).toContain('production moved from v1 to v2 by Bob');
    expect(history).toContain('production set to v1 by Ada');
  });

  it('lets a VIEWER look but not promote or move', () => {
    const { root } = render('VIEWER');
    expect(queryAllByRole(root, 'button', /Promote/)).toHaveLength(0);
    expect(queryAllByRole(root, 'button', /^Move/)).toHaveLength(0);
  });

  it('tells an EDITOR why production is out of reach while other labels move', () => {
    const { root } = render('EDITOR');
    expect(getByRole(root, 'note').textContent).toContain(PRODUCTION_DENIED);
    expect((getByRole(root, 'button', 'Move production') as HTMLButtonElement).disabled).toBe(true);
    expect((getByRole(root, 'button', 'Move staging') as HTMLButtonElement).disabled).toBe(false);
  });

  it('promotes through the dialog, then re-reads the prompt and the history', () => {
    const bed = render('OWNER');
    expect(queryAllByRole(bed.root, 'note')).toHaveLength(0);
    bed.dialog.answer = { label: 'production', version: 3 };
    getByRole(bed.root, 'button', 'Move production').click();

    const data = (bed.dialog.open.mock.calls[0] as unknown[])[1] as { data: PromoteDialogData };
    expect(data.data).toMatchObject({ label: 'production', canMoveProduction: true, version: 3 });
    const move = bed.backend.expectOne('/api/v1/prompts/p1/labels/production');
    expect(move.request.method).toBe('PUT');
    expect(move.request.body).toEqual({ version: 3 });
    move.flush({ label: 'production', version: 3, updatedBy: 'u1', updatedAt: '' });
    bed.backend.expectOne('/api/v1/prompts/p1').flush(prompt({ labels: { production: 3, staging: 3 } }));
    bed.backend.expectOne('/api/v1/prompts/p1/labels/history').flush({
      items: [
        { id: 'm3', label: 'production', fromVersion: 2, toVersion: 3, movedBy: 'u1', movedAt: '' },
        ...HISTORY,
      ],
      nextCursor: null,
    });
    TestBed.tick();

    expect(bed.snackBar.open).toHaveBeenCalledWith('production now points at version 3', 'Dismiss', {
      duration: 5000,
    });
    expect(getByRole(bed.root, 'list', 'Labels').textContent).toContain('v3');
    expect(historyList(bed.root).textContent).toContain('moved from v2 to');
  });

  it('moves nothing when the dialog is cancelled', () => {
    const bed = render('OWNER');
    bed.dialog.answer = undefined;
    getByRole(bed.root, 'button', /Promote/).click();
    bed.backend.expectNone('/api/v1/prompts/p1/labels/production');
  });
});
