import { SamlStatusError } from '@node-saml/node-saml';
import { classify, safeReturnPath } from './saml.service';
import { mapRole, readIdentity } from './saml-identity';

describe('readIdentity', () => {
  const mapping = { email: 'mail', name: 'firstName lastName', role: 'groups' };

  it('reads e-mail (lower-cased), joined name and role values from attributes', () => {
    expect(
      readIdentity(
        {
          nameID: 'x',
          attributes: {
            mail: ' Ada@Example.COM ',
            firstName: 'Ada',
            lastName: 'Lovelace',
            groups: ['a', 'b'],
          },
        },
        mapping,
      ),
    ).toEqual({ email: 'ada@example.com', name: 'Ada Lovelace', roleValues: ['a', 'b'] });
  });

  it('falls back to an e-mail NameID and to the local part as name', () => {
    expect(readIdentity({ nameID: 'Bob@Example.com', attributes: {} }, mapping)).toEqual({
      email: 'bob@example.com',
      name: 'bob',
      roleValues: [],
    });
  });

  it('yields no e-mail when neither attribute nor NameID is an address', () => {
    expect(
      readIdentity({ nameID: 'opaque-id-123', attributes: { mail: 'not an address' } }, mapping).email,
    ).toBe('');
  });
});

describe('mapRole', () => {
  const settings = { roleMapping: { eng: 'EDITOR', it: 'ADMIN' } as const, defaultRole: 'VIEWER' as const };

  it('picks the strongest mapped role', () => {
    expect(mapRole(['eng', 'it'], settings)).toBe('ADMIN');
    expect(mapRole(['eng', 'other'], settings)).toBe('EDITOR');
  });

  it('uses the default role when nothing maps, ignoring inherited keys', () => {
    expect(mapRole([], settings)).toBe('VIEWER');
    expect(mapRole(['constructor', '__proto__', 'toString'], settings)).toBe('VIEWER');
  });
});

describe('safeReturnPath', () => {
  it.each([
    ['/library', '/library'],
    ['/prompts/1?tab=versions', '/prompts/1?tab=versions'],
    ['//evil.example', null],
    ['/\\evil.example', null],
    ['https://evil.example', null],
    ['library', null],
    ['/a\nb', null],
    [undefined, null],
  ])('%j → %j', (input, expected) => expect(safeReturnPath(input)).toBe(expected));
});

describe('classify', () => {
  it.each([
    ['SAML assertion expired: clocks skewed too much', 'expired'],
    ['SAML assertion not yet valid', 'expired'],
    ['SAML assertion audience mismatch. Expected: a Received: b', 'wrong_audience'],
    ['Invalid signature', 'invalid_signature'],
    ['Invalid document signature', 'invalid_signature'],
    ['Unknown SAML issuer', 'wrong_issuer'],
    ['Missing SAML assertion', 'invalid_response'],
  ])('%s → %s', (message, code) => expect(classify(new Error(message)).code).toBe(code));

  it('reports an IdP status error as idp_error', () => {
    expect(
      classify(new SamlStatusError('SAML provider returned Responder error: denied', '<Status/>')).code,
    ).toBe('idp_error');
  });
});
