import type { AuditEvent } from './entities/audit-event.entity';

/** The CSV columns, in order (the header line). */
export const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorType',
  'actorId',
  'actorEmail',
  'action',
  'targetType',
  'targetId',
  'ip',
  'userAgent',
  'requestId',
  'changes',
  'prevHash',
  'hash',
] as const;

/**
 * One CSV cell. A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return) gets a leading apostrophe; quotes, commas and line breaks are quoted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : `${value as string | number | boolean}`;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(e: AuditEvent): string {
  return `${CSV_COLUMNS.map((c) => csvCell(c === 'occurredAt' ? e.occurredAt.toISOString() : e[c])).join(',')}\r\n`;
}

/**
 * The last line of a JSON Lines export, signed (docs/compliance.md). Keys in this order; the
 * signature covers `JSON.stringify(manifest)`. `redactedSeqs` (an addition to the contract) lists
 * the events whose `changes` were withheld from the exporter, so their content hash cannot be
 * recomputed offline (their links still are).
 */
export interface ExportManifest {
  organizationId: string;
  from: string | null;
  to: string | null;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  exportedAt: string;
  redactedSeqs: number[];
}

/** Accumulates the manifest while the export streams. */
export class ManifestBuilder {
  private count = 0;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private lastHash: string | null = null;
  private readonly redactedSeqs: number[] = [];

  constructor(
    private readonly organizationId: string,
    private readonly range: { from?: Date; to?: Date },
  ) {}

  add(e: AuditEvent, redacted: boolean): void {
    this.count++;
    this.firstSeq ??= e.seq;
    this.lastSeq = e.seq;
    this.lastHash = e.hash;
    if (redacted) this.redactedSeqs.push(e.seq);
  }

  build(exportedAt = new Date()): ExportManifest {
    return {
      organizationId: this.organizationId,
      from: this.range.from?.toISOString() ?? null,
      to: this.range.to?.toISOString() ?? null,
      count: this.count,
      firstSeq: this.firstSeq,
      lastSeq: this.lastSeq,
      lastHash: this.lastHash,
      exportedAt: exportedAt.toISOString(),
      redactedSeqs: this.redactedSeqs,
    };
  }
}
