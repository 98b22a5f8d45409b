import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Extension, PGlite } from '@electric-sql/pglite';

// The package's `types` condition points at ESM typings; at run time `require` loads its CJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PGlite (PostgreSQL compiled to WASM) served over the Postgres wire protocol on loopback, so the
 * very same `pg` + TypeORM code runs against it as against a real server. One PGlite is one
 * session: the app's pool has one connection and the socket server queues the rest.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
    readonly location: string,
  ) {}

  /** `dataDir` undefined keeps everything in memory (tests); otherwise data survives restarts. */
  static async start(dataDir?: string): Promise<EmbeddedPostgres> {
    let location = 'memory';
    if (dataDir) {
      location = join(dataDir, 'pglite');
      mkdirSync(location, { recursive: true });
    }
    const db = await PGlite.create({ dataDir: dataDir ? location : undefined, extensions: { pg_trgm } });
    // A few connections may queue (the app's pool, a test's own client); PGlite runs one transaction at a time.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    return new EmbeddedPostgres(db, server, `postgres://postgres@${host}:${port}/postgres`, location);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
