import { generateKeyPairSync, randomUUID, sign, X509Certificate } from 'node:crypto';
import * as validator from '@authenio/samlify-node-xmllint';
import * as samlify from 'samlify';

samlify.setSchemaValidator(validator);

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

// --- a tiny DER writer: just enough for a self-signed X.509 v3 certificate --------------------
const len = (n: number) => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
/** DER INTEGER of an unsigned big-endian value: minimal (no leading zero bytes), positive. */
const int = (value: Buffer) => {
  let v = value;
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
};
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
};
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const name = (cn: string) => seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn)))));
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));

export interface KeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

/** An RSA key pair and a self-signed certificate for it, made with node:crypto only. */
export function generateSigningKeyPair(cn = 'test-idp'): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    // A random serial starts with a zero byte now and then: `int` keeps it minimal, as DER requires
    // (OpenSSL refuses a padded INTEGER, and the whole certificate with it).
    int(Buffer.from(randomUUID().replace(/-/g, '').slice(0, 16), 'hex')),
    SHA256_RSA,
    name(cn),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 365 * 24 * 3600_000))),
    name(cn),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_RSA, tlv(0x03, Buffer.from([0]), signature));
  const certificatePem = new X509Certificate(der).toString();
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem };
}

export interface ResponseOptions {
  email: string;
  attributes?: Record<string, string | string[]>;
  /** Shift NotBefore/NotOnOrAfter/IssueInstant by this many ms (negative = in the past). */
  shiftMs?: number;
  audience?: string;
  issuer?: string;
  /** Remove every signature after signing. */
  stripSignatures?: boolean;
  /** Change the e-mail in the signed XML (breaks the signature). */
  tamperEmailTo?: string;
  /** Sign the Response only (not the Assertion). */
  signResponseOnly?: boolean;
  /** The AuthnRequest this answers (on the Response and in the assertion); none = unsolicited. */
  inResponseTo?: string;
  /** A different InResponseTo for the assertion's SubjectConfirmationData only. */
  assertionInResponseTo?: string;
}

const escape = (v: string) =>
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A real SAML IdP (samlify) with its own key pair, which signs fresh login responses for the SP
 * whose metadata it is given, with knobs to make them wrong in one specific way.
 */
export class TestIdp {
  readonly entityId: string;
  readonly ssoUrl: string;
  readonly keys: KeyPair;
  /** IdP metadata (EntityDescriptor) advertising this IdP's own certificate. */
  readonly metadata: string;
  private readonly idp: ReturnType<typeof samlify.IdentityProvider>;

  constructor(options: { entityId?: string; keys?: KeyPair; signWith?: KeyPair } = {}) {
    this.entityId = options.entityId ?? `https://idp-${randomUUID().slice(0, 8)}.example.test/metadata`;
    this.ssoUrl = this.entityId.replace(/\/metadata$/, '/sso');
    this.keys = options.keys ?? generateSigningKeyPair();
    const signer = options.signWith ?? this.keys;
    this.idp = samlify.IdentityProvider({
      entityID: this.entityId,
      signingCert: signer.certificatePem,
      privateKey: signer.privateKeyPem,
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [{ Binding: REDIRECT, Location: this.ssoUrl }],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${this.ssoUrl}/logout` }],
    });
    // Metadata advertises this IdP's own certificate even when it signs with another key.
    this.metadata = samlify
      .IdentityProvider({
        entityID: this.entityId,
        signingCert: this.keys.certificatePem,
        privateKey: this.keys.privateKeyPem,
        nameIDFormat: [EMAIL_FORMAT],
        singleSignOnService: [{ Binding: REDIRECT, Location: this.ssoUrl }],
        singleLogoutService: [{ Binding: REDIRECT, Location: `${this.ssoUrl}/logout` }],
      })
      .getMetadata();
  }

  /** A base64 SAMLResponse for the SP described by `spMetadataXml`. */
  async response(spMetadataXml: string, options: ResponseOptions): Promise<string> {
    const sp = samlify.ServiceProvider({
      metadata: options.signResponseOnly
        ? spMetadataXml.replace('WantAssertionsSigned="true"', 'WantAssertionsSigned="false"')
        : spMetadataXml,
    });
    const spEntityId = sp.entityMeta.getEntityID();
    const acs = sp.entityMeta.getAssertionConsumerService(samlify.Constants.wording.binding.post) as string;
    const shift = options.shiftMs ?? 0;
    const now = new Date(Date.now() + shift);
    const later = new Date(now.getTime() + 5 * 60_000).toISOString();
    const attributes = Object.entries({ email: options.email, ...(options.attributes ?? {}) })
      .map(
        ([n, v]) =>
          `<saml:Attribute Name="${escape(n)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(
            v,
          )
            ? v
            : [v]
          )
            .map((x) => `<saml:AttributeValue xsi:type="xs:string">${escape(x)}</saml:AttributeValue>`)
            .join('')}</saml:Attribute>`,
      )
      .join('');
    const values: Record<string, string> = {
      ID: `_${randomUUID()}`,
      AssertionID: `_${randomUUID()}`,
      Destination: acs,
      Audience: options.audience ?? spEntityId,
      SubjectRecipient: acs,
      Issuer: options.issuer ?? this.entityId,
      IssueInstant: now.toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: now.toISOString(),
      ConditionsNotOnOrAfter: later,
      SubjectConfirmationDataNotOnOrAfter: later,
      NameIDFormat: EMAIL_FORMAT,
      NameID: options.email,
      InResponseTo: '',
    };
    const raw = {
      AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_${randomUUID()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      AttributeStatement: `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`,
    };
    const { context } = await this.idp.createLoginResponse(
      sp,
      { extract: {} },
      'post',
      {},
      (template: string) => {
        // The template names InResponseTo on the Response first, then in SubjectConfirmationData.
        const answers = [options.inResponseTo, options.assertionInResponseTo ?? options.inResponseTo];
        let occurrence = 0;
        let xml = template.replace(/\s+InResponseTo="\{InResponseTo\}"/g, () => {
          const value = answers[occurrence++];
          return value ? ` InResponseTo="${escape(value)}"` : '';
        });
        for (const [tag, value] of Object.entries(values)) xml = xml.split(`{${tag}}`).join(escape(value));
        for (const [tag, value] of Object.entries(raw)) xml = xml.split(`{${tag}}`).join(value);
        return { id: values.ID, context: xml };
      },
    );
    let xml = Buffer.from(context, 'base64').toString('utf8');
    if (options.stripSignatures) xml = xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    if (options.tamperEmailTo) xml = xml.split(options.email).join(options.tamperEmailTo);
    return Buffer.from(xml).toString('base64');
  }
}
