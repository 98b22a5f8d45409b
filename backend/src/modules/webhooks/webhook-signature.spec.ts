import { Webhook } from 'standardwebhooks';
import { generateSecret, sign, signatureHeader } from './webhook-signature';

describe('webhook signatures', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
  });

  it('signs as the standardwebhooks library verifies, with every secret of an overlap', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const id = 'b2c6c6a4-6f0e-4a4e-9f55-3f1d7c0b2d11';
    const ts = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'prompt.created', timestamp: new Date().toISOString(), data: {} });
    const header = signatureHeader([newSecret, oldSecret], id, ts, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': header };
    for (const secret of [oldSecret, newSecret])
      expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    expect(() =>
      new Webhook(newSecret).verify(body.replace('created', 'updated'), {
        ...headers,
        'webhook-signature': sign(newSecret, id, ts, body),
      }),
    ).toThrow();
  });
});
