/** An SVG polyline for a small series, drawn without a chart library (it sits on every prompt page). */
export interface Sparkline {
  /** `points` of an SVG polyline in a width × height box; empty for no data. */
  points: string;
  /** The line's area down to the baseline, for a light fill. */
  area: string;
  max: number;
}

export function sparkline(values: readonly number[], width: number, height: number, pad = 2): Sparkline {
  if (values.length === 0) return { points: '', area: '', max: 0 };
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const y = (v: number) => (max > 0 ? height - pad - (v / max) * (height - 2 * pad) : height - pad);
  const round = (n: number) => Math.round(n * 10) / 10;
  const coords = values.map((v, i) => `${round(pad + i * step)},${round(y(v))}`);
  if (values.length === 1) coords.push(`${round(width - pad)},${round(y(values[0]))}`);
  const first = coords[0].split(',')[0];
  const last = coords[coords.length - 1].split(',')[0];
  return {
    points: coords.join(' '),
    area: `${first},${height - pad} ${coords.join(' ')} ${last},${height - pad}`,
    max,
  };
}

/**
 * Days of the period with their values, days without usage counted 0 (the API may leave them
 * out), so the line's x axis is time and not "the days that had usage".
 */
export function dailySeries<T extends { t: string }>(
  points: readonly T[],
  from: string,
  days: number,
  value: (point: T) => number,
): { day: string; value: number }[] {
  const byDay = new Map<string, number>();
  for (const p of points) byDay.set(p.t.slice(0, 10), (byDay.get(p.t.slice(0, 10)) ?? 0) + value(p));
  const start = Date.parse(`${from}T00:00:00.000Z`);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    return { day, value: byDay.get(day) ?? 0 };
  });
}
