// Summary statistics for benchmark samples: median with min–max, and nearest-rank percentiles.

/** The p-th percentile (0–100) of `values` by nearest rank; NaN for no values. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median (the mean of the middle two for an even count); NaN for no values. */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, n, samples }` of one figure measured once per run. */
export function summarize(samples) {
  const finite = samples.filter((v) => Number.isFinite(v));
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
    n: finite.length,
    samples: finite,
  };
}

/** A number with about three significant digits, grouped in thousands (`1,234`, `12.3`, `0.456`). */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)`, or just the value when there is a single sample. */
export function formatSummary(summary) {
  if (!summary || summary.n === 0) return '–';
  if (summary.n === 1 || summary.min === summary.max) return formatNumber(summary.median);
  return `${formatNumber(summary.median)} (${formatNumber(summary.min)}–${formatNumber(summary.max)})`;
}

/**
 * How many times better duraflow is than the official SDK on one figure (> 1: duraflow is better),
 * from the medians. `better` says whether higher or lower values are better.
 */
export function advantage(ours, official, better) {
  if (!ours || !official || !(ours.median > 0) || !(official.median > 0)) return Number.NaN;
  return better === 'higher' ? ours.median / official.median : official.median / ours.median;
}
