import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleMetadata } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { EmbeddedPostgres } from '../../src/database/embedded/embedded-postgres';

export const usingRealPostgres = !!process.env.DATABASE_URL;
export const redisUrl = process.env.REDIS_URL;

/**
 * A fresh database for one test file: a new database on the real server when DATABASE_URL is
 * set (dropped afterwards), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<{
  url: string;
  driver: 'postgres' | 'pglite';
  drop: () => Promise<void>;
}> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await EmbeddedPostgres.start();
    return { url: embedded.url, driver: 'pglite', drop: () => embedded.stop() };
  }
  const name = `pv_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    driver: 'postgres',
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /** Runs SQL as the schema owner (bypasses nothing on purpose: tests use it to look and to tamper). */
  owner: Pool;
  database: TestDatabase;
  close: () => Promise<void>;
}

export type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

export interface BootOptions {
  env?: Record<string, string | undefined>;
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  runWorkers?: boolean;
  /** Reuse a database (e.g. to restart the app on the same data). */
  database?: TestDatabase;
  keepDatabase?: boolean;
  /** Serve the console from ADMIN_DIST (off by default: most tests only need the API). */
  serveConsole?: boolean;
}

export async function bootTestApp(options: BootOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: 'integration-test-secret-that-is-long-enough',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pv-test-')),
    ADMIN_DIST: join(tmpdir(), 'pv-no-console'),
    // With REDIS_URL set (CI), every test app uses the real Redis under its own key prefix.
    ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: `pvtest-${randomBytes(4).toString('hex')}` } : {}),
    ...options.env,
  }).with({
    databaseUrl: database.url,
    databaseDriver: database.driver,
    dbPoolSize: database.driver === 'pglite' ? 1 : 4,
  });
  const app = await createApp(config, {
    runWorkers: options.runWorkers ?? true,
    serveConsole: options.serveConsole ?? false,
    controllers: options.controllers,
    providers: options.providers,
    imports: options.imports,
  });
  await app.listen(0, '127.0.0.1');
  const owner = new Pool({ connectionString: database.url, max: 1 });
  const server = app.getHttpServer();
  return {
    app,
    config,
    database,
    owner,
    http: () => request(server),
    close: async () => {
      await owner.end();
      await app.close();
      if (!options.keepDatabase) await database.drop();
    },
  };
}

export interface SignedUpUser {
  userId: string;
  email: string;
  token: string;
  organizationId: string;
}

let counter = 0;
/** Signs up a fresh user through the API and signs them in. */
export async function signUp(t: TestApp, name = 'Test User'): Promise<SignedUpUser> {
  const email = `user${Date.now()}${++counter}${randomBytes(2).toString('hex')}@example.com`;
  const signup = await t
    .http()
    .post('/api/v1/auth/signup')
    .send({ email, password: 'correct horse battery', name });
  if (signup.status !== 201)
    throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const login = await t.http().post('/api/v1/auth/login').send({ email, password: 'correct horse battery' });
  const token = login.body.accessToken as string;
  const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${token}`);
  return { userId: signup.body.user.id, email, token, organizationId: me.body.memberships[0].organizationId };
}

/** Adds an existing user to an organization with a role, as the owner would through invites. */
export async function addMember(
  t: TestApp,
  organizationId: string,
  userId: string,
  role: string,
): Promise<void> {
  await t.owner.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, [
    organizationId,
    userId,
    role,
  ]);
}

export const auth = (u: SignedUpUser, organizationId = u.organizationId) => ({
  Authorization: `Bearer ${u.token}`,
  'X-Organization-Id': organizationId,
});

/** One organization with a member of every role (two editors, to test "own prompts only"), plus an outsider. */
export interface Team {
  org: string;
  owner: SignedUpUser;
  admin: SignedUpUser;
  editor: SignedUpUser;
  editor2: SignedUpUser;
  viewer: SignedUpUser;
  outsider: SignedUpUser;
}

export async function signUpTeam(t: TestApp): Promise<Team> {
  const [owner, admin, editor, editor2, viewer, outsider] = await Promise.all(
    ['Owner', 'Admin', 'Editor', 'Editor Two', 'Viewer', 'Outsider'].map((n) => signUp(t, n)),
  );
  const org = owner.organizationId;
  await addMember(t, org, admin.userId, 'ADMIN');
  await addMember(t, org, editor.userId, 'EDITOR');
  await addMember(t, org, editor2.userId, 'EDITOR');
  await addMember(t, org, viewer.userId, 'VIEWER');
  return { org, owner, admin, editor, editor2, viewer, outsider };
}

/** What `useTeamApp` gives a describe block: its app (`t`) and the team, set once `beforeAll` ran. */
export interface TeamSuite extends Team {
  t: TestApp;
}

/**
 * The usual setup of an integration spec: boots one app for the enclosing `describe` (in
 * `beforeAll`), signs up a team in it and closes the app in `afterAll`. Call it at the top of the
 * block; read the fields inside hooks and tests (`suite.t.http()`, `auth(suite.editor, suite.org)`).
 */
export function useTeamApp(options: BootOptions = {}): TeamSuite {
  const suite = {} as TeamSuite;
  beforeAll(async () => {
    suite.t = await bootTestApp(options);
    Object.assign(suite, await signUpTeam(suite.t));
  });
  afterAll(() => suite.t?.close());
  return suite;
}
