// Ticks for the timeline's time axis: a "nice" step (1, 2 or 5 × 10^k ms) giving about `target`
// ticks across the window shown, labelled in the unit that step calls for.

export interface Tick {
  ms: number;
  /** Position across the window, 0..1. */
  at: number;
  label: string;
}

export function niceStep(spanMs: number, target: number): number {
  if (!(spanMs > 0)) return 1;
  const raw = spanMs / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  const nice = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  return nice * power;
}

export function ticks(fromMs: number, toMs: number, target = 6): Tick[] {
  const span = toMs - fromMs;
  if (!(span > 0)) return [{ ms: fromMs, at: 0, label: tickLabel(fromMs, 1) }];
  const step = niceStep(span, target);
  const result: Tick[] = [];
  for (let ms = Math.ceil(fromMs / step) * step; ms <= toMs + step * 1e-9; ms += step) {
    result.push({ ms, at: (ms - fromMs) / span, label: tickLabel(ms, step) });
  }
  return result;
}

/** A tick value in µs, ms or s, with only as many decimals as the step needs. */
export function tickLabel(ms: number, step: number): string {
  if (ms === 0) return '0';
  const decimals = (value: number) => Math.max(0, Math.min(6, -Math.floor(Math.log10(value) + 1e-9)));
  if (step < 1) {
    const us = ms * 1000;
    return `${trim(us.toFixed(decimals(step * 1000)))} µs`;
  }
  if (step < 1000) return `${trim(ms.toFixed(decimals(step)))} ms`;
  return `${trim((ms / 1000).toFixed(decimals(step / 1000)))} s`;
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
