import { Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { csvCell } from '../audit/audit-export';
import { AnalyticsService, OrgScope } from './analytics.service';
import type {
  BreakdownItemDto,
  SummaryResponseDto,
  TimeseriesResponseDto,
  TopPromptDto,
} from './dto/analytics.dto';

/** Everything a report shows for a period. */
export interface ReportData {
  organizationName: string;
  summary: SummaryResponseDto;
  dailyCost: TimeseriesResponseDto;
  dailyRuns: TimeseriesResponseDto;
  topByCost: TopPromptDto[];
  topByUses: TopPromptDto[];
  costByModel: BreakdownItemDto[];
  costByUser: BreakdownItemDto[];
}

const SUMMARY_FIELDS = [
  ['runs', 'Runs'],
  ['fetches', 'Fetches'],
  ['renders', 'Renders'],
  ['inputTokens', 'Input tokens'],
  ['outputTokens', 'Output tokens'],
  ['costUsd', 'Cost (USD)'],
  ['costUnknown', 'Calls without a price'],
  ['activeUsers', 'Active users'],
  ['promptsCreated', 'Prompts created'],
] as const;

export const REPORT_CSV_COLUMNS = ['section', 'date', 'key', 'label', 'metric', 'value'] as const;

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * Reports of a period (docs/analytics.md, "Reports"): CSV with one row per figure, and a PDF with
 * the totals, bar charts drawn as vectors and the tables.
 */
@Injectable()
export class AnalyticsReports {
  constructor(private readonly analytics: AnalyticsService) {}

  async data(
    caller: OrgScope,
    organizationName: string,
    range: { from: Date; to: Date },
  ): Promise<ReportData> {
    const q = { from: range.from, to: range.to };
    return {
      organizationName,
      summary: await this.analytics.summary(caller, q),
      dailyCost: await this.analytics.timeseries(caller, { ...q, metric: 'cost', interval: 'day' }),
      dailyRuns: await this.analytics.timeseries(caller, { ...q, metric: 'runs', interval: 'day' }),
      topByCost: (await this.analytics.topPrompts(caller, { ...q, by: 'cost', limit: 20 })).items,
      topByUses: (await this.analytics.topPrompts(caller, { ...q, by: 'uses', limit: 20 })).items,
      costByModel: (await this.analytics.breakdown(caller, { ...q, by: 'model', metric: 'cost' })).items,
      costByUser: (await this.analytics.breakdown(caller, { ...q, by: 'user', metric: 'cost' })).items,
    };
  }

  csv(d: ReportData): string {
    const rows: unknown[][] = [REPORT_CSV_COLUMNS as unknown as string[]];
    const { period } = d.summary;
    for (const [field, label] of SUMMARY_FIELDS) {
      rows.push(['summary', `${period.from}/${period.to}`, field, label, field, d.summary[field]]);
      rows.push(['previous', '', field, label, field, d.summary.previous[field]]);
    }
    for (const p of d.dailyRuns.series[0]?.points ?? [])
      rows.push(['daily', p.t, 'total', 'Total', 'runs', p.value]);
    for (const p of d.dailyCost.series[0]?.points ?? [])
      rows.push(['daily', p.t, 'total', 'Total', 'cost', p.value]);
    for (const p of d.topByCost) rows.push(['top_prompts_by_cost', '', p.promptId, p.title, 'cost', p.value]);
    for (const p of d.topByUses) rows.push(['top_prompts_by_uses', '', p.promptId, p.title, 'uses', p.value]);
    for (const b of d.costByModel) rows.push(['cost_by_model', '', b.key, b.label, 'cost', b.value]);
    for (const b of d.costByUser) rows.push(['cost_by_user', '', b.key, b.label, 'cost', b.value]);
    return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }

  pdf(d: ReportData): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `Usage report ${d.organizationName}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const s = d.summary;
    doc.fontSize(18).text(`Usage report: ${d.organizationName}`);
    doc
      .fontSize(10)
      .fillColor('#555')
      .text(`${s.period.from.slice(0, 10)} to ${s.period.to.slice(0, 10)} (UTC)`);
    doc.moveDown().fillColor('#000').fontSize(13).text('Totals');
    doc.fontSize(10);
    for (const [field, label] of SUMMARY_FIELDS) {
      const value = field === 'costUsd' ? usd(s[field]) : String(s[field]);
      const before = field === 'costUsd' ? usd(s.previous[field]) : String(s.previous[field]);
      doc.text(`${label}: ${value}   (previous period: ${before})`);
    }
    this.bars(
      doc,
      'Cost per day (USD)',
      (d.dailyCost.series[0]?.points ?? []).map((p) => ({ label: p.t.slice(5, 10), value: p.value })),
    );
    this.bars(
      doc,
      'Runs per day',
      (d.dailyRuns.series[0]?.points ?? []).map((p) => ({ label: p.t.slice(5, 10), value: p.value })),
    );
    this.table(
      doc,
      'Cost by model',
      d.costByModel.map((b) => [b.label, usd(b.value)]),
    );
    this.table(
      doc,
      'Top prompts by cost',
      d.topByCost.map((p) => [p.title, usd(p.value)]),
    );
    this.table(
      doc,
      'Top prompts by uses',
      d.topByUses.map((p) => [p.title, String(p.value)]),
    );
    this.table(
      doc,
      'Cost by user',
      d.costByUser.map((b) => [b.label, usd(b.value)]),
    );
    doc.end();
    return done;
  }

  /** A bar chart as vector rectangles, scaled to the largest value. */
  private bars(
    doc: PDFKit.PDFDocument,
    title: string,
    points: Array<{ label: string; value: number }>,
  ): void {
    const height = 120;
    if (doc.y + height + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    doc.moveDown().fontSize(13).fillColor('#000').text(title, doc.page.margins.left);
    const top = doc.y + 5;
    const left = doc.page.margins.left;
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    const max = Math.max(0, ...points.map((p) => p.value));
    doc
      .save()
      .lineWidth(0.5)
      .strokeColor('#999')
      .moveTo(left, top + height)
      .lineTo(left + width, top + height)
      .stroke();
    if (points.length && max > 0) {
      const step = width / points.length;
      points.forEach((p, i) => {
        const h = (p.value / max) * height;
        doc
          .rect(left + i * step + step * 0.1, top + height - h, Math.max(step * 0.8, 0.5), h)
          .fill('#3f51b5');
      });
    }
    doc.restore();
    doc.fontSize(8).fillColor('#555');
    doc.text(`max ${max.toFixed(2)}`, left, top - 2, { width, align: 'right' });
    if (points.length) {
      doc.text(points[0].label, left, top + height + 3);
      doc.text(points[points.length - 1].label, left, top + height + 3, { width, align: 'right' });
    }
    doc.fillColor('#000');
    doc.y = top + height + 18;
    doc.x = left;
  }

  private table(doc: PDFKit.PDFDocument, title: string, rows: string[][]): void {
    if (doc.y + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const left = doc.page.margins.left;
    doc.moveDown().fontSize(13).fillColor('#000').text(title, left);
    doc.fontSize(10);
    if (!rows.length) {
      doc.fillColor('#555').text('No usage in this period.', left).fillColor('#000');
      return;
    }
    for (const [name, value] of rows) {
      if (doc.y + 14 > doc.page.height - doc.page.margins.bottom) doc.addPage();
      const y = doc.y;
      doc.text(name || '(none)', left, y, { width: 380, ellipsis: true, lineBreak: false });
      doc.text(value, left + 390, y, { width: 100, align: 'right' });
      doc.x = left;
    }
  }
}
