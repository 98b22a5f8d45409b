import { DomainException } from '../../common/errors/domain.exception';
import { generateSigningKeyPair } from '../../../test/support/saml-idp';
import { fetchIdpMetadata, parseCertificates, parseIdpMetadata } from './idp-metadata';

const { certificatePem } = generateSigningKeyPair('unit-idp');
const CERT = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const REDIRECT_SSO =
  '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainException);
    return (err as DomainException).errors?.[0];
  }
  throw new Error('expected a DomainException');
};

const metadata = (cert: string, extra = '') => `<?xml version="1.0"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <md:EntityDescriptor entityID="https://sp.example/other"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>
  <md:EntityDescriptor entityID="https://idp.example/realms/x">
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
        ${cert}
      </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/post"/>
      ${extra}
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>
</md:EntitiesDescriptor>`;

describe('IdP metadata', () => {
  it('reads the IdP inside an EntitiesDescriptor: entity id, redirect endpoint, signing certificate only', () => {
    const parsed = parseIdpMetadata(metadata(CERT, REDIRECT_SSO));
    expect(parsed).toEqual({
      entityId: 'https://idp.example/realms/x',
      ssoUrl: 'https://idp.example/sso',
      certificates: [certificatePem.trim()],
    });
  });

  it('needs an HTTP-Redirect SSO endpoint', () => {
    expect(fieldOf(() => parseIdpMetadata(metadata(CERT)))).toMatchObject({
      field: 'metadataXml',
      message: expect.stringMatching(/HTTP-Redirect/),
    });
  });

  it('refuses malformed XML and documents without an IdP', () => {
    expect(fieldOf(() => parseIdpMetadata('<md:Entity'))?.message).toMatch(/not well-formed/);
    expect(fieldOf(() => parseIdpMetadata('<a/>'))?.message).toMatch(/IDPSSODescriptor/);
  });

  it('refuses a signing certificate that is not X.509', () => {
    const xml = metadata('bm90IGEgY2VydGlmaWNhdGU=', REDIRECT_SSO);
    expect(fieldOf(() => parseIdpMetadata(xml, 'metadataUrl'))).toMatchObject({
      field: 'metadataUrl',
      message: expect.stringMatching(/not a valid X\.509/),
    });
  });

  it('normalizes PEM or bare base64 certificates, several at once', () => {
    expect(parseCertificates(CERT)).toEqual([certificatePem.trim()]);
    const other = generateSigningKeyPair('other').certificatePem;
    expect(parseCertificates(`${certificatePem}\n${other}`)).toHaveLength(2);
  });

  it('refuses non-certificates in idpCertificate', () => {
    expect(fieldOf(() => parseCertificates('hello world!'))).toMatchObject({ field: 'idpCertificate' });
  });

  it('fetches only http(s)', async () => {
    await expect(fetchIdpMetadata('file:///etc/passwd', { allowPrivate: true })).rejects.toMatchObject({
      errors: [{ field: 'metadataUrl', message: expect.stringMatching(/http/) }],
    });
  });

  it('refuses private addresses, literal or resolved, unless allowed', async () => {
    for (const url of [
      'http://127.0.0.1:1/md',
      'http://[::1]:1/md',
      'http://localhost:1/md',
      'http://169.254.169.254/latest',
    ]) {
      await expect(fetchIdpMetadata(url, { allowPrivate: false })).rejects.toMatchObject({
        errors: [{ field: 'metadataUrl', message: expect.stringMatching(/private address/) }],
      });
    }
    // Allowed, the same URL gets as far as connecting (nothing listens on port 1).
    await expect(fetchIdpMetadata('http://127.0.0.1:1/md', { allowPrivate: true })).rejects.toMatchObject({
      errors: [{ message: 'The metadata URL could not be reached' }],
    });
  });
});
