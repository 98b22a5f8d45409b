import { Client, errors } from '@elastic/elasticsearch';

/** One client per process; short timeouts so a dead node degrades search quickly instead of hanging it. */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 5000, maxRetries: 1 });
}

/** Errors that mean "the index cannot answer now" (fall back, retry later) rather than a bad request. */
export function isUnavailable(err: unknown): boolean {
  if (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError
  )
    return true;
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    return status >= 500 || status === 429 || status === 404;
  }
  return false;
}
