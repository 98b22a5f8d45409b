import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';

/** Bytes per stored chunk: a bounded buffer whatever the file's size. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/**
 * Files of imports and exports, in the database (`transfer_blobs`), so an API process and a
 * worker process on other machines read the same bytes. Written and read in chunks of 1 MiB in
 * the current tenant transaction: memory stays flat whatever the file's size.
 */
@Injectable()
export class TransferBlobs {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * A writable stream that stores what it is given under a new blob id; `size()` is the byte count
   * so far. Each full chunk is inserted before more is accepted (backpressure).
   */
  writer(organizationId: string): { id: string; stream: Writable; size: () => number } {
    const id = randomUUID();
    const em = this.transactions.manager;
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= BLOB_CHUNK_BYTES || (all && pendingBytes > 0)) {
        const buffer = Buffer.concat(pending);
        const chunk = buffer.subarray(0, BLOB_CHUNK_BYTES);
        const rest = buffer.subarray(chunk.length);
        pending = rest.length ? [rest] : [];
        pendingBytes = rest.length;
        await em.query(
          `INSERT INTO transfer_blobs (id, seq, organization_id, data) VALUES ($1, $2, $3, $4)`,
          [id, seq++, organizationId, chunk],
        );
      }
    };
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        size += chunk.length;
        flush(false).then(() => done(), done);
      },
      final(done) {
        flush(true).then(() => done(), done);
      },
    });
    return { id, stream, size: () => size };
  }

  /**
   * The blob's chunks in order, one query each (the current transaction must see the rows). A
   * chunk travels as base64, which Node decodes natively: as bytea's hex text the driver spent
   * several times longer on each 1 MiB chunk. The next chunk is asked for as soon as one is
   * handed over, so its read overlaps the caller's work on the one before.
   */
  async *chunks(id: string): AsyncGenerator<Buffer> {
    const em = this.transactions.manager;
    const read = async (seq: number): Promise<Buffer | null> => {
      const [row]: Array<{ data: string }> = await em.query(
        `SELECT encode(data, 'base64') AS data FROM transfer_blobs WHERE id = $1 AND seq = $2`,
        [id, seq],
      );
      return row ? Buffer.from(row.data, 'base64') : null;
    };
    let next = read(0);
    for (let seq = 1; ; seq++) {
      const chunk = await next;
      if (!chunk) return;
      next = read(seq);
      // Settled by the next turn of the loop; a generator left early must not leave it unhandled.
      next.catch(() => undefined);
      yield chunk;
    }
  }

  async delete(id: string): Promise<void> {
    await this.transactions.manager.query(`DELETE FROM transfer_blobs WHERE id = $1`, [id]);
  }
}
