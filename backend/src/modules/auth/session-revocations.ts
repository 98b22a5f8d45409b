import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import type { AppConfig } from '../../config/app-config';

/** How long a clock may be ahead of another's: entries outlive the access-token lifetime by this. */
const CLOCK_SLACK_MS = 60_000;
/** Longest a reader waits on Redis for news before it looks again (and retries pending writes). */
const READ_BLOCK_MS = 1000;
/** Pause before the next read after Redis failed to answer. */
const RETRY_MS = 1000;

/** Resolves once the connection is up, or rejects after `ms` (Redis down: boot goes on without it). */
function ready(connection: IORedis, ms: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${ms} ms`));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('ready', onReady);
  });
}

/**
 * Sessions (refresh-token families, the `sid` of an access token) that ended before their access
 * tokens expire: logout, reuse of a rotated refresh token, a password reset or change.
 *
 * Every bearer request asks `isRevoked`, so the answer is a lookup in this process's memory, never
 * a database or network round trip. Processes learn of each other's revocations through a Redis
 * stream: each one holds a blocking read on it (a revocation reaches every process at once, and a
 * process that was cut off catches up from where it stopped), and loads what the stream holds when
 * it starts. An entry is only needed while a token issued before it can still be valid, so the
 * stream is trimmed to the access-token lifetime and the key itself expires when idle.
 *
 * Without Redis (embedded mode, one process) memory is all there is. While Redis is down a
 * revocation takes effect at once in the process that made it and is written to the stream when
 * Redis answers again, so the other processes learn of it then.
 */
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  /** Session id → when its last possible access token has expired (ms); entries are pruned after. */
  private readonly revoked = new Map<string, number>();
  private readonly entryTtlMs: number;
  private readonly key: string;
  private readonly writer?: IORedis;
  private readonly reader?: IORedis;
  /** Revocations Redis did not take yet (it was down): written on its return. */
  private pending: string[] = [];
  /** The last stream entry read; '0-0' loads the whole (trimmed) stream first. */
  private lastId = '0-0';
  private degraded = false;
  private stopped = false;
  private listening?: Promise<void>;
  private pruneTimer?: NodeJS.Timeout;

  constructor(config: AppConfig) {
    this.entryTtlMs = config.jwtAccessTtlSeconds * 1000 + CLOCK_SLACK_MS;
    this.key = `${config.queuePrefix}:revoked-sessions`;
    if (!config.redisUrl) return;
    // Revoking sits on the logout path: fail at once while Redis is away and keep the entry pending.
    this.writer = new IORedis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
    });
    // The reader blocks up to READ_BLOCK_MS per read; the timeout only catches a silent network
    // (generously: a busy event loop, e.g. the embedded database migrating, delays the answer).
    this.reader = new IORedis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: READ_BLOCK_MS + 15_000,
    });
    for (const connection of [this.writer, this.reader])
      connection.on('error', (err) => this.logger.debug({ err }, 'redis error'));
  }

  /** Whether the session was ended: a lookup in memory, no I/O. */
  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /**
   * Ends the access tokens of these sessions on every process. Takes effect here before it
   * returns; never fails (an entry Redis could not take is retried until it can).
   */
  async revoke(sessionIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(sessionIds)];
    if (!ids.length) return;
    const until = Date.now() + this.entryTtlMs;
    for (const id of ids) this.revoked.set(id, until);
    if (!this.writer) return;
    try {
      await this.append(ids);
    } catch (err) {
      this.pending.push(...ids);
      this.markDegraded(err);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    this.pruneTimer = setInterval(() => this.prune(), 10_000);
    this.pruneTimer.unref();
    if (!this.reader) return;
    // Load what other processes revoked before this one started, before it serves a request.
    try {
      await ready(this.reader, 3000);
      while (await this.readOnce(0));
    } catch (err) {
      this.markDegraded(err);
    }
    this.listening = this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pruneTimer);
    this.reader?.disconnect();
    this.writer?.disconnect();
    await this.listening;
  }

  private async append(ids: string[]): Promise<void> {
    const writer = this.writer!;
    const oldest = Date.now() - this.entryTtlMs;
    const batch = writer.multi();
    for (const id of ids) batch.xadd(this.key, 'MINID', '~', String(oldest), '*', 'sid', id);
    batch.pexpire(this.key, this.entryTtlMs);
    const results = await batch.exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (!results || failed) throw failed ?? new Error('the revocation batch was discarded');
  }

  private async listen(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.readOnce(READ_BLOCK_MS);
        if (this.pending.length) {
          const ids = this.pending;
          this.pending = [];
          try {
            await this.append(ids);
          } catch (err) {
            this.pending.unshift(...ids);
            throw err;
          }
        }
        if (this.degraded) {
          this.degraded = false;
          this.logger.log('Redis is back: session revocations are shared again');
        }
      } catch (err) {
        if (this.stopped) return;
        this.markDegraded(err);
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
      }
    }
  }

  /** Reads the entries after `lastId` (waiting up to `blockMs` for one); true if it got any. */
  private async readOnce(blockMs: number): Promise<boolean> {
    const args = ['COUNT', 1000, ...(blockMs ? ['BLOCK', blockMs] : []), 'STREAMS', this.key, this.lastId];
    const answer = (await this.reader!.call('XREAD', ...args)) as Array<
      [string, Array<[string, string[]]>]
    > | null;
    if (!answer) return false;
    const now = Date.now();
    let any = false;
    for (const [, entries] of answer) {
      for (const [id, fields] of entries) {
        this.lastId = id;
        any = true;
        // The entry id starts with Redis's clock at the revocation, in milliseconds.
        const until = Number(id.split('-')[0]) + this.entryTtlMs;
        const sid = fields[fields.indexOf('sid') + 1];
        if (sid && until > now) this.revoked.set(sid, Math.max(until, this.revoked.get(sid) ?? 0));
      }
    }
    return any;
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    // A revocation nobody could hear of before its tokens expired no longer matters.
    if (this.pending.length) this.pending = this.pending.filter((id) => this.revoked.has(id));
  }

  private markDegraded(err: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { err },
      'Redis unavailable: session revocations hold in this process and reach the others when it returns',
    );
  }
}
