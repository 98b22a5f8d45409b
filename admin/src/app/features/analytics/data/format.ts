/** Number formats of the analytics console, apart from the charts so light pieces stay light. */

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 4,
});

/** Dollars with cents (sub-cent amounts keep four decimals so they do not show as $0.00). */
export function formatUsd(value: number): string {
  return value !== 0 && Math.abs(value) < 0.01 ? usdSmall.format(value) : usd.format(value);
}

const percent = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A share in percent with at most one decimal, "85" or "85.5"; a budget without a limit has none (0). */
export function formatPercent(value: number | null): string {
  return percent.format(value ?? 0);
}
