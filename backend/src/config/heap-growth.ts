import { setFlagsFromString } from 'node:v8';

const FLAG = 'heap-growing-percent';

/**
 * Bounds how far the process's heap grows between full collections (HEAP_GROWTH_PERCENT).
 *
 * After a full collection V8 lets the old generation grow to up to four times what survived it
 * before collecting again. Requests leave little behind, but long jobs do not: a 100,000-prompt
 * import promotes each batch's rows and statements, all garbage a moment later, and the process
 * grew by about 300 MB before V8's next full collection (docs/benchmarks.md, issue 14). With the
 * growth bounded to 50 % the same import grows the process by under 100 MB for a few more, short
 * full collections of a small live heap. The factor is read at every collection, so setting it
 * once at boot, before the application is built, covers the whole process.
 *
 * A `--heap-growing-percent` given to node itself (command line or NODE_OPTIONS) is the
 * operator's and wins. Answers whether this call set the flag.
 */
export function applyHeapGrowth(
  percent: number,
  given: { execArgv: readonly string[]; nodeOptions?: string } = {
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
  },
): boolean {
  if (percent <= 0) return false;
  const named = (arg: string) => arg.replace(/_/g, '-').includes(FLAG);
  if (given.execArgv.some(named) || (given.nodeOptions ?? '').split(/\s+/).some(named)) return false;
  setFlagsFromString(`--${FLAG}=${percent}`);
  return true;
}
