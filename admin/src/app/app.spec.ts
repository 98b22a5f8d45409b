import { BreakpointObserver } from '@angular/cdk/layout';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ComponentFixture,
  DeferBlockBehavior,
  DeferBlockState,
  TestBed,
} from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { fakeMediaMatcher, getByRole, memoryStorage, queryAllByRole } from '../testing/test-helpers';
import { App } from './app';
import { sessionDialogs } from './app.config';
import { authInterceptor } from './core/http/auth.interceptor';
import { provideAppIcons } from './core/icons/app-icons';
import { SessionStore } from './core/session/session.store';
import { STORAGE_KEYS } from './core/storage/browser-storage';
import { ChangePasswordDialog } from './features/auth/components/change-password-dialog/change-password-dialog';
import { CreateOrganizationDialog } from './features/organization/components/create-organization-dialog/create-organization-dialog';

async function render(stored: Record<string, string>) {
  TestBed.configureTestingModule({
    imports: [App],
    providers: [
      provideRouter([]),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      memoryStorage(stored).provider,
      fakeMediaMatcher(false),
      { provide: BreakpointObserver, useValue: { observe: () => of({ matches: false, breakpoints: {} }) } },
    ],
    deferBlockBehavior: DeferBlockBehavior.Manual,
  });
  // The search box is a @defer block, whose dependencies TestBed resolves here.
  await TestBed.compileComponents();
  const fixture = TestBed.createComponent(App);
  TestBed.inject(SessionStore).restore();
  await fixture.whenStable();
  return {
    fixture,
    root: fixture.nativeElement as HTMLElement,
    backend: TestBed.inject(HttpTestingController),
  };
}

/**
 * Renders every @defer block as it will be (the app's search box and budget banner, the shell's
 * navigation and session menus).
 */
async function renderDeferred(fixture: ComponentFixture<App>): Promise<void> {
  await fixture.whenStable();
  for (const block of await fixture.getDeferBlocks()) await block.render(DeferBlockState.Complete);
  await fixture.whenStable();
}

describe('App', () => {
  it('puts the search box into the toolbar for a signed-in user', async () => {
    const { fixture, root, backend } = await render({ [STORAGE_KEYS.accessToken]: 'tok' });
    backend
      .expectOne('/api/v1/me')
      .flush({ id: 'u1', email: 'ada@example.com', name: 'Ada', emailVerified: true, memberships: [] });
    await renderDeferred(fixture);
    const banner = getByRole(root, 'banner');
    expect(banner.querySelector('pv-search-box input[role="combobox"]')).not.toBeNull();
  });

  it('puts the budget banner above the page, not into the toolbar', async () => {
    const { fixture, root, backend } = await render({
      [STORAGE_KEYS.accessToken]: 'tok',
      [STORAGE_KEYS.organizationId]: 'o1',
    });
    backend.expectOne('/api/v1/me').flush({
      id: 'u1',
      email: 'ada@example.com',
      name: 'Ada',
      emailVerified: true,
      memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'OWNER' }],
    });
    await renderDeferred(fixture);
    backend
      .expectOne('/api/v1/budget')
      .flush({
        monthlyLimitUsd: 10,
        thresholds: [50],
        hardStop: false,
        monthlyReport: false,
        spentUsd: 6,
        percent: 60,
        crossed: [50],
      });
    await fixture.whenStable();
    fixture.detectChanges();
    const warning = getByRole(root, 'status', 'Budget warning');
    expect(warning.closest('main')).not.toBeNull();
    expect(warning.closest('[role="banner"]')).toBeNull();
  });

  it('shows no search box when signed out', async () => {
    const { fixture, root } = await render({});
    await renderDeferred(fixture);
    expect(queryAllByRole(getByRole(root, 'banner'), 'combobox')).toHaveLength(0);
  });

  it('gives the toolbar menus the feature dialogs they open', async () => {
    expect(await sessionDialogs.changePassword()).toBe(ChangePasswordDialog);
    expect(await sessionDialogs.createOrganization()).toBe(CreateOrganizationDialog);
  });
});
