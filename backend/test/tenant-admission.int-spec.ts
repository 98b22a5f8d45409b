import { RequestContext } from '../src/common/context/request-context';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { CheckPolicies, TenantScoped } from '../src/authz/decorators';
import { preparedQuery, TenantTransactions } from '../src/database/tenancy/tenant-transactions';
import { AuditService } from '../src/modules/audit/audit.service';
import { AuditModule } from '../src/modules/audit/audit.module';
import { addMember, auth, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

class AdmissionProbeDto {
  @IsString()
  marker: string;
}

/**
 * Tenant routes mounted only here: one open to every member, one that needs a role allowed to
 * edit prompts. Both write an audit row, so a handler that ran leaves a trace.
 */
@TenantScoped()
@Controller('test-admission')
class AdmissionProbeController {
  constructor(
    private readonly audit: AuditService,
    private readonly transactions: TenantTransactions,
    private readonly context: RequestContext,
  ) {}

  /** What the handler sees of its transaction and tenant. */
  @Get()
  async look() {
    const [row] = await this.transactions.manager.query<
      Array<{ role: string; org: string; uid: string; token: string | null; txid: string }>
    >(
      `SELECT current_user AS role, app_org_id() AS org, app_user_id() AS uid, app_token_hash() AS token,
              txid_current()::text AS txid`,
    );
    return { ...row, tenant: this.context.callerOrNull, actor: this.context.actor };
  }

  @Post()
  async member(@Body() dto: AdmissionProbeDto) {
    await this.audit.record({ action: 'admission.probe', target: { type: 'probe', id: dto.marker } });
    return { ok: true };
  }

  @Post('editors')
  @CheckPolicies((a) => a.can('update', 'Prompt'))
  async editors(@Body() dto: AdmissionProbeDto) {
    await this.audit.record({ action: 'admission.probe', target: { type: 'probe', id: dto.marker } });
    return { ok: true };
  }
}

describe('tenant admission: the caller is resolved inside the request transaction', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let viewer: SignedUpUser;
  let outsider: SignedUpUser;

  const traces = async (marker: string) =>
    (await t.owner.query(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [marker]))
      .rows[0].n as number;

  beforeAll(async () => {
    t = await bootTestApp({ imports: [AuditModule], controllers: [AdmissionProbeController] });
    owner = await signUp(t, 'Owner');
    viewer = await signUp(t, 'Viewer');
    outsider = await signUp(t, 'Outsider');
    await addMember(t, owner.organizationId, viewer.userId, 'VIEWER');
  });
  afterAll(() => t?.close());

  it('gives the handler the scope and role resolved for the caller', async () => {
    const res = await t
      .http()
      .get('/api/v1/test-admission')
      .set(auth(viewer, owner.organizationId))
      .expect(200);
    expect(res.body).toMatchObject({
      role: 'vault_app',
      org: owner.organizationId,
      uid: viewer.userId,
      token: null,
      tenant: { organizationId: owner.organizationId, userId: viewer.userId, role: 'VIEWER' },
      actor: { type: 'user', id: viewer.userId },
    });
  });

  it('refuses before validation and before the handler: 404 for outsiders, 403 by role, then 400', async () => {
    // An invalid body from someone who may not be here is answered as "not here", not "bad body".
    await t
      .http()
      .post('/api/v1/test-admission')
      .set(auth(outsider, owner.organizationId))
      .send({ marker: 42 })
      .expect(404);
    await t
      .http()
      .post('/api/v1/test-admission/editors')
      .set(auth(viewer, owner.organizationId))
      .send({ marker: 42 })
      .expect(403);
    await t
      .http()
      .post('/api/v1/test-admission/editors')
      .set(auth(viewer, owner.organizationId))
      .send({ marker: 'viewer-refused' })
      .expect(403);
    expect(await traces('viewer-refused')).toBe(0);
    await t.http().post('/api/v1/test-admission').set(auth(owner)).send({ marker: 42 }).expect(400);
    await t
      .http()
      .post('/api/v1/test-admission/editors')
      .set(auth(owner))
      .send({ marker: 'owner-ok' })
      .expect(201);
    expect(await traces('owner-ok')).toBe(1);
  });

  it('admits an API key in its own organization only, as the key, with its user role', async () => {
    const created = await t
      .http()
      .post(`/api/v1/organizations/${owner.organizationId}/api-keys`)
      .set(auth(viewer, owner.organizationId))
      .send({ name: 'admission' })
      .expect(201);
    const key = created.body.key as string;

    const seen = await t.http().get('/api/v1/test-admission').set('X-API-Key', key).expect(200);
    // The key's hash opened its row; the handler runs in the key's organization, not by the hash.
    expect(seen.body).toMatchObject({
      org: owner.organizationId,
      uid: viewer.userId,
      token: null,
      tenant: { role: 'VIEWER' },
      actor: { type: 'api_key', id: created.body.id },
    });
    await t
      .http()
      .post('/api/v1/test-admission/editors')
      .set('X-API-Key', key)
      .send({ marker: 'key-refused' })
      .expect(403);
    await t
      .http()
      .get('/api/v1/test-admission')
      .set('X-API-Key', key)
      .set('X-Organization-Id', outsider.organizationId)
      .expect(404);
    await t
      .http()
      .post('/api/v1/test-admission')
      .set('X-API-Key', key)
      .send({ marker: 'key-ok' })
      .expect(201);
    const audit = await t.owner.query(
      `SELECT actor_type, actor_id FROM audit_events WHERE target_id = 'key-ok'`,
    );
    expect(audit.rows).toEqual([{ actor_type: 'api_key', actor_id: created.body.id }]);
    const used = await t.owner.query(`SELECT last_used_at FROM api_keys WHERE id = $1`, [created.body.id]);
    expect(used.rows[0].last_used_at).toBeInstanceOf(Date);

    await t
      .http()
      .delete(`/api/v1/organizations/${owner.organizationId}/api-keys/${created.body.id}`)
      .set(auth(viewer, owner.organizationId))
      .expect(204);
    await t.http().get('/api/v1/test-admission').set('X-API-Key', key).expect(401);
  });

  it('runs prepared statements in the tenant transaction, under row-level security', async () => {
    const tx = t.app.get(TenantTransactions);
    const rows = await tx.run({ organizationId: owner.organizationId, userId: owner.userId }, async (em) => {
      const sql = `SELECT organization_id, role FROM memberships ORDER BY role`;
      const first = await preparedQuery<{ organization_id: string; role: string }>(em, sql, []);
      const again = await tx.prepared<{ organization_id: string; role: string }>(sql, []);
      expect(again).toEqual(first);
      return first;
    });
    // Only this organization's memberships (plus the caller's own elsewhere: none here).
    expect(rows).toEqual([
      { organization_id: owner.organizationId, role: 'OWNER' },
      { organization_id: owner.organizationId, role: 'VIEWER' },
    ]);
  });
});
