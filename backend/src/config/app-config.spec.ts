import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './app-config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const { privateKey: ED_KEY } = generateKeyPairSync('ed25519');
const AUDIT_KEY_DER = ED_KEY.export({ format: 'der', type: 'pkcs8' }).toString('base64');
const AUDIT_KEY_PEM = ED_KEY.export({ format: 'pem', type: 'pkcs8' }).toString();
const dataDir = () => mkdtempSync(join(tmpdir(), 'pv-config-'));

describe('loadConfig', () => {
  it('applies the embedded defaults when nothing is configured', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 3000,
      databaseDriver: 'pglite',
      queueDriver: 'inline',
      searchDriver: 'postgres',
      migrationsRun: true,
      dbPoolSize: 1,
      publicUrl: 'http://localhost:3000',
      corsOrigins: [],
      heapGrowthPercent: 50,
    });
    // The development JWT secret is generated once and persisted, so sessions survive restarts.
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(config.jwtSecret);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(config.jwtSecret);
  });

  it('picks the real drivers when their URLs are set', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DATABASE_URL: 'postgres://u@db:5432/vault',
      REDIS_URL: 'redis://cache:6379',
      ELASTICSEARCH_URL: 'http://search:9200',
      DB_MIGRATIONS_RUN: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      databaseDriver: 'postgres',
      queueDriver: 'bullmq',
      searchDriver: 'elasticsearch',
      migrationsRun: false,
      dbPoolSize: 10,
      port: 8080,
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
  });

  it('refuses to start with a message that names every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({
        DATA_DIR: dataDir(),
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'localhost:6379',
        WORKERS: 'maybe',
        BODY_LIMIT: 'huge',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'WORKERS', 'BODY_LIMIT']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
      expect(message).toContain(name);
    }
  });

  it('keeps JOB_CONCURRENCY below the PostgreSQL pool, so requests always have connections left', () => {
    const pg = { DATA_DIR: dataDir(), DATABASE_URL: 'postgres://u@db:5432/vault', DB_POOL_SIZE: '6' };
    expect(loadConfig(pg).jobConcurrency).toBeUndefined();
    expect(loadConfig({ ...pg, JOB_CONCURRENCY: '5' }).jobConcurrency).toBe(5);
    expect(() => loadConfig({ ...pg, JOB_CONCURRENCY: '6' })).toThrow(
      /JOB_CONCURRENCY: must be below DB_POOL_SIZE \(6\)/,
    );
    expect(() => loadConfig({ ...pg, JOB_CONCURRENCY: '0' })).toThrow(/JOB_CONCURRENCY/);
    // PGlite: one connection whatever DB_POOL_SIZE says; the bound is only on jobs.
    expect(loadConfig({ DATA_DIR: dataDir(), JOB_CONCURRENCY: '8' }).jobConcurrency).toBe(8);
  });

  it('takes HEAP_GROWTH_PERCENT from 0 (V8 decides) to 300', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir, HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ DATA_DIR: dir, HEAP_GROWTH_PERCENT: '100' }).heapGrowthPercent).toBe(100);
    expect(() => loadConfig({ DATA_DIR: dir, HEAP_GROWTH_PERCENT: '-1' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig({ DATA_DIR: dir, HEAP_GROWTH_PERCENT: 'lots' })).toThrow(/HEAP_GROWTH_PERCENT/);
  });

  it('requires JWT_SECRET in production and never writes a generated one there', () => {
    const dir = dataDir();
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(
      /JWT_SECRET: is required when NODE_ENV=production/,
    );
    expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir, JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32/,
    );
    expect(
      loadConfig({
        NODE_ENV: 'production',
        DATA_DIR: dir,
        JWT_SECRET: 'x'.repeat(40),
        ENCRYPTION_KEY: KEY,
        AUDIT_SIGNING_KEY: AUDIT_KEY_DER,
      }).jwtSecret,
    ).toBe('x'.repeat(40));
  });

  it('requires ENCRYPTION_KEY in production, checks its format and generates one only in development', () => {
    const dir = dataDir();
    const jwt = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: dir };
    expect(() => loadConfig({ NODE_ENV: 'production', ...jwt })).toThrow(
      /ENCRYPTION_KEY: is required when NODE_ENV=production/,
    );
    expect(existsSync(join(dir, 'encryption-key'))).toBe(false);
    expect(() => loadConfig({ ...jwt, ENCRYPTION_KEY: 'too-short' })).toThrow(
      /ENCRYPTION_KEY: must be 32 bytes as base64 or 64 hex digits/,
    );
    expect(() => loadConfig({ ...jwt, ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: 'abc' })).toThrow(
      /ENCRYPTION_KEY_PREVIOUS: must be 32 bytes/,
    );
    const hex = 'ab'.repeat(32);
    const config = loadConfig({ ...jwt, ENCRYPTION_KEY: hex, ENCRYPTION_KEY_PREVIOUS: KEY });
    expect(config.encryption.key.equals(Buffer.from(hex, 'hex'))).toBe(true);
    expect(config.encryption.previous?.equals(Buffer.from(KEY, 'base64'))).toBe(true);
    const generated = loadConfig({ ...jwt }).encryption.key;
    expect(generated).toHaveLength(32);
    expect(loadConfig({ ...jwt }).encryption.key.equals(generated)).toBe(true);
    expect(readFileSync(join(dir, 'encryption-key'), 'utf8').trim()).toBe(generated.toString('base64'));
  });

  it('requires AUDIT_SIGNING_KEY in production, accepts PEM or base64 DER Ed25519 keys only, generates one in development', () => {
    const dir = dataDir();
    const base = { JWT_SECRET: 'x'.repeat(40), DATA_DIR: dir };
    expect(() => loadConfig({ NODE_ENV: 'production', ...base, ENCRYPTION_KEY: KEY })).toThrow(
      /AUDIT_SIGNING_KEY: is required when NODE_ENV=production/,
    );
    expect(existsSync(join(dir, 'audit-signing-key.pem'))).toBe(false);
    expect(() => loadConfig({ ...base, AUDIT_SIGNING_KEY: 'not-a-key' })).toThrow(
      /AUDIT_SIGNING_KEY: must be an Ed25519 private key/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    expect(() => loadConfig({ ...base, AUDIT_SIGNING_KEY: rsa.toString() })).toThrow(
      /AUDIT_SIGNING_KEY: must be an Ed25519 private key/,
    );
    expect(loadConfig({ ...base, AUDIT_SIGNING_KEY: AUDIT_KEY_DER }).auditSigningKey).toBe(AUDIT_KEY_PEM);
    // A PEM in a one-line environment variable, with literal \n.
    expect(
      loadConfig({ ...base, AUDIT_SIGNING_KEY: AUDIT_KEY_PEM.replace(/\n/g, '\\n') }).auditSigningKey,
    ).toBe(AUDIT_KEY_PEM);
    const generated = loadConfig({ ...base }).auditSigningKey;
    expect(generated).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(loadConfig({ ...base }).auditSigningKey).toBe(generated);
    expect(readFileSync(join(dir, 'audit-signing-key.pem'), 'utf8')).toBe(generated);
  });
});
