import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException } from '../../common/errors/domain.exception';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../common/errors/problem-details.filter';
import { TenantTransactions } from '../../database/tenancy/tenant-transactions';
import { PlaygroundService, PreparedRun, RunResult } from './playground.service';

/** Seconds between SSE comment lines while nothing else is sent (keeps proxies from closing). */
const HEARTBEAT_MS = 15_000;

/** How long the SSE headers wait for the first events to leave with them (see `open`). */
const HEADERS_WAIT_MS = 200;

/**
 * Answers run and compare requests once the request's tenant transaction has committed: the
 * handler prepares the runs inside it (reads, render, key) and hands them here; the provider calls
 * happen in an after-commit hook (`TenantTransactions.afterCommit`), so no database connection
 * waits on a model, and each run is stored in a transaction of its own.
 *
 * The answer is JSON, or server-sent events with `Accept: text/event-stream` (docs/playground.md,
 * "Streaming"). When the client goes away, the provider calls are aborted and the runs stored as
 * `canceled`. The hook never throws (the transaction's hooks only log failures): every failure
 * becomes a problem+json answer or an SSE `error` event.
 */
@Injectable()
export class RunResponder {
  private readonly logger = new Logger(RunResponder.name);

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly playground: PlaygroundService,
  ) {}

  /** One run: 200 with the run, a problem, or `delta`… then `done {run}` / `error {problem}`. */
  single(req: Request, res: Response, prepared: PreparedRun): void {
    this.transactions.afterCommit(() =>
      this.guard(req, res, async (signal, stream) => {
        if (!stream) {
          const result = await this.playground.execute(prepared, signal);
          if (signal.aborted) return;
          if (result.problem) return this.sendProblem(req, res, result.problem);
          res.status(200).json(result.run);
          return;
        }
        const sse = open(res);
        const result = await this.playground.execute(prepared, signal, (text) =>
          sse.event('delta', { text }),
        );
        if (result.problem) sse.event('error', this.problem(req, result.problem));
        else sse.event('done', result.run);
        sse.close();
      }),
    );
  }

  /**
   * Several runs in parallel: 200 `{runs}` (failed runs included, with their `error`), or events
   * `delta {target, text}`, `done {target, run}` / `error {target, problem}` per target, then `end`.
   * A run that cannot be stored (the database failed) makes the JSON answer that problem, sent once
   * every other target is done and stored.
   */
  compare(req: Request, res: Response, prepared: PreparedRun[]): void {
    this.transactions.afterCommit(() =>
      this.guard(req, res, async (signal, stream) => {
        if (!stream) {
          // Every target finishes (and is stored) before the answer: when storing one fails, the
          // problem is answered after the others are done, not while they are still running.
          const settled = await Promise.allSettled(prepared.map((p) => this.playground.execute(p, signal)));
          const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
          if (failed) throw failed.reason;
          if (signal.aborted) return;
          res
            .status(200)
            .json({ runs: settled.map((s) => (s as PromiseFulfilledResult<RunResult>).value.run) });
          return;
        }
        const sse = open(res);
        await Promise.all(
          prepared.map(async (p, target) => {
            let result: RunResult;
            try {
              result = await this.playground.execute(p, signal, (text) =>
                sse.event('delta', { target, text }),
              );
            } catch (err) {
              sse.event('error', { target, problem: this.problem(req, err) });
              return;
            }
            if (result.problem) sse.event('error', { target, problem: this.problem(req, result.problem) });
            else sse.event('done', { target, run: result.run });
          }),
        );
        sse.event('end', {});
        sse.close();
      }),
    );
  }

  /**
   * Another slow provider call answered as JSON after the commit (the AI evaluator): `work` runs
   * in the after-commit hook with the client's abort signal and returns the body sent with
   * `status`; whatever it throws becomes a problem+json answer (with its headers, e.g. Retry-After).
   */
  json(req: Request, res: Response, status: number, work: (signal: AbortSignal) => Promise<unknown>): void {
    this.transactions.afterCommit(() =>
      this.guard(req, res, async (signal) => {
        const body = await work(signal);
        if (signal.aborted) return;
        res.status(status).json(body);
      }),
    );
  }

  /** Runs `work` with an abort signal tied to the client's connection; maps anything it throws. */
  private async guard(
    req: Request,
    res: Response,
    work: (signal: AbortSignal, stream: boolean) => Promise<void>,
  ): Promise<void> {
    const client = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) client.abort();
    };
    res.on('close', onClose);
    if (res.destroyed) client.abort();
    const stream = (req.headers.accept ?? '').includes('text/event-stream');
    try {
      await work(client.signal, stream);
    } catch (err) {
      // Storing the run failed (the database is unavailable…): still an answer, never a hang.
      if (client.signal.aborted) return;
      const sse = openStreams.get(res);
      if (sse) {
        sse.event('error', this.problem(req, err));
        sse.close();
      } else if (res.headersSent) {
        if (!res.writableEnded) {
          res.write(sseEvent('error', this.problem(req, err)));
          res.end();
        }
      } else {
        this.sendProblem(req, res, err);
      }
    } finally {
      res.off('close', onClose);
    }
  }

  private problem(req: Request, err: unknown) {
    const problem = toProblem(err, req.originalUrl ?? req.url, (req as Request & { id?: string }).id);
    if (problem.status >= 500 && !(err instanceof DomainException))
      this.logger.error({ err, requestId: problem.requestId }, 'Unhandled error after a provider call');
    return problem;
  }

  private sendProblem(req: Request, res: Response, err: unknown): void {
    const problem = this.problem(req, err);
    if (err instanceof DomainException && err.headers)
      for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}

/** One server-sent event; JSON keeps the data on one line. */
export const sseEvent = (event: string, data: unknown) =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** The event streams open now, so that a failure after `open` ends them through the same buffer. */
const openStreams = new WeakMap<Response, EventStream>();

interface EventStream {
  event(name: string, data: unknown): void;
  close(): void;
}

/**
 * Opens the event stream of a response. Events are buffered and written when the current work
 * (the provider's network read and the promise jobs it started) is done (`process.nextTick`, so
 * without waiting for another turn of the event loop): the pieces of an answer that arrive
 * together (a provider sends many per network read) leave in one socket write, in their order.
 * The headers leave with the first events (one socket write fewer per run), or on their own after
 * HEADERS_WAIT_MS when the model has not answered by then.
 */
function open(res: Response): EventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  const writable = () => !res.writableEnded && !res.destroyed;
  const headers = setTimeout(() => {
    if (!res.headersSent && writable()) res.flushHeaders();
  }, HEADERS_WAIT_MS);
  headers.unref();
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending && writable()) {
      clearTimeout(headers);
      res.write(pending);
    }
    pending = '';
  };
  const heartbeat = setInterval(() => {
    if (!pending && writable()) res.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  res.on('close', () => {
    clearTimeout(headers);
    clearInterval(heartbeat);
    pending = '';
  });
  const stream: EventStream = {
    event: (name, data) => {
      if (!writable()) return;
      pending += sseEvent(name, data);
      if (!scheduled) {
        scheduled = true;
        process.nextTick(flush);
      }
    },
    close: () => {
      clearTimeout(headers);
      clearInterval(heartbeat);
      openStreams.delete(res);
      if (!res.writableEnded) res.end(pending || undefined);
      pending = '';
    },
  };
  openStreams.set(res, stream);
  return stream;
}
