import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me, MembershipRole } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { CatalogueModel, OrganizationPrice } from '../../data/model-prices.api';
import { ModelPriceDialog } from '../model-price-dialog/model-price-dialog';
import { ModelPricesSection } from './model-prices-section';

const me = (role: MembershipRole): Me => ({
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
});
const model = (id: string, name: string, input: number, output: number, own = false): CatalogueModel => ({
  provider: 'openai',
  id,
  name,
  contextWindow: 128000,
  inputPerMTokUsd: input,
  outputPerMTokUsd: output,
  pricesAsOf: '2025-10-15',
  priceSource: own ? 'organization' : 'catalogue',
});
// gpt-4o-mini has the organization's price (GET /models shows it), gpt-4o the list price.
const MODELS = [model('gpt-4o', 'GPT-4o', 2.5, 10), model('gpt-4o-mini', 'GPT-4o mini', 1, 2, true)];
const PRICES: OrganizationPrice[] = [
  {
    model: 'gpt-4o-mini',
    inputPerMTokUsd: 1,
    outputPerMTokUsd: 2,
    effectiveFrom: '2026-01-01T00:00:00Z',
    catalogue: { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
  },
  {
    model: 'llama3.1:8b',
    inputPerMTokUsd: 0.05,
    outputPerMTokUsd: 0.1,
    effectiveFrom: '2026-01-02T00:00:00Z',
    catalogue: null,
  },
];

async function render(
  role: MembershipRole,
  data: { models: CatalogueModel[]; prices: OrganizationPrice[] } | null,
) {
  const open = vi.fn(() => ({ afterClosed: () => of(true) }));
  TestBed.configureTestingModule({
    imports: [ModelPricesSection],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialog, useValue: { open } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(me(role));
  const fixture = TestBed.createComponent(ModelPricesSection);
  TestBed.tick();
  if (data) {
    backend.expectOne('/api/v1/models').flush(data.models);
    backend.expectOne('/api/v1/organizations/o1/model-prices').flush(data.prices);
  }
  await fixture.whenStable();
  return { fixture, backend, open, root: fixture.nativeElement as HTMLElement };
}

describe('ModelPricesSection', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads nothing for an EDITOR (prices are managed by OWNER and ADMIN)', async () => {
    const { backend } = await render('EDITOR', null);
    backend.expectNone('/api/v1/models');
    backend.expectNone('/api/v1/organizations/o1/model-prices');
  });

  it('lists catalogue models with the catalogue and the organization price, then models outside the catalogue', async () => {
    const { root } = await render('OWNER', { models: MODELS, prices: PRICES });
    const rows = queryAllByRole(getByRole(root, 'table', 'Model prices'), 'row');
    expect(rows).toHaveLength(4);
    expect(rows[1].textContent).toContain('GPT-4o');
    expect(rows[1].textContent).toContain('$2.50 / $10.00');
    expect(rows[1].textContent).toContain('Catalogue price');
    // The catalogue price of an overridden model comes from the override's `catalogue`.
    expect(rows[2].textContent).toContain('$0.15 / $0.60');
    expect(rows[2].textContent).toContain('$1.00 / $2.00');
    expect(rows[2].textContent).toContain('since');
    expect(rows[3].textContent).toContain('llama3.1:8b');
    expect(rows[3].textContent).toContain('Not in the catalogue');
    expect(rows[3].textContent).toContain('$0.05 / $0.10');
    // Reset only where the organization has a price of its own.
    expect(
      queryAllByRole(root, 'button', /^Reset the price of /).map((b) => b.getAttribute('aria-label')),
    ).toEqual(['Reset the price of GPT-4o mini', 'Reset the price of llama3.1:8b']);
  });

  it('opens the price dialog for a row, and for a model outside the catalogue', async () => {
    const { root, open } = await render('ADMIN', { models: MODELS, prices: [] });
    getByRole(root, 'button', 'Set the price of GPT-4o').click();
    expect(open).toHaveBeenCalledTimes(1);
    const [component, config] = open.mock.calls[0] as unknown as [
      unknown,
      { data: { row: { model: string } } },
    ];
    expect(component).toBe(ModelPriceDialog);
    expect(config.data.row).toMatchObject({
      model: 'gpt-4o',
      own: null,
      catalogue: { inputPerMTokUsd: 2.5 },
    });
    getByRole(root, 'button', /Price another model/).click();
    expect(
      (open.mock.calls[1] as unknown as [unknown, { data: { row?: unknown } }])[1].data.row,
    ).toBeUndefined();
  });

  it('resets a price to the catalogue after confirmation', async () => {
    const { root, fixture, backend } = await render('OWNER', { models: MODELS, prices: PRICES });
    getByRole(root, 'button', 'Reset the price of GPT-4o mini').click();
    const remove = backend.expectOne('/api/v1/organizations/o1/model-prices/gpt-4o-mini');
    expect(remove.request.method).toBe('DELETE');
    remove.flush(null, { status: 204, statusText: 'No Content' });
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    const row = queryAllByRole(root, 'row')[2];
    expect(row.textContent).toContain('$0.15 / $0.60');
    expect(row.textContent).toContain('Catalogue price');
    expect(queryAllByRole(root, 'button', 'Reset the price of GPT-4o mini')).toHaveLength(0);
  });

  it('reports a failed reset inline', async () => {
    const { root, fixture, backend } = await render('OWNER', { models: MODELS, prices: PRICES });
    getByRole(root, 'button', 'Reset the price of llama3.1:8b').click();
    backend
      .expectOne('/api/v1/organizations/o1/model-prices/llama3.1%3A8b')
      .flush(
        {
          type: 'about:blank',
          title: 'Not found',
          status: 404,
          code: 'not_found',
          detail: 'Model price was not found',
        },
        { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } },
      );
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain(
      'Could not reset the price of llama3.1:8b: The organization has no price of its own for this model any more.',
    );
  });
});
