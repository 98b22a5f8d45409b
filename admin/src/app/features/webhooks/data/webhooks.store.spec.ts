import { HttpTestingController } from '@angular/common/http/testing';
import { ApplicationRef } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MembershipRole } from '../../../core/api/api-types';
import { WebhooksStore } from './webhooks.store';
import { delivery, ENDPOINT } from './webhooks-fixtures';
import { configureSignedIn } from '../../../../testing/signed-in-test-bed';

function setUp(role: MembershipRole) {
  const backend = configureSignedIn(role, { providers: [WebhooksStore] });
  const store = TestBed.inject(WebhooksStore);
  TestBed.tick();
  return { store, backend, stable: () => TestBed.inject(ApplicationRef).whenStable() };
}

describe('WebhooksStore', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('loads nothing for an EDITOR', () => {
    const { store, backend } = setUp('EDITOR');
    expect(store.canManage()).toBe(false);
    backend.expectNone('/api/v1/webhooks');
  });

  it('creates an endpoint and keeps its secret only in memory, to show once', async () => {
    const { store, backend, stable } = setUp('ADMIN');
    backend.expectOne('/api/v1/webhooks').flush([]);
    await stable();
    const creating = store.create({ url: ENDPOINT.url, events: ['prompt.created'] });
    const req = backend.expectOne('/api/v1/webhooks');
    expect(req.request.method).toBe('POST');
    expect(req.request.headers.get('X-Organization-Id')).toBe('o1');
    req.flush({ ...ENDPOINT, secret: 'whsec_abc' });
    await creating;
    expect(store.endpoints.value()).toEqual([ENDPOINT]);
    expect(store.revealed()).toEqual({
      webhookId: 'w1',
      url: ENDPOINT.url,
      secret: 'whsec_abc',
      reason: 'created',
    });
    expect(JSON.stringify(localStorage)).not.toContain('whsec_abc');
  });

  it('rotates, toggles and deletes', async () => {
    const { store, backend, stable } = setUp('OWNER');
    backend.expectOne('/api/v1/webhooks').flush([ENDPOINT]);
    await stable();
    const rotating = store.rotateSecret(ENDPOINT);
    backend.expectOne('/api/v1/webhooks/w1/rotate-secret').flush({ secret: 'whsec_new' });
    await rotating;
    expect(store.revealed()?.reason).toBe('rotated');

    const toggling = store.setEnabled(ENDPOINT, false);
    const patch = backend.expectOne('/api/v1/webhooks/w1');
    expect(patch.request.body).toEqual({ enabled: false });
    patch.flush({ ...ENDPOINT, enabled: false });
    await toggling;
    expect(store.endpoints.value()?.[0].enabled).toBe(false);

    const removing = store.remove(ENDPOINT);
    backend.expectOne('/api/v1/webhooks/w1').flush(null, { status: 204, statusText: 'No Content' });
    await removing;
    expect(store.endpoints.value()).toEqual([]);
    expect(store.revealed()).toBeNull();
  });

  it('pages through the delivery log and reloads it after a redelivery', async () => {
    const { store, backend, stable } = setUp('ADMIN');
    backend.expectOne('/api/v1/webhooks').flush([ENDPOINT]);
    await stable();
    store.select(ENDPOINT);
    TestBed.tick();
    backend
      .expectOne((r) => r.url === '/api/v1/webhooks/w1/deliveries' && !r.params.has('cursor'))
      .flush({ items: [delivery('d2')], nextCursor: 'c1' });
    await stable();
    expect(store.hasMore()).toBe(true);
    const more = store.loadMore();
    backend
      .expectOne((r) => r.url === '/api/v1/webhooks/w1/deliveries' && r.params.get('cursor') === 'c1')
      .flush({ items: [delivery('d1')], nextCursor: null });
    await more;
    expect(store.deliveries()?.map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(store.hasMore()).toBe(false);

    const again = store.redeliver(delivery('d1'));
    backend.expectOne('/api/v1/webhooks/w1/deliveries/d1/redeliver').flush({ deliveryId: 'd3' });
    await again;
    TestBed.tick();
    backend.expectOne('/api/v1/webhooks/w1/deliveries?limit=20').flush({
      items: [delivery('d3', { status: 'pending', redeliveryOf: 'd1' }), delivery('d2')],
      nextCursor: 'c1',
    });
    await stable();
    expect(store.deliveries()?.map((d) => d.id)).toEqual(['d3', 'd2']);
  });
});
