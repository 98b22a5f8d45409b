import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { DOMParser } from '@xmldom/xmldom';
import { AppException } from '../../common/errors/domain.exception';
import {
  guardedLookup,
  PRIVATE_ADDRESS_REFUSED,
  privateLiteralHost,
} from '../../common/security/outbound-address';

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
  new AppException('validation_failed', message, { errors: [{ field, message }] });

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

export interface FetchMetadataOptions {
  /** Allow loopback and private addresses (self-hosted IdPs on an internal network). */
  allowPrivate: boolean;
}

const MAX_REDIRECTS = 3;

/**
 * Fetches IdP metadata from an http(s) URL with a timeout, a size limit and at most three
 * redirects. Unless private networks are allowed, every address the name resolves to is checked
 * at connect time (so DNS rebinding cannot slip past). Every failure is a 400 on `metadataUrl`
 * that says what went wrong, never a crash.
 */
export async function fetchIdpMetadata(rawUrl: string, options: FetchMetadataOptions): Promise<IdpMetadata> {
  const field = 'metadataUrl';
  let url = assertHttpUrl(rawUrl, field);
  const deadline = Date.now() + METADATA_FETCH_TIMEOUT_MS;
  for (let hop = 0; ; hop++) {
    const answer = await get(url, deadline, options);
    if (answer.redirect) {
      if (hop >= MAX_REDIRECTS) throw invalid(field, 'The metadata URL redirects too often');
      url = assertHttpUrl(new URL(answer.redirect, url).toString(), field, 'The metadata URL redirect');
      continue;
    }
    return parseIdpMetadata(answer.body.toString('utf8'), field);
  }
}

function get(
  url: URL,
  deadline: number,
  { allowPrivate }: FetchMetadataOptions,
): Promise<{ redirect?: string; body: Buffer }> {
  const field = 'metadataUrl';
  const lookup = guardedLookup(allowPrivate);
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return reject(invalid(field, 'The metadata URL timed out'));
    const client = url.protocol === 'https:' ? https : http;
    const literal = allowPrivate ? undefined : privateLiteralHost(url);
    if (literal) return reject(privateRefusal(literal));
    const req = client.get(
      url,
      {
        lookup,
        timeout: remaining,
        headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolve({ redirect: res.headers.location, body: Buffer.alloc(0) });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(invalid(field, `The metadata URL answered HTTP ${status}`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > METADATA_MAX_BYTES) {
            req.destroy();
            reject(invalid(field, `The metadata is larger than ${METADATA_MAX_BYTES} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve({ body: Buffer.concat(chunks) }));
        res.on('error', () => reject(invalid(field, 'The metadata download was interrupted')));
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('timeout'), { code: 'PV_TIMEOUT' })),
      remaining,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'PV_TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === PRIVATE_ADDRESS_REFUSED) return reject(privateRefusal(err.message));
      if (err.code === 'PV_TIMEOUT') return reject(invalid(field, 'The metadata URL timed out'));
      reject(invalid(field, 'The metadata URL could not be reached'));
    });
  });
}

const privateRefusal = (address: string) =>
  invalid(
    'metadataUrl',
    `The metadata URL resolves to a private address (${address}); upload the metadata XML instead, or allow private addresses with SSO_METADATA_ALLOW_PRIVATE=true`,
  );
