import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { getByRole, memoryStorage } from '../../../../../testing/test-helpers';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { ModelPriceRow, ModelPricesStore } from '../../data/model-prices.store';
import { ModelPriceDialog, ModelPriceDialogData } from './model-price-dialog';

const GPT4O: ModelPriceRow = {
  model: 'gpt-4o',
  name: 'GPT-4o',
  provider: 'openai',
  catalogue: { inputPerMTokUsd: 2.5, outputPerMTokUsd: 10 },
  own: null,
};

async function render(data: ModelPriceDialogData) {
  const ref = { close: vi.fn() };
  TestBed.configureTestingModule({
    imports: [ModelPriceDialog],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      ModelPricesStore,
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
      { provide: MatDialogRef, useValue: ref },
      { provide: MAT_DIALOG_DATA, useValue: data },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush({
    id: 'u1',
    email: 'ada@example.com',
    name: 'Ada',
    emailVerified: true,
    memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'ADMIN' }],
  });
  const fixture = TestBed.createComponent(ModelPriceDialog);
  TestBed.tick();
  // The store (shared with the section in the app) loads the catalogue and the prices.
  backend.expectOne('/api/v1/models').flush([]);
  backend.expectOne('/api/v1/organizations/o1/model-prices').flush([]);
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const input = (control: string) =>
    root.querySelector<HTMLInputElement>(`input[formcontrolname="${control}"]`);
  const type = (control: string, value: string) => {
    const el = input(control)!;
    el.value = value;
    el.dispatchEvent(new Event('input'));
  };
  return { root, fixture, backend, ref, input, type };
}

describe('ModelPriceDialog', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('starts from the catalogue price of a row and saves the organization price', async () => {
    const { root, fixture, backend, ref, input, type } = await render({ row: GPT4O });
    expect(getByRole(root, 'heading', 'Price of GPT-4o')).toBeTruthy();
    expect(root.textContent).toContain('Catalogue price: $2.5 input, $10 output per million tokens');
    expect(input('model')).toBeNull();
    expect(input('inputPerMTokUsd')!.value).toBe('2.5');
    expect(input('outputPerMTokUsd')!.value).toBe('10');
    type('inputPerMTokUsd', '1.75');
    getByRole(root, 'button', 'Save price').click();
    const put = backend.expectOne('/api/v1/organizations/o1/model-prices/gpt-4o');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ inputPerMTokUsd: 1.75, outputPerMTokUsd: 10 });
    const saved = {
      model: 'gpt-4o',
      inputPerMTokUsd: 1.75,
      outputPerMTokUsd: 10,
      effectiveFrom: '2026-01-01T00:00:00Z',
      catalogue: GPT4O.catalogue,
    };
    put.flush(saved);
    await fixture.whenStable();
    expect(ref.close).toHaveBeenCalledWith(saved);
  });

  it('asks for the id of a model outside the catalogue and refuses a bad one or a price out of range', async () => {
    const { root, fixture, backend, ref, type } = await render({});
    expect(getByRole(root, 'heading', 'Price of another model')).toBeTruthy();
    type('model', 'has space');
    type('inputPerMTokUsd', '-1');
    type('outputPerMTokUsd', '2000000');
    getByRole(root, 'button', 'Save price').click();
    fixture.detectChanges();
    backend.expectNone('/api/v1/organizations/o1/model-prices/has%20space');
    expect(root.textContent).toContain('Letters, digits and . _ : / @ - only');
    expect(root.textContent).toContain('From 0 to 1,000,000');
    expect(ref.close).not.toHaveBeenCalled();
  });

  it('saves a model outside the catalogue and shows a refused field under it', async () => {
    const { root, fixture, backend, ref, type } = await render({});
    type('model', 'meta/llama-3');
    type('inputPerMTokUsd', '0.5');
    type('outputPerMTokUsd', '1');
    getByRole(root, 'button', 'Save price').click();
    const put = backend.expectOne('/api/v1/organizations/o1/model-prices/meta%2Fllama-3');
    expect(put.request.body).toEqual({ inputPerMTokUsd: 0.5, outputPerMTokUsd: 1 });
    put.flush(
      {
        type: 'about:blank',
        title: 'Invalid input',
        status: 400,
        code: 'validation_failed',
        detail: 'Invalid input',
        errors: [{ field: 'outputPerMTokUsd', message: 'outputPerMTokUsd must not be greater than 1000000' }],
      },
      { status: 400, statusText: 'Bad Request', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await fixture.whenStable();
    fixture.detectChanges();
    // Under the output field (the console words the server's field message for people).
    const fields = root.querySelectorAll('mat-form-field');
    expect(fields[2].querySelector('mat-error')?.textContent).toContain('no greater than 1000000');
    expect(fields[1].querySelector('mat-error')).toBeNull();
    expect(ref.close).not.toHaveBeenCalled();
  });
});
