import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { getByRole, memoryStorage, queryAllByRole } from '../../../../../testing/test-helpers';
import { Me } from '../../../../core/api/api-types';
import { authInterceptor } from '../../../../core/http/auth.interceptor';
import { ErrorNotifier } from '../../../../core/http/error-notifier';
import { problemInterceptor } from '../../../../core/http/problem.interceptor';
import { provideAppIcons } from '../../../../core/icons/app-icons';
import { SessionStore } from '../../../../core/session/session.store';
import { STORAGE_KEYS } from '../../../../core/storage/browser-storage';
import { SsoSettings } from '../../data/sso.api';
import { SsoSettingsPage } from './sso-settings-page';

const ME: Me = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  memberships: [{ organizationId: 'o1', organizationName: 'Acme', slug: 'acme', role: 'ADMIN' }],
};
const SP = {
  entityId: 'http://pv.test/api/v1/auth/saml/acme/metadata',
  acsUrl: 'http://pv.test/api/v1/auth/saml/acme/acs',
  metadataUrl: 'http://pv.test/api/v1/auth/saml/acme/metadata',
  loginUrl: 'http://pv.test/api/v1/auth/saml/acme/login',
};
const UNCONFIGURED: SsoSettings = {
  configured: false,
  enabled: false,
  idpEntityId: null,
  idpSsoUrl: null,
  idpCertificate: null,
  idpCertificateFingerprints: [],
  metadataUrl: null,
  attributeMapping: { email: 'email', name: 'name', role: null },
  roleMapping: {},
  defaultRole: 'VIEWER',
  ssoRequired: false,
  allowIdpInitiated: false,
  sp: SP,
};
const CONFIGURED: SsoSettings = {
  ...UNCONFIGURED,
  configured: true,
  enabled: true,
  idpEntityId: 'https://idp.example.com',
  idpSsoUrl: 'https://idp.example.com/sso',
  idpCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  idpCertificateFingerprints: ['AB:CD'],
  metadataUrl: 'https://idp.example.com/metadata',
  attributeMapping: { email: 'mail', name: 'displayName', role: 'groups' },
  roleMapping: { engineers: 'EDITOR' },
  defaultRole: 'VIEWER',
};

async function render(settings: SsoSettings) {
  TestBed.configureTestingModule({
    imports: [SsoSettingsPage],
    providers: [
      memoryStorage({ [STORAGE_KEYS.accessToken]: 'tok', [STORAGE_KEYS.organizationId]: 'o1' }).provider,
      provideHttpClient(withInterceptors([problemInterceptor, authInterceptor])),
      provideHttpClientTesting(),
      provideAppIcons(),
      { provide: ErrorNotifier, useValue: { notify: vi.fn() } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  TestBed.inject(SessionStore).restore();
  backend.expectOne('/api/v1/me').flush(ME);
  const fixture = TestBed.createComponent(SsoSettingsPage);
  TestBed.tick();
  backend.expectOne('/api/v1/organizations/o1/sso').flush(settings);
  await fixture.whenStable();
  return { fixture, backend, root: fixture.nativeElement as HTMLElement };
}

function field(root: HTMLElement, label: string): HTMLInputElement | HTMLTextAreaElement {
  const control = Array.from(root.querySelectorAll('mat-form-field'))
    .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
    ?.querySelector<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
  if (!control) throw new Error(`No field labelled ${label}`);
  return control;
}

describe('SsoSettingsPage', () => {
  it('shows the service provider values and the metadata download for the IdP admin', async () => {
    const { root } = await render(UNCONFIGURED);
    expect(root.textContent).toContain('Not configured');
    expect(field(root, 'SP entity ID').value).toBe(SP.entityId);
    expect(field(root, 'ACS URL').value).toBe(SP.acsUrl);
    expect(getByRole(root, 'link', 'Download SP metadata').getAttribute('href')).toBe(SP.metadataUrl);
    // Nothing to test before an IdP is configured.
    expect(queryAllByRole(root, 'link', 'Test connection')).toHaveLength(0);
  });

  it('refuses to save a first configuration without the IdP, before calling the API', async () => {
    const { root, fixture, backend } = await render(UNCONFIGURED);
    getByRole(root, 'button', 'Save SSO settings').click();
    await fixture.whenStable();
    expect(getByRole(root, 'alert').textContent).toContain('Upload or paste the metadata XML');
    backend.expectNone({ method: 'PUT' });
  });

  it('saves pasted metadata XML with the mapping, the default role and the policy', async () => {
    const { root, fixture, backend } = await render(UNCONFIGURED);
    const xml = field(root, 'IdP metadata XML');
    xml.value = '<EntityDescriptor/>';
    xml.dispatchEvent(new Event('input'));
    getByRole(root, 'button', 'Save SSO settings').click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/organizations/o1/sso' });
    expect(put.request.body).toEqual({
      metadataXml: '<EntityDescriptor/>',
      attributeMapping: { email: 'email', name: 'name' },
      roleMapping: {},
      defaultRole: 'VIEWER',
      ssoRequired: false,
      allowIdpInitiated: false,
      enabled: true,
    });
    put.flush({ ...CONFIGURED, metadataUrl: null });
    await fixture.whenStable();
    expect(root.textContent).toContain('Enabled');
    expect(getByRole(root, 'link', 'Test connection').getAttribute('href')).toBe(SP.loginUrl);
  });

  it('fills the form from a configuration and keeps its IdP when only the mapping changes', async () => {
    const { root, fixture, backend } = await render(CONFIGURED);
    expect(field(root, 'Metadata URL').value).toBe('https://idp.example.com/metadata');
    expect(field(root, 'IdP value').value).toBe('engineers');
    expect(root.textContent).toContain('AB:CD');
    const name = field(root, 'Name attribute');
    name.value = 'cn';
    name.dispatchEvent(new Event('input'));
    getByRole(root, 'button', 'Save SSO settings').click();
    const put = backend.expectOne({ method: 'PUT', url: '/api/v1/organizations/o1/sso' });
    expect(put.request.body).toMatchObject({
      metadataUrl: 'https://idp.example.com/metadata',
      attributeMapping: { email: 'mail', name: 'cn', role: 'groups' },
      roleMapping: { engineers: 'EDITOR' },
    });
    put.flush(CONFIGURED);
    await fixture.whenStable();
  });

  it('shows 400 field errors of the API under the field', async () => {
    const { root, fixture, backend } = await render(CONFIGURED);
    getByRole(root, 'button', 'Save SSO settings').click();
    backend.expectOne({ method: 'PUT', url: '/api/v1/organizations/o1/sso' }).flush(
      {
        title: 'Bad Request',
        status: 400,
        errors: [{ field: 'metadataUrl', message: 'metadataUrl could not be fetched' }],
      },
      { status: 400, statusText: 'Bad Request', headers: { 'Content-Type': 'application/problem+json' } },
    );
    await fixture.whenStable();
    expect(root.querySelector('mat-error')?.textContent).toContain(
      'Nothing could be fetched from this address',
    );
  });
});
