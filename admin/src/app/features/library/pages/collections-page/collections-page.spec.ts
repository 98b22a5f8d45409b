import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { problem, setUpLibrary } from '../../../../../testing/library-fixtures';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { Collection } from '../../data/library.types';
import { ExportDialog } from '../../../transfer/components/export-dialog/export-dialog';
import { CollectionsPage } from './collections-page';

const collection = (id: string, name: string, parentId: string | null = null): Collection => ({
  id,
  name,
  parentId,
  description: null,
  createdById: 'u1',
  promptCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const COLLECTIONS = [collection('c1', 'Marketing'), collection('c2', 'Ads', 'c1')];

function flushCollections(backend: HttpTestingController, items: Collection[] = COLLECTIONS): void {
  for (const request of backend.match((r) => r.url === '/api/v1/collections' && r.method === 'GET')) {
    request.flush({ items, nextCursor: null });
  }
}

function render() {
  const bed = setUpLibrary('EDITOR', [provideRouter([])]);
  const fixture = TestBed.createComponent(CollectionsPage);
  TestBed.tick();
  for (const url of ['/api/v1/tags', '/api/v1/categories']) {
    bed.backend.expectOne((r) => r.url === url).flush({ items: [], nextCursor: null });
  }
  bed.backend.expectOne('/api/v1/organizations/o1/members').flush([]);
  flushCollections(bed.backend);
  TestBed.tick();
  const root = fixture.nativeElement as HTMLElement;
  /** Opens the actions menu of a collection and picks an item. */
  const act = (name: string, item: string) => {
    getByRole(root, 'button', `Actions for ${name}`).click();
    TestBed.tick();
    getByRole(document.body, 'menuitem', item).click();
    TestBed.tick();
  };
  return { ...bed, root, act };
}

describe('CollectionsPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the collections as a tree', () => {
    const { root } = render();
    const items = queryAllByRole(root, 'treeitem');
    expect(
      items.map((i) => [i.getAttribute('aria-level'), i.querySelector('.name')!.textContent.trim()]),
    ).toEqual([
      ['1', 'Marketing'],
      ['2', 'Ads'],
    ]);
  });

  it('exports a collection through the export dialog', () => {
    const bed = render();
    bed.act('Ads', 'Export');
    const [component, options] = bed.dialog.open.mock.calls[0] as unknown as [unknown, { data: unknown }];
    expect(component).toBe(ExportDialog);
    expect(options.data).toEqual({ kind: 'collection', collectionId: 'c2', name: 'Ads' });
  });

  it('deletes an empty collection without asking and re-reads the tree', () => {
    const bed = render();
    bed.act('Ads', 'Delete');
    const del = bed.backend.expectOne((r) => r.url === '/api/v1/collections/c2');
    expect(del.request.method).toBe('DELETE');
    expect(del.request.params.has('cascade')).toBe(false);
    del.flush(null);
    flushCollections(bed.backend, [COLLECTIONS[0]]);
    TestBed.tick();
    expect(bed.dialog.open).not.toHaveBeenCalled();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Deleted Ads', 'Dismiss', { duration: 4000 });
    expect(queryAllByRole(bed.root, 'treeitem')).toHaveLength(1);
  });

  it('asks before deleting a collection that is not empty (collection_not_empty), then cascades', () => {
    const bed = render();
    bed.act('Marketing', 'Delete');
    const refused = problem(409, 'collection_not_empty', {
      detail: 'The collection contains 1 sub-collection(s)',
    });
    bed.backend.expectOne((r) => r.url === '/api/v1/collections/c1').flush(refused.body, refused.options);
    expect(bed.dialog.open).toHaveBeenCalledTimes(1);
    expect(bed.notify).not.toHaveBeenCalled();

    const cascade = bed.backend.expectOne((r) => r.url === '/api/v1/collections/c1');
    expect(cascade.request.params.get('cascade')).toBe('true');
    cascade.flush(null);
    flushCollections(bed.backend, []);
    TestBed.tick();
    expect(bed.snackBar.open).toHaveBeenCalledWith('Deleted Marketing', 'Dismiss', { duration: 4000 });
  });

  it('does not offer the cascade for any other refusal', () => {
    const bed = render();
    bed.act('Marketing', 'Delete');
    const refused = problem(403, 'forbidden', { detail: 'Only OWNER, ADMIN or the creator may delete it' });
    bed.backend.expectOne((r) => r.url === '/api/v1/collections/c1').flush(refused.body, refused.options);
    flushCollections(bed.backend);
    TestBed.tick();
    expect(bed.dialog.open).not.toHaveBeenCalled();
    expect(bed.snackBar.open).not.toHaveBeenCalled();
  });
});
