import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { generateSigningKeyPair, TestIdp } from './support/saml-idp';
import { addMember, bootTestApp, signUp, SignedUpUser, TestApp } from './support/test-app';

/**
 * SAML SSO against a real IdP implementation (samlify) that signs fresh responses with a key pair
 * made in this test: settings CRUD, SP metadata, login redirect, ACS outcomes, JIT provisioning,
 * one-time code exchange and "SSO required".
 */
describe('SAML SSO', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let admin: SignedUpUser;
  let editor: SignedUpUser;
  let viewer: SignedUpUser;
  let stranger: SignedUpUser;
  let org: string;
  let slug: string;
  let idp: TestIdp;
  let spMetadata: string;
  let metadataServer: Server;
  let metadataBase: string;

  const as = (u: SignedUpUser) => ({ Authorization: `Bearer ${u.token}` });
  const sso = (id = org) => `/api/v1/organizations/${id}/sso`;
  const acs = (body: Record<string, string>, s = slug) =>
    t.http().post(`/api/v1/auth/saml/${s}/acs`).type('form').send(body);
  const location = (res: { headers: Record<string, string> }) => new URL(res.headers.location);
  const auditRows = async (action: string) =>
    (
      await t.owner.query(
        // Hash version 2 keeps the actor's e-mail in audit_event_personal (docs/compliance.md#gdpr).
        `SELECT coalesce(e.actor_email, p.actor_email) AS actor_email, e.target_id, e.changes
           FROM audit_events e LEFT JOIN audit_event_personal p ON p.event_id = e.id
          WHERE e.organization_id = $1 AND e.action = $2 ORDER BY e.seq`,
        [org, action],
      )
    ).rows as Array<{
      actor_email: string | null;
      target_id: string | null;
      changes: Record<string, unknown>;
    }>;
  const configure = (body: Record<string, unknown>, u = owner) => t.http().put(sso()).set(as(u)).send(body);
  let emailCounter = 0;
  const freshEmail = () => `sso-user-${Date.now()}-${++emailCounter}@corp.example.test`;

  beforeAll(async () => {
    // Many deliberate failures come from one address here; the throttle has its own test below.
    // Enterprise by default: these tests provision many members just in time; the plan's member
    // limit on provisioning is billing.int-spec's.
    t = await bootTestApp({ env: { LOGIN_MAX_FAILURES: '200', DEFAULT_PLAN: 'enterprise' } });
    [owner, admin, editor, viewer, stranger] = await Promise.all(
      ['Owner', 'Admin', 'Editor', 'Viewer', 'Stranger'].map((n) => signUp(t, n)),
    );
    org = owner.organizationId;
    await addMember(t, org, admin.userId, 'ADMIN');
    await addMember(t, org, editor.userId, 'EDITOR');
    await addMember(t, org, viewer.userId, 'VIEWER');
    slug = (await t.http().get(`/api/v1/organizations/${org}`).set(as(owner)).expect(200)).body.slug;
    idp = new TestIdp();
    spMetadata = (await t.http().get(`/api/v1/auth/saml/${slug}/metadata`).expect(200)).text;

    metadataServer = createServer((req, res) => {
      if (req.url === '/idp.xml') res.writeHead(200, { 'content-type': 'application/xml' }).end(idp.metadata);
      else if (req.url === '/moved.xml') res.writeHead(302, { location: '/idp.xml' }).end();
      else if (req.url === '/loop.xml') res.writeHead(302, { location: '/loop.xml' }).end();
      else if (req.url === '/huge.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(`<x>${'a'.repeat(1100 * 1024)}</x>`);
      } else if (req.url === '/slow.xml') setTimeout(() => res.end(idp.metadata), 8000).unref();
      else res.writeHead(500).end('boom');
    });
    await new Promise<void>((r) => metadataServer.listen(0, '127.0.0.1', r));
    metadataBase = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    metadataServer?.closeAllConnections();
    await new Promise((r) => metadataServer?.close(r));
    await t?.close();
  });

  describe('settings', () => {
    it('shows an unconfigured organization with the SP block, to OWNER and ADMIN only', async () => {
      const res = await t.http().get(sso()).set(as(admin)).expect(200);
      const base = `${t.config.publicUrl}/api/v1/auth/saml/${slug}`;
      expect(res.body).toEqual({
        configured: false,
        enabled: false,
        idpEntityId: null,
        idpSsoUrl: null,
        idpCertificate: null,
        idpCertificateFingerprints: [],
        metadataUrl: null,
        attributeMapping: { email: 'email', name: 'name', role: null },
        roleMapping: {},
        defaultRole: 'VIEWER',
        ssoRequired: false,
        allowIdpInitiated: false,
        sp: {
          entityId: `${base}/metadata`,
          acsUrl: `${base}/acs`,
          metadataUrl: `${base}/metadata`,
          loginUrl: `${base}/login`,
        },
      });
      await t.http().get(sso()).expect(401);
      await t.http().get(sso()).set(as(editor)).expect(403);
      await t.http().get(sso()).set(as(viewer)).expect(403);
      await t.http().get(sso()).set(as(stranger)).expect(404);
      await t.http().get('/api/v1/organizations/not-a-uuid/sso').set(as(owner)).expect(400);
      await configure({ metadataXml: idp.metadata }, editor).expect(403);
      await t.http().delete(sso()).set(as(viewer)).expect(403);
      await t
        .http()
        .put(sso(stranger.organizationId))
        .set(as(owner))
        .send({ metadataXml: idp.metadata })
        .expect(404);
    });

    it('refuses bad metadata, certificates and URLs with field errors', async () => {
      const fieldsOf = (body: { errors?: Array<{ field: string }> }) => body.errors?.map((e) => e.field);
      let res = await configure({ metadataXml: '<not-xml' }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['metadataXml']);
      res = await configure({
        metadataXml: '<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>',
      }).expect(400);
      expect(res.body.errors[0]).toMatchObject({
        field: 'metadataXml',
        message: expect.stringMatching(/IDPSSODescriptor/),
      });
      res = await configure({
        metadataXml: idp.metadata.replace(
          /<(\w+:)?X509Certificate>[^<]+</g,
          '<$1X509Certificate>bm90IGEgY2VydA==<',
        ),
      }).expect(400);
      expect(res.body.errors[0].message).toMatch(/not a valid X\.509 certificate/);
      res = await configure({
        idpEntityId: 'https://idp.example/x',
        idpSsoUrl: 'https://idp.example/sso',
        idpCertificate: 'garbage!',
      }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['idpCertificate']);
      res = await configure({
        idpEntityId: 'https://idp.example/x',
        idpSsoUrl: 'ftp://idp.example/sso',
        idpCertificate: idp.keys.certificatePem,
      }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['idpSsoUrl']);
      res = await configure({ idpEntityId: 'https://idp.example/x' }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['idpSsoUrl', 'idpCertificate']);
      res = await configure({ metadataXml: idp.metadata, metadataUrl: `${metadataBase}/idp.xml` }).expect(
        400,
      );
      expect(fieldsOf(res.body)).toEqual(['metadataXml', 'metadataUrl']);
      res = await configure({ metadataUrl: 'file:///etc/passwd' }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['metadataUrl']);
      res = await configure({ metadataUrl: `${metadataBase}/missing.xml` }).expect(400);
      expect(res.body.errors[0].message).toMatch(/HTTP 500/);
      res = await configure({ metadataUrl: `${metadataBase}/loop.xml` }).expect(400);
      expect(res.body.errors[0].message).toMatch(/redirects too often/);
      res = await configure({ metadataUrl: `${metadataBase}/huge.xml` }).expect(400);
      expect(res.body.errors[0].message).toMatch(/larger than/);
      res = await configure({ metadataUrl: `${metadataBase}/slow.xml` }).expect(400);
      expect(res.body.errors[0].message).toMatch(/timed out/);
      res = await configure({ metadataXml: idp.metadata, defaultRole: 'OWNER' }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['defaultRole']);
      res = await configure({ metadataXml: idp.metadata, roleMapping: { eng: 'CHIEF' } }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['roleMapping.eng']);
      await configure({ metadataXml: idp.metadata, attributeMapping: { email: '' } }).expect(400);
      await configure({ metadataXml: idp.metadata, unknown: 1 }).expect(400);
      const { rows } = await t.owner.query(`SELECT count(*)::int AS n FROM sso_settings`);
      expect(rows[0].n).toBe(0);
    }, 60_000);

    it('configures from a metadata URL, updates, and removes, with audit events', async () => {
      let res = await configure({ metadataUrl: `${metadataBase}/moved.xml` }, admin).expect(200);
      expect(res.body).toMatchObject({ idpEntityId: idp.entityId, metadataUrl: `${metadataBase}/moved.xml` });
      res = await configure({ metadataUrl: `${metadataBase}/idp.xml` }, admin).expect(200);
      expect(res.body).toMatchObject({
        configured: true,
        enabled: true,
        idpEntityId: idp.entityId,
        idpSsoUrl: idp.ssoUrl,
        metadataUrl: `${metadataBase}/idp.xml`,
        defaultRole: 'VIEWER',
        ssoRequired: false,
      });
      expect(res.body.idpCertificate).toContain('BEGIN CERTIFICATE');
      expect(res.body.idpCertificateFingerprints).toHaveLength(1);

      // Only an OWNER may make SSO grant OWNER; an ADMIN may keep such a mapping unchanged.
      await configure({ roleMapping: { founders: 'OWNER' } }, admin).expect(403);
      res = await configure({
        roleMapping: { founders: 'OWNER', eng: 'EDITOR' },
        defaultRole: 'EDITOR',
      }).expect(200);
      expect(res.body.roleMapping).toEqual({ founders: 'OWNER', eng: 'EDITOR' });
      res = await configure({ roleMapping: { founders: 'OWNER', eng: 'ADMIN' } }, admin).expect(200);
      expect(res.body).toMatchObject({
        roleMapping: { founders: 'OWNER', eng: 'ADMIN' },
        defaultRole: 'EDITOR',
        metadataUrl: `${metadataBase}/idp.xml`,
      });

      const rotated = generateSigningKeyPair('rotated');
      res = await configure({
        idpCertificate: `${idp.keys.certificatePem}\n${rotated.certificatePem}`,
      }).expect(200);
      expect(res.body.idpCertificateFingerprints).toHaveLength(2);
      expect(res.body.metadataUrl).toBeNull();

      const { rows } = await t.owner.query(`SELECT * FROM sso_settings WHERE organization_id = $1`, [org]);
      expect(rows[0]).toMatchObject({
        idp_entity_id: idp.entityId,
        default_role: 'EDITOR',
        updated_by: owner.userId,
      });
      const audits = await auditRows('sso.configured');
      expect(audits).toHaveLength(5);
      expect(audits[0].changes).toMatchObject({ created: true, idpEntityId: idp.entityId });
      expect(JSON.stringify(audits)).not.toContain('BEGIN CERTIFICATE');

      await t.http().delete(sso()).set(as(admin)).expect(204);
      await t.http().delete(sso()).set(as(admin)).expect(404);
      await t.http().delete(sso()).expect(401);
      expect(await auditRows('sso.removed')).toHaveLength(1);
      expect((await t.http().get(sso()).set(as(owner)).expect(200)).body.configured).toBe(false);
    });
  });

  describe('service provider endpoints', () => {
    it('serves SP metadata naming the entity id, the ACS and signed assertions', async () => {
      const res = await t.http().get(`/api/v1/auth/saml/${slug}/metadata`).expect(200);
      expect(res.headers['content-type']).toMatch(/application\/samlmetadata\+xml/);
      const base = `${t.config.publicUrl}/api/v1/auth/saml/${slug}`;
      expect(res.text).toContain(`entityID="${base}/metadata"`);
      expect(res.text).toMatch(new RegExp(`AssertionConsumerService[^>]+Location="${base}/acs"`));
      expect(res.text).toMatch(/Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/);
      expect(res.text).toContain('WantAssertionsSigned="true"');
      await t.http().get('/api/v1/auth/saml/no-such-org-here/metadata').expect(404);
      await t.http().get('/api/v1/auth/saml/Bad%20Slug/metadata').expect(404);
    });

    it('sends the browser back with not_configured or disabled when SSO cannot start', async () => {
      let res = await t.http().get(`/api/v1/auth/saml/${slug}/login`).expect(302);
      expect(res.headers.location).toBe(`${t.config.publicUrl}/sign-in?ssoError=not_configured`);
      res = await t.http().get('/api/v1/auth/saml/no-such-org-here/login').expect(302);
      expect(res.headers.location).toBe(`${t.config.publicUrl}/sign-in?ssoError=not_configured`);
      await configure({ metadataXml: idp.metadata, enabled: false }).expect(200);
      res = await t.http().get(`/api/v1/auth/saml/${slug}/login`).expect(302);
      expect(res.headers.location).toBe(`${t.config.publicUrl}/sign-in?ssoError=disabled`);
      const response = await idp.response(spMetadata, { email: freshEmail() });
      res = await acs({ SAMLResponse: response }).expect(303);
      expect(res.headers.location).toBe(`${t.config.publicUrl}/sign-in?ssoError=disabled`);
      const failed = await auditRows('auth.login_failed');
      expect(failed.at(-1)?.changes).toMatchObject({ method: 'sso', reason: 'disabled' });
    });

    it('redirects to the IdP with an AuthnRequest for this SP and a safe RelayState', async () => {
      await configure({ metadataXml: idp.metadata, enabled: true }).expect(200);
      const res = await t.http().get(`/api/v1/auth/saml/${slug}/login?returnTo=/library`).expect(302);
      const url = location(res);
      expect(`${url.origin}${url.pathname}`).toBe(idp.ssoUrl);
      expect(url.searchParams.get('RelayState')).toBe('/library');
      const request = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
      const base = `${t.config.publicUrl}/api/v1/auth/saml/${slug}`;
      expect(request).toContain(`AssertionConsumerServiceURL="${base}/acs"`);
      expect(request).toContain(
        `<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${base}/metadata</saml:Issuer>`,
      );
      expect(request).toContain(`Destination="${idp.ssoUrl}"`);
      const offsite = await t
        .http()
        .get(`/api/v1/auth/saml/${slug}/login?returnTo=//evil.example/x`)
        .expect(302);
      expect(location(offsite).searchParams.get('RelayState')).toBeNull();
    });
  });

  describe('assertion consumer service', () => {
    beforeAll(async () => {
      await configure({
        metadataXml: idp.metadata,
        enabled: true,
        attributeMapping: { email: 'email', name: 'givenName sn', role: 'groups' },
        roleMapping: { engineering: 'EDITOR', it: 'ADMIN' },
        defaultRole: 'VIEWER',
        // The IdP here answers no request of ours; SP-initiated sign-in has its own tests below.
        allowIdpInitiated: true,
      }).expect(200);
    });

    const failureOf = (res: { headers: Record<string, string> }) => {
      const url = location(res);
      expect(`${url.origin}${url.pathname}`).toBe(`${t.config.publicUrl}/sign-in`);
      return url.searchParams.get('ssoError');
    };
    const lastFailure = async () => (await auditRows('auth.login_failed')).at(-1)?.changes;

    it('signs a new user in: provisioned just in time with the mapped role, code exchanged once', async () => {
      const email = freshEmail();
      const SAMLResponse = await idp.response(spMetadata, {
        email: email.toUpperCase(),
        attributes: { givenName: 'Grace', sn: 'Hopper', groups: ['staff', 'engineering'] },
      });
      const res = await acs({ SAMLResponse, RelayState: '/library' }).expect(303);
      const url = location(res);
      expect(`${url.origin}${url.pathname}`).toBe(`${t.config.publicUrl}/sso/callback`);
      expect(url.searchParams.get('returnTo')).toBe('/library');
      const code = url.searchParams.get('code')!;
      expect(code).toMatch(/^[A-Za-z0-9_-]{40,}$/);

      const { rows: codes } = await t.owner.query(
        `SELECT code_hash, expires_at FROM sso_login_codes WHERE organization_id = $1`,
        [org],
      );
      expect(codes[0].code_hash).not.toContain(code);
      expect(new Date(codes[0].expires_at).getTime() - Date.now()).toBeLessThanOrEqual(60_000);

      const tokens = await t.http().post('/api/v1/auth/saml/exchange').send({ code }).expect(200);
      expect(tokens.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: t.config.jwtAccessTtlSeconds,
        organizationId: org,
      });
      await t.http().post('/api/v1/auth/saml/exchange').send({ code }).expect(401);
      const me = await t
        .http()
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${tokens.body.accessToken}` })
        .expect(200);
      expect(me.body).toMatchObject({
        email,
        name: 'Grace Hopper',
        emailVerified: true,
        memberships: [{ organizationId: org, role: 'EDITOR' }],
      });
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: tokens.body.refreshToken })
        .expect(200);

      const { rows: users } = await t.owner.query(
        `SELECT id, password_hash, email_verified_at FROM users WHERE email = $1`,
        [email],
      );
      expect(users[0].password_hash).toBeNull();
      expect(users[0].email_verified_at).not.toBeNull();
      expect((await auditRows('member.joined')).at(-1)).toMatchObject({
        actor_email: email,
        changes: { role: 'EDITOR', via: 'sso' },
      });
      expect((await auditRows('auth.login')).at(-1)).toMatchObject({
        actor_email: email,
        target_id: users[0].id,
        changes: { method: 'sso' },
      });
    });

    it('gives the default role when no IdP value maps, and the e-mail local part as name', async () => {
      const email = freshEmail();
      const res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email, attributes: { groups: 'sales' } }),
      }).expect(303);
      const code = location(res).searchParams.get('code')!;
      const tokens = await t.http().post('/api/v1/auth/saml/exchange').send({ code }).expect(200);
      const me = await t
        .http()
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${tokens.body.accessToken}` })
        .expect(200);
      expect(me.body).toMatchObject({ name: email.split('@')[0], memberships: [{ role: 'VIEWER' }] });
    });

    it('accepts a response whose only signature is on the Response', async () => {
      const res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), signResponseOnly: true }),
      }).expect(303);
      expect(location(res).pathname).toBe('/sso/callback');
    });

    it('signs an existing member in without changing their role', async () => {
      const res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: viewer.email, attributes: { groups: 'it' } }),
      }).expect(303);
      const tokens = await t
        .http()
        .post('/api/v1/auth/saml/exchange')
        .send({ code: location(res).searchParams.get('code') })
        .expect(200);
      const me = await t
        .http()
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${tokens.body.accessToken}` })
        .expect(200);
      expect(me.body.id).toBe(viewer.userId);
      expect(me.body.memberships.find((m: { organizationId: string }) => m.organizationId === org).role).toBe(
        'VIEWER',
      );
    });

    it('refuses an account that exists but never joined this organization', async () => {
      const res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: stranger.email }),
      }).expect(303);
      expect(failureOf(res)).toBe('account_exists');
      const { rows } = await t.owner.query(
        `SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2`,
        [org, stranger.userId],
      );
      expect(rows).toHaveLength(0);
      expect(await lastFailure()).toMatchObject({ method: 'sso', reason: 'account_exists' });
    });

    it("provisions no member past the plan's member limit", async () => {
      const n = async (sql: string, params: unknown[]) =>
        Number((await t.owner.query(sql, params)).rows[0].n);
      const members = await n(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1`, [org]);
      // Room for exactly the members there are: Enterprise with a custom limit.
      await t.owner.query(
        `INSERT INTO organization_billing (organization_id, custom_limits) VALUES ($1, $2)
         ON CONFLICT (organization_id) DO UPDATE SET custom_limits = EXCLUDED.custom_limits`,
        [org, JSON.stringify({ members })],
      );
      try {
        const email = freshEmail();
        const res = await acs({ SAMLResponse: await idp.response(spMetadata, { email }) }).expect(303);
        expect(failureOf(res)).toBe('plan_limit_reached');
        expect(await lastFailure()).toMatchObject({ method: 'sso', reason: 'plan_limit_reached' });
        expect(await n(`SELECT count(*) AS n FROM users WHERE lower(email) = lower($1)`, [email])).toBe(0);
        expect(await n(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1`, [org])).toBe(
          members,
        );
      } finally {
        await t.owner.query(
          `UPDATE organization_billing SET custom_limits = NULL WHERE organization_id = $1`,
          [org],
        );
      }
    });

    it("provisions no member outside the organization's allowed e-mail domains; members still sign in", async () => {
      await t.owner.query(
        `INSERT INTO organization_settings (organization_id, allowed_email_domains) VALUES ($1, $2)
         ON CONFLICT (organization_id) DO UPDATE SET allowed_email_domains = EXCLUDED.allowed_email_domains`,
        [org, ['allowed.example.test']],
      );
      try {
        const outside = freshEmail();
        const refused = await acs({
          SAMLResponse: await idp.response(spMetadata, { email: outside }),
        }).expect(303);
        expect(failureOf(refused)).toBe('domain_not_allowed');
        expect(await lastFailure()).toMatchObject({ method: 'sso', reason: 'domain_not_allowed' });
        const { rows } = await t.owner.query(`SELECT 1 FROM users WHERE lower(email) = lower($1)`, [outside]);
        expect(rows).toHaveLength(0);

        const inside = `jit-${Date.now()}@allowed.example.test`;
        const ok = await acs({ SAMLResponse: await idp.response(spMetadata, { email: inside }) }).expect(303);
        expect(ok.headers.location).toContain('/sso/callback?code=');
      } finally {
        await t.owner.query(
          `UPDATE organization_settings SET allowed_email_domains = '{}' WHERE organization_id = $1`,
          [org],
        );
      }
    });

    it('refuses a response signed by another key', async () => {
      const impostor = new TestIdp({
        entityId: idp.entityId,
        keys: idp.keys,
        signWith: generateSigningKeyPair('impostor'),
      });
      const email = freshEmail();
      const res = await acs({ SAMLResponse: await impostor.response(spMetadata, { email }) }).expect(303);
      expect(failureOf(res)).toBe('invalid_signature');
      expect(await lastFailure()).toMatchObject({ method: 'sso', reason: 'invalid_signature' });
      const { rows } = await t.owner.query(`SELECT 1 FROM users WHERE email = $1`, [email]);
      expect(rows).toHaveLength(0);
    });

    it('refuses an unsigned response and a tampered one', async () => {
      let res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), stripSignatures: true }),
      }).expect(303);
      expect(failureOf(res)).toBe('invalid_signature');
      res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), tamperEmailTo: owner.email }),
      }).expect(303);
      expect(failureOf(res)).toBe('invalid_signature');
    });

    it('refuses an expired response and one not yet valid, beyond the clock skew', async () => {
      let res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), shiftMs: -60 * 60_000 }),
      }).expect(303);
      expect(failureOf(res)).toBe('expired');
      expect(await lastFailure()).toMatchObject({ reason: 'expired' });
      res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), shiftMs: 10 * 60_000 }),
      }).expect(303);
      expect(failureOf(res)).toBe('expired');
      // Within the bounded skew (one minute early) the response is fine.
      res = await acs({
        SAMLResponse: await idp.response(spMetadata, { email: freshEmail(), shiftMs: 60_000 }),
      }).expect(303);
      expect(location(res).pathname).toBe('/sso/callback');
    });

    it('refuses a replayed assertion', async () => {
      const SAMLResponse = await idp.response(spMetadata, { email: freshEmail() });
      await acs({ SAMLResponse }).expect(303);
      const res = await acs({ SAMLResponse }).expect(303);
      expect(failureOf(res)).toBe('replayed');
      expect(await lastFailure()).toMatchObject({ reason: 'replayed' });
      const { rows } = await t.owner.query(
        `SELECT expires_at FROM sso_assertions WHERE organization_id = $1`,
        [org],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r: { expires_at: Date }) => new Date(r.expires_at).getTime() > Date.now())).toBe(
        true,
      );
    });

    it('refuses a response for another audience or from another issuer', async () => {
      let res = await acs({
        SAMLResponse: await idp.response(spMetadata, {
          email: freshEmail(),
          audience: 'https://other-sp.example/metadata',
        }),
      }).expect(303);
      expect(failureOf(res)).toBe('wrong_audience');
      res = await acs({
        SAMLResponse: await idp.response(spMetadata, {
          email: freshEmail(),
          issuer: 'https://evil.example/idp',
        }),
      }).expect(303);
      expect(failureOf(res)).toBe('wrong_issuer');
      // An assertion addressed to another organization's SP is refused here as well.
      const otherSp = spMetadata.split(`/saml/${slug}/`).join('/saml/other-org/');
      res = await acs({ SAMLResponse: await idp.response(otherSp, { email: freshEmail() }) }).expect(303);
      expect(failureOf(res)).toBe('wrong_audience');
    });

    it('turns garbage into invalid_response, never a 500', async () => {
      let res = await acs({ SAMLResponse: 'bm90IHhtbA==' }).expect(303);
      expect(failureOf(res)).toBe('invalid_response');
      res = await acs({}).expect(303);
      expect(failureOf(res)).toBe('invalid_response');
      res = await t.http().post(`/api/v1/auth/saml/${slug}/acs`).send({ SAMLResponse: 42 }).expect(303);
      expect(failureOf(res)).toBe('invalid_response');
      res = await acs(
        { SAMLResponse: await idp.response(spMetadata, { email: freshEmail() }) },
        'no-such-org-here',
      ).expect(303);
      expect(failureOf(res)).toBe('not_configured');
    });

    it('lets exactly one of two simultaneous posts of the same assertion through', async () => {
      const SAMLResponse = await idp.response(spMetadata, { email: freshEmail() });
      const results = await Promise.all([acs({ SAMLResponse }), acs({ SAMLResponse })]);
      const paths = results.map((r) => location(r).pathname).sort();
      expect(paths).toEqual(['/sign-in', '/sso/callback']);
    });

    it('creates an OWNER only through a mapping an OWNER made', async () => {
      await configure({ roleMapping: { engineering: 'EDITOR', it: 'ADMIN', founders: 'OWNER' } }).expect(200);
      const email = freshEmail();
      const res = await acs({
        SAMLResponse: await idp.response(spMetadata, {
          email,
          attributes: { groups: ['engineering', 'founders'] },
        }),
      }).expect(303);
      expect(location(res).pathname).toBe('/sso/callback');
      const { rows } = await t.owner.query(
        `SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.organization_id = $2`,
        [email, org],
      );
      expect(rows).toEqual([{ role: 'OWNER' }]);
      await configure({ roleMapping: { engineering: 'EDITOR', it: 'ADMIN' } }).expect(200);
    });

    it('keeps SSO rows tenant-private under RLS; a named slug reveals only its organization, read-only', async () => {
      const asApp = async (settings: Record<string, string>, sql: string) => {
        const client = await t.owner.connect();
        try {
          await client.query('BEGIN');
          await client.query(`SELECT set_config('role', 'vault_app', true)`);
          for (const [k, v] of Object.entries(settings))
            await client.query(`SELECT set_config($1, $2, true)`, [k, v]);
          return (await client.query(sql)).rows;
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      };
      const other = { 'app.org_id': stranger.organizationId };
      expect(await asApp(other, 'SELECT * FROM sso_settings')).toHaveLength(0);
      expect(await asApp(other, 'SELECT * FROM sso_assertions')).toHaveLength(0);
      expect(await asApp(other, 'SELECT * FROM sso_login_codes')).toHaveLength(0);
      expect(await asApp({ 'app.org_id': org }, 'SELECT * FROM sso_settings')).toHaveLength(1);
      const named = await asApp({ 'app.sso_slug': slug }, 'SELECT id FROM organizations');
      expect(named).toEqual([{ id: org }]);
      expect(
        await asApp({ 'app.sso_slug': slug }, `UPDATE organizations SET name = 'x' RETURNING id`),
      ).toHaveLength(0);
    });

    it('exchanges only valid, unexpired codes', async () => {
      await t.http().post('/api/v1/auth/saml/exchange').send({}).expect(400);
      const made = await t.http().post('/api/v1/auth/saml/exchange').send({ code: 'made-up' }).expect(401);
      expect(made.body.code).toBe('sso_code_invalid');
      const res = await acs({ SAMLResponse: await idp.response(spMetadata, { email: freshEmail() }) }).expect(
        303,
      );
      const code = location(res).searchParams.get('code')!;
      await t.owner.query(`UPDATE sso_login_codes SET expires_at = now() - interval '1 second'`);
      await t.http().post('/api/v1/auth/saml/exchange').send({ code }).expect(401);
    });
  });

  describe('SSO required', () => {
    it('refuses password sign-in for members, naming the organization, but not for OWNERs', async () => {
      await configure({ ssoRequired: true }).expect(200);
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: editor.email, password: 'correct horse battery' })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'sso_required', detail: expect.stringContaining(slug) });
      expect(await (async () => (await auditRows('auth.login_failed')).at(-1)?.changes)()).toMatchObject({
        method: 'password',
        reason: 'sso_required',
      });
      // A wrong password still answers 401: the SSO rule is revealed only to the account holder.
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: editor.email, password: 'wrong password!!' })
        .expect(401);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: owner.email, password: 'correct horse battery' })
        .expect(200);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: stranger.email, password: 'correct horse battery' })
        .expect(200);

      await configure({ enabled: false }).expect(200);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: editor.email, password: 'correct horse battery' })
        .expect(200);
      await configure({ enabled: true, ssoRequired: false }).expect(200);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: editor.email, password: 'correct horse battery' })
        .expect(200);
    });
  });

  describe('requests and session scope', () => {
    const failureOf = (res: { headers: Record<string, string> }) =>
      location(res).searchParams.get('ssoError');
    /** Starts an SP-initiated sign-in and returns the id of the AuthnRequest the browser carries. */
    const startSignIn = async () => {
      const res = await t.http().get(`/api/v1/auth/saml/${slug}/login`).expect(302);
      const xml = inflateRawSync(
        Buffer.from(location(res).searchParams.get('SAMLRequest')!, 'base64'),
      ).toString();
      return /\sID="([^"]+)"/.exec(xml)![1];
    };
    const signInWithSso = async (email: string) => {
      const inResponseTo = await startSignIn();
      const res = await acs({ SAMLResponse: await idp.response(spMetadata, { email, inResponseTo }) }).expect(
        303,
      );
      const code = location(res).searchParams.get('code');
      expect(code).toBeTruthy();
      const exchanged = await t.http().post('/api/v1/auth/saml/exchange').send({ code }).expect(200);
      expect(exchanged.headers['cache-control']).toBe('no-store');
      return exchanged.body as {
        accessToken: string;
        refreshToken: string;
      };
    };

    beforeAll(async () => {
      const res = await configure({
        metadataXml: idp.metadata,
        enabled: true,
        ssoRequired: false,
        allowIdpInitiated: false,
      }).expect(200);
      expect(res.body.allowIdpInitiated).toBe(false);
    });

    it('refuses unsolicited responses unless IdP-initiated sign-in is allowed', async () => {
      const unsolicited = await idp.response(spMetadata, { email: editor.email });
      expect(failureOf(await acs({ SAMLResponse: unsolicited }).expect(303))).toBe('unsolicited');
      expect((await auditRows('auth.login_failed')).at(-1)?.changes).toMatchObject({
        method: 'sso',
        reason: 'unsolicited',
      });

      expect((await configure({ allowIdpInitiated: true }).expect(200)).body.allowIdpInitiated).toBe(true);
      const allowed = await idp.response(spMetadata, { email: editor.email });
      expect(location(await acs({ SAMLResponse: allowed }).expect(303)).pathname).toBe('/sso/callback');
      await configure({ allowIdpInitiated: false }).expect(200);
    });

    it('accepts a response only for a request issued here, unexpired, and once', async () => {
      const requestId = await startSignIn();
      const { rows } = await t.owner.query(
        `SELECT expires_at FROM sso_requests WHERE organization_id = $1 AND request_id = $2`,
        [org, requestId],
      );
      expect(rows).toHaveLength(1);

      const answer = (options: { inResponseTo: string; assertionInResponseTo?: string }) =>
        idp.response(spMetadata, { email: editor.email, ...options }).then((r) => acs({ SAMLResponse: r }));
      expect(failureOf(await answer({ inResponseTo: '_made-up' }))).toBe('unknown_request');
      // A signed assertion rewrapped into a Response that claims to answer another request.
      expect(
        failureOf(await answer({ inResponseTo: requestId, assertionInResponseTo: '_another-request' })),
      ).toBe('invalid_response');

      const ok = await answer({ inResponseTo: requestId });
      expect(location(ok).pathname).toBe('/sso/callback');
      // A second, freshly signed answer to the same request is refused: each request is answered once.
      expect(failureOf(await answer({ inResponseTo: requestId }))).toBe('unknown_request');
      expect(
        (await t.owner.query(`SELECT 1 FROM sso_requests WHERE request_id = $1`, [requestId])).rows,
      ).toHaveLength(0);

      const stale = await startSignIn();
      await t.owner.query(
        `UPDATE sso_requests SET expires_at = now() - interval '1 second' WHERE request_id = $1`,
        [stale],
      );
      expect(failureOf(await answer({ inResponseTo: stale }))).toBe('unknown_request');
      expect((await auditRows('auth.login_failed')).at(-1)?.changes).toMatchObject({
        reason: 'unknown_request',
      });
    });

    it('scopes an SSO session to its organization, also after a refresh', async () => {
      // The editor is also OWNER of their own organization, signed up with a password.
      const other = editor.organizationId;
      const tokens = await signInWithSso(editor.email);
      const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

      await t.http().get(`/api/v1/organizations/${org}`).set(bearer(tokens.accessToken)).expect(200);
      let res = await t
        .http()
        .get(`/api/v1/organizations/${other}`)
        .set(bearer(tokens.accessToken))
        .expect(403);
      expect(res.body).toMatchObject({ code: 'sso_session_scope', organizationId: other });
      res = await t
        .http()
        .get('/api/v1/tags')
        .set({ ...bearer(tokens.accessToken), 'X-Organization-Id': other })
        .expect(403);
      expect(res.body.code).toBe('sso_session_scope');
      // An organization that does not exist answers the same: the scope reveals nothing.
      res = await t
        .http()
        .get('/api/v1/organizations/00000000-0000-4000-8000-000000000000')
        .set(bearer(tokens.accessToken))
        .expect(403);
      expect(res.body.code).toBe('sso_session_scope');
      // The account's memberships are still listed.
      const me = await t.http().get('/api/v1/me').set(bearer(tokens.accessToken)).expect(200);
      expect(me.body.memberships.map((m: { organizationId: string }) => m.organizationId).sort()).toEqual(
        [org, other].sort(),
      );

      const { rows } = await t.owner.query(
        `SELECT DISTINCT organization_scope FROM refresh_tokens WHERE user_id = $1 AND organization_scope IS NOT NULL`,
        [editor.userId],
      );
      expect(rows).toEqual([{ organization_scope: org }]);
      const refreshed = await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: tokens.refreshToken })
        .expect(200);
      await t.http().get(`/api/v1/organizations/${org}`).set(bearer(refreshed.body.accessToken)).expect(200);
      res = await t
        .http()
        .get(`/api/v1/organizations/${other}`)
        .set(bearer(refreshed.body.accessToken))
        .expect(403);
      expect(res.body.code).toBe('sso_session_scope');

      // A password session stays account-wide.
      await t.http().get(`/api/v1/organizations/${other}`).set(as(editor)).expect(200);
    });
  });

  describe('failure throttling', () => {
    let small: TestApp;
    afterAll(() => small?.close());

    it('refuses ACS posts unread after too many failures from one address', async () => {
      small = await bootTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '600' } });
      const boss = await signUp(small, 'Boss');
      const bossSlug = (
        await small.http().get(`/api/v1/organizations/${boss.organizationId}`).set(as(boss)).expect(200)
      ).body.slug;
      await small
        .http()
        .put(`/api/v1/organizations/${boss.organizationId}/sso`)
        .set(as(boss))
        .send({ metadataXml: idp.metadata })
        .expect(200);
      const sp = (await small.http().get(`/api/v1/auth/saml/${bossSlug}/metadata`).expect(200)).text;
      const post = async (SAMLResponse: string) =>
        location(
          await small
            .http()
            .post(`/api/v1/auth/saml/${bossSlug}/acs`)
            .type('form')
            .send({ SAMLResponse })
            .expect(303),
        );
      for (let i = 0; i < 3; i++)
        expect((await post('bm90IHhtbA==')).searchParams.get('ssoError')).toBe('invalid_response');
      const refused = await post(await idp.response(sp, { email: freshEmail() }));
      expect(refused.searchParams.get('ssoError')).toBe('rate_limited');
      const { rows } = await small.owner.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE organization_id = $1 AND action = 'auth.login_failed'`,
        [boss.organizationId],
      );
      expect(rows[0].n).toBe(3);
    });
  });
});
