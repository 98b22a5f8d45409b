import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, provideRouter, RouterStateSnapshot, UrlTree } from '@angular/router';
import { memoryStorage } from '../../../testing/test-helpers';
import { Role } from '../../core/api/api-types';
import { SessionStore } from '../../core/session/session.store';
import { STORAGE_KEYS } from '../../core/storage/browser-storage';
import { portalHomeGuard } from './portal.guards';

async function guardFor(role: Role): Promise<boolean | UrlTree> {
  TestBed.configureTestingModule({
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok' }).provider,
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
    ],
  });
  TestBed.inject(SessionStore).restore();
  TestBed.inject(HttpTestingController)
    .expectOne('/api/v1/me')
    .flush({
      id: 'u1',
      email: 'a@b.c',
      name: 'A',
      emailVerified: true,
      memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role }],
    });
  return (await TestBed.runInInjectionContext(() =>
    portalHomeGuard({} as ActivatedRouteSnapshot, {} as RouterStateSnapshot),
  )) as boolean | UrlTree;
}

describe('portalHomeGuard', () => {
  it('sends a VIEWER to the portal', async () => {
    expect(String(await guardFor('VIEWER'))).toBe('/portal');
  });

  it('lets every other role into the library', async () => {
    for (const role of ['OWNER', 'ADMIN', 'EDITOR'] as const) {
      TestBed.resetTestingModule();
      expect(await guardFor(role)).toBe(true);
    }
  });
});
