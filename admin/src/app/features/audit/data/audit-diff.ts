/** One row of the before/after view of an event's `changes`. */
export interface DiffRow {
  field: string;
  before: string | null;
  after: string | null;
  /** added: only after; removed: only before; changed: both and different; same: both and equal. */
  kind: 'added' | 'removed' | 'changed' | 'same';
}

const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

const isFromTo = (value: unknown): value is { from?: unknown; to?: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((k) => k === 'from' || k === 'to');

/**
 * The changes of an audit event as rows of before and after. Services record a changed field as
 * `{field: {from, to}}`; any other member is a value recorded as it was at the time (shown as
 * "after"), e.g. the fields of something created.
 */
export function diffChanges(changes: Record<string, unknown> | null | undefined): DiffRow[] {
  if (!changes) return [];
  return Object.keys(changes)
    .sort()
    .map((field) => {
      const value = changes[field];
      if (!isFromTo(value)) return { field, before: null, after: show(value), kind: 'added' as const };
      const before = value.from === undefined || value.from === null ? null : show(value.from);
      const after = value.to === undefined || value.to === null ? null : show(value.to);
      const kind =
        before === null && after === null
          ? ('same' as const)
          : before === null
            ? ('added' as const)
            : after === null
              ? ('removed' as const)
              : before === after
                ? ('same' as const)
                : ('changed' as const);
      return { field, before, after, kind };
    });
}
