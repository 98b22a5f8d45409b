import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { DomainException } from '../../common/errors/domain.exception';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
export const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** Metadata documents larger than this are refused (IdP descriptors are a few kilobytes). */
export const METADATA_MAX_BYTES = 1024 * 1024;
export const METADATA_FETCH_TIMEOUT_MS = 5000;

export interface IdpMetadata {
  entityId: string;
  /** The IdP's single sign-on endpoint for the HTTP-Redirect binding (where AuthnRequests go). */
  ssoUrl: string;
  /** PEM certificates the IdP signs with (more than one during a key rollover). */
  certificates: string[];
}

const invalid = (field: string, message: string) =>
  new DomainException('validation_failed', message, [{ field, message }]);

/**
 * Reads the entity id, the HTTP-Redirect SSO endpoint and the signing certificates from SAML 2.0
 * IdP metadata (an EntityDescriptor, or the first IdP inside an EntitiesDescriptor). Anything
 * unusable is a 400 naming `field`, never a crash.
 */
export function parseIdpMetadata(xml: string, field = 'metadataXml'): IdpMetadata {
  const problems: string[] = [];
  let doc: Document;
  try {
    doc = new DOMParser({
      errorHandler: {
        warning: () => undefined,
        error: (msg: string) => problems.push(msg),
        fatalError: (msg: string) => problems.push(msg),
      },
    }).parseFromString(xml, 'application/xml');
  } catch (err) {
    throw invalid(field, `${field} is not well-formed XML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (problems.length || !doc?.documentElement)
    throw invalid(field, `${field} is not well-formed XML: ${(problems[0] ?? 'empty').split('\n')[0]}`);

  const entities = Array.from(doc.getElementsByTagNameNS(MD, 'EntityDescriptor'));
  const entity = entities.find((e) => e.getElementsByTagNameNS(MD, 'IDPSSODescriptor').length > 0);
  if (!entity) throw invalid(field, `${field} has no SAML 2.0 EntityDescriptor with an IDPSSODescriptor`);
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId) throw invalid(field, `${field}: the EntityDescriptor has no entityID`);
  const idp = entity.getElementsByTagNameNS(MD, 'IDPSSODescriptor')[0];

  const sso = Array.from(idp.getElementsByTagNameNS(MD, 'SingleSignOnService')).find(
    (s) => s.getAttribute('Binding') === REDIRECT_BINDING,
  );
  const ssoUrl = sso?.getAttribute('Location')?.trim();
  if (!ssoUrl)
    throw invalid(field, `${field}: the IdP offers no SingleSignOnService with the HTTP-Redirect binding`);
  assertHttpUrl(ssoUrl, field, 'the SingleSignOnService Location');

  const certificates = Array.from(idp.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => c.textContent ?? '')
    .filter((c) => c.trim().length > 0)
    .map((c) => toPem(c, field));
  if (!certificates.length) throw invalid(field, `${field}: the IdP publishes no signing certificate`);
  return { entityId, ssoUrl, certificates: [...new Set(certificates)] };
}

/**
 * Accepts one or more PEM certificates, or a bare base64 DER certificate, and returns them as
 * normalized PEM blocks; anything that is not an X.509 certificate is a 400.
 */
export function parseCertificates(input: string, field = 'idpCertificate'): string[] {
  const blocks = input.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  const bodies = blocks ? blocks.map((b) => b.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')) : [input];
  const pems = bodies.map((b) => toPem(b, field));
  if (!pems.length) throw invalid(field, `${field} must be a PEM or base64 X.509 certificate`);
  return [...new Set(pems)];
}

export const joinCertificates = (pems: string[]) => pems.join('\n');

/** SHA-256 fingerprints, which identify certificates in audit records and the UI without the PEM. */
export const certificateFingerprints = (pems: string[]) =>
  pems.map((pem) => new X509Certificate(pem).fingerprint256);

function toPem(base64: string, field: string): string {
  const body = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body))
    throw invalid(field, `${field} must be a PEM or base64 X.509 certificate`);
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
  try {
    new X509Certificate(pem);
  } catch {
    throw invalid(field, `${field} is not a valid X.509 certificate`);
  }
  return pem;
}

export function assertHttpUrl(value: string, field: string, what = field): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, `${what} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(field, `${what} must be an absolute http(s) URL`);
  return url;
}

/**
 * Fetches IdP metadata from an http(s) URL with a timeout and a size limit; every failure is a
 * 400 on `metadataUrl` that says what went wrong (unreachable, status, too large, not metadata).
 */
export async function fetchIdpMetadata(
  rawUrl: string,
  fetchImpl: typeof fetch = fetch,
): Promise<IdpMetadata> {
  const field = 'metadataUrl';
  const url = assertHttpUrl(rawUrl, field);
  let res: Response;
  try {
    res = await fetchImpl(url, {
      signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS),
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
      redirect: 'follow',
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw invalid(field, `The metadata URL ${reason}`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw invalid(field, `The metadata URL answered HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > METADATA_MAX_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw invalid(field, `The metadata is larger than ${METADATA_MAX_BYTES} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  try {
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader!.read()) {
      size += chunk.value.byteLength;
      if (size > METADATA_MAX_BYTES) {
        await reader!.cancel().catch(() => undefined);
        throw invalid(field, `The metadata is larger than ${METADATA_MAX_BYTES} bytes`);
      }
      chunks.push(Buffer.from(chunk.value));
    }
  } catch (err) {
    if (err instanceof DomainException) throw err;
    throw invalid(field, 'The metadata download was interrupted');
  }
  return parseIdpMetadata(Buffer.concat(chunks).toString('utf8'), field);
}
