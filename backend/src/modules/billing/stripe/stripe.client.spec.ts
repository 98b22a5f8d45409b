import { stripeClientOptions } from './stripe.client';

describe('stripeClientOptions', () => {
  it('splits STRIPE_API_BASE into the host, port and protocol the Stripe client takes', () => {
    expect(stripeClientOptions('https://api.stripe.com')).toMatchObject({
      host: 'api.stripe.com',
      port: 443,
      protocol: 'https',
    });
    expect(stripeClientOptions('http://127.0.0.1:12111')).toMatchObject({
      host: '127.0.0.1',
      port: '12111',
      protocol: 'http',
    });
    expect(stripeClientOptions('http://stripe-mock')).toMatchObject({
      host: 'stripe-mock',
      port: 80,
      protocol: 'http',
    });
  });
});
