import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Whether this machine has the PostgreSQL 15 server binaries a private cluster needs. */
export function hasPostgresServer(): boolean {
  return existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));
}

/** initdb and postgres refuse to run as root: as root they run as the `postgres` OS user. */
function osUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A private, throw-away PostgreSQL cluster on loopback (trust auth, its own port and socket
 * directory) that a test may crash and restart, to prove what the application does while the
 * database is away, without touching the machine's shared server.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly user?: { uid: number; gid: number },
  ) {}

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'pv-pg-'));
    const user = osUser();
    if (user) chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const pg = new PrivatePostgres(await freePort(), dir, user);
    try {
      await pg.exec('initdb', [
        '-D',
        pg.dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
        '--encoding=UTF8',
        '--locale=C',
      ]);
      await pg.start();
    } catch (err) {
      pg.remove();
      throw err;
    }
    return pg;
  }

  private async exec(bin: string, args: string[]): Promise<string> {
    const { stdout } = await run(join(BIN, bin), args, {
      ...(this.user ? { uid: this.user.uid, gid: this.user.gid } : {}),
      cwd: this.dir,
      timeout: 60_000,
      env: { ...process.env, LC_ALL: 'C' },
    });
    return stdout;
  }

  /** Starts the server and waits until it accepts connections (`pg_ctl -w`). */
  async start(): Promise<void> {
    await this.exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
      'start',
    ]);
  }

  /**
   * `immediate`: the server dies without a checkpoint (a crash; recovery replays the WAL at the
   * next start). `fast`: a clean restart (open sessions are ended).
   */
  async stop(mode: 'immediate' | 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  /** Stops the server if it runs and removes the cluster; safe to call more than once. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) {
      await this.stop('immediate').catch(() => undefined);
    }
    this.remove();
  }

  private remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
