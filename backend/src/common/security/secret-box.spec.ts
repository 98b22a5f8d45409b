import { randomBytes } from 'node:crypto';
import { masterKeyVersion, parseMasterKey, SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const org = '0b6d3c2e-6f3a-4f0e-9a51-1c0b3f1d2a11';

  it('round-trips a secret, with a fresh IV each time and no plaintext in the ciphertext', () => {
    const a = box.seal('sk-test-secret-value', org);
    const b = box.seal('sk-test-secret-value', org);
    expect(a.iv).toHaveLength(12);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('secret');
    expect(a.keyVersion).toBe(masterKeyVersion(key));
    expect(box.open(a, org)).toBe('sk-test-secret-value');
  });

  it('refuses another context, a changed ciphertext or tag, and an unknown key', () => {
    const sealed = box.seal('sk-abc', org);
    expect(() => box.open(sealed, 'another-org')).toThrow(SecretBoxError);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] ^= 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped }, org)).toThrow(SecretBoxError);
    expect(() => box.open({ ...sealed, authTag: randomBytes(16) }, org)).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, org)).toThrow(/master key version/);
  });

  it('opens secrets of a previous master key and seals under the current one', () => {
    const rotated = new SecretBox(randomBytes(32), [key]);
    const old = box.seal('sk-old', org);
    expect(rotated.knows(old.keyVersion)).toBe(true);
    expect(rotated.open(old, org)).toBe('sk-old');
    expect(rotated.seal('sk-new', org).keyVersion).toBe(rotated.version);
    expect(rotated.version).not.toBe(box.version);
  });

  it('parses 32-byte keys as base64, base64url or hex, and nothing else', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw.toString('base64'))?.equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('base64url'))?.equals(raw)).toBe(true);
    expect(parseMasterKey(raw.toString('hex'))?.equals(raw)).toBe(true);
    expect(parseMasterKey(randomBytes(16).toString('base64'))).toBeUndefined();
    expect(parseMasterKey('correct horse battery staple correct horse ba')).toBeUndefined();
  });
});
