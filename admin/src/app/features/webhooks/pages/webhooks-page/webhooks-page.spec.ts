import { Clipboard } from '@angular/cdk/clipboard';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { getByRole, queryAllByRole } from '../../../../../testing/test-helpers';
import { MembershipRole } from '../../../../core/api/api-types';
import { WebhookDialog } from '../../components/webhook-dialog/webhook-dialog';
import { WebhookEndpoint } from '../../data/webhooks.api';
import { WebhooksPage } from './webhooks-page';
import { delivery, ENDPOINT } from '../../data/webhooks-fixtures';
import { configureSignedIn } from '../../../../../testing/signed-in-test-bed';

const FAILING: WebhookEndpoint = {
  ...ENDPOINT,
  id: 'w2',
  url: 'https://down.example.com/pv',
  enabled: false,
  disabledReason: 'failing',
  failingSince: '2026-01-01T00:00:00Z',
};
const settle = async (fixture: { whenStable: () => Promise<unknown> }) => {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
};

async function render(role: MembershipRole, endpoints: WebhookEndpoint[] | null) {
  const open = vi.fn(() => ({ afterClosed: () => of(true) }));
  const copy = vi.fn(() => true);
  const backend = configureSignedIn(role, {
    imports: [WebhooksPage],
    providers: [
      { provide: MatDialog, useValue: { open } },
      { provide: Clipboard, useValue: { copy } },
    ],
  });
  const fixture = TestBed.createComponent(WebhooksPage);
  TestBed.tick();
  if (endpoints) backend.expectOne('/api/v1/webhooks').flush(endpoints);
  await fixture.whenStable();
  return { fixture, backend, open, copy, root: fixture.nativeElement as HTMLElement };
}

describe('WebhooksPage', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('tells an EDITOR the page is not for their role and loads nothing', async () => {
    const { root, backend } = await render('EDITOR', null);
    backend.expectNone('/api/v1/webhooks');
    expect(getByRole(root, 'heading', 'Not available for your role')).toBeTruthy();
    expect(queryAllByRole(root, 'button', /Add endpoint/)).toHaveLength(0);
  });

  it('lists endpoints with their status, and opens the add dialog', async () => {
    const { root, open } = await render('ADMIN', [ENDPOINT, FAILING]);
    const rows = queryAllByRole(getByRole(root, 'table', 'Webhook endpoints'), 'row');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toContain('https://hooks.example.com/pv');
    expect(rows[1].textContent).toContain('Active');
    expect(rows[2].textContent).toContain('Disabled after failing for 24 h');
    expect(
      (getByRole(root, 'button', 'Send a test event to https://down.example.com/pv') as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    getByRole(root, 'button', /Add endpoint/).click();
    expect((open.mock.calls[0] as unknown[])[0]).toBe(WebhookDialog);
  });

  it('shows a rotated secret once with a copy button, until dismissed', async () => {
    const { root, fixture, backend, copy } = await render('OWNER', [ENDPOINT]);
    getByRole(root, 'button', `Rotate the secret of ${ENDPOINT.url}`).click();
    backend.expectOne('/api/v1/webhooks/w1/rotate-secret').flush({ secret: 'whsec_rotated' });
    await settle(fixture);
    const region = getByRole(root, 'region', 'Signing secret');
    expect(region.textContent).toContain('whsec_rotated');
    expect(region.textContent).toContain('keeps signing for 24 hours');
    getByRole(region, 'button', 'Copy secret').click();
    expect(copy).toHaveBeenCalledWith('whsec_rotated');
    getByRole(region, 'button', 'I have stored it').click();
    await settle(fixture);
    expect(queryAllByRole(root, 'region', 'Signing secret')).toHaveLength(0);
  });

  it('sends a test event and shows the delivery log with redeliver', async () => {
    const { root, fixture, backend } = await render('ADMIN', [ENDPOINT]);
    getByRole(root, 'button', `Send a test event to ${ENDPOINT.url}`).click();
    backend.expectOne('/api/v1/webhooks/w1/test').flush({ deliveryId: 'd9' });
    // The log loads as soon as the test is queued (the page waits for it: not stable before).
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    backend.expectOne('/api/v1/webhooks/w1/deliveries?limit=20').flush({
      items: [
        delivery('d9', {
          type: 'webhook.test',
          status: 'pending',
          attempts: 2,
          responseStatus: 500,
          durationMs: 31,
          error: 'The endpoint answered 500',
          nextAttemptAt: '2026-01-01T00:01:00Z',
        }),
      ],
      nextCursor: null,
    });
    await settle(fixture);
    const log = getByRole(root, 'table', 'Deliveries');
    const row = queryAllByRole(log, 'row')[1];
    expect(row.textContent).toContain('webhook.test');
    expect(row.textContent).toContain('pending');
    expect(row.textContent).toContain('500');
    expect(row.textContent).toContain('31 ms');
    expect(row.textContent).toContain('The endpoint answered 500');
    getByRole(log, 'button', 'Redeliver webhook.test').click();
    backend.expectOne('/api/v1/webhooks/w1/deliveries/d9/redeliver').flush({ deliveryId: 'd10' });
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    backend.expectOne('/api/v1/webhooks/w1/deliveries?limit=20').flush({ items: [], nextCursor: null });
    await settle(fixture);
  });

  it('reports a refused action inline by its problem code', async () => {
    const { root, fixture, backend } = await render('ADMIN', [ENDPOINT]);
    getByRole(root, 'button', `Send a test event to ${ENDPOINT.url}`).click();
    backend
      .expectOne('/api/v1/webhooks/w1/test')
      .flush(
        { type: 'about:blank', title: 'Webhook endpoint is disabled', status: 409, code: 'webhook_disabled' },
        { status: 409, statusText: 'Conflict', headers: { 'Content-Type': 'application/problem+json' } },
      );
    await settle(fixture);
    expect(getByRole(root, 'alert').textContent).toContain('The endpoint is disabled. Enable it first.');
  });

  it('deletes an endpoint after confirmation', async () => {
    const { root, fixture, backend, open } = await render('ADMIN', [ENDPOINT]);
    getByRole(root, 'button', `Delete ${ENDPOINT.url}`).click();
    expect(open).toHaveBeenCalledTimes(1);
    const req = backend.expectOne('/api/v1/webhooks/w1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    expect(getByRole(root, 'heading', 'No webhook endpoints yet')).toBeTruthy();
  });
});
