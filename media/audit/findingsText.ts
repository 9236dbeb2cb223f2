// How the Insights & detections tab writes rates, spans of time and shares: plain functions of
// numbers, so they read the same in every row and can be tested without a page.

const pad = (n: number) => String(n).padStart(2, '0');

/** "0.40", "12.5", "1,204": two significant decimals for small rates, fewer as they grow. */
export function rate(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en');
}

/** "/min", "/5 min", "/30 s": the bucket an insight's averages are per. */
export function perBucket(bucketMs: number): string {
  if (bucketMs === 60_000) return '/min';
  return bucketMs % 60_000 === 0 ? `/${bucketMs / 60_000} min` : `/${bucketMs / 1000} s`;
}

/** How many times the baseline an insight ran at: "×106", "×2.5"; "from zero" when the baseline had none. */
export function ratio(baseline: number, observed: number): string {
  if (!(baseline > 0)) return 'from zero';
  const times = observed / baseline;
  return times < 10 ? `×${times.toFixed(1)}` : `×${Math.round(times).toLocaleString('en')}`;
}

/** "45 s", "10 min", "2 h 5 min", "3 days". */
export function duration(ms: number): string {
  if (!(ms > 0)) return '0 s';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** "2026-11-21 13:00": a local time to the minute. */
export function localMinute(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-21 13:00 – 13:10 (10 min)", with the end's date when it is another day; "… – ongoing". */
export function timeSpan(start: number, end: number, ongoing: boolean): string {
  const from = localMinute(start);
  if (ongoing) return `${from} – ongoing`;
  const to = localMinute(end);
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return `${from} – ${sameDay ? to.slice(11) : to} (${duration(end - start)})`;
}

/** "85%", "<1%". */
export function share(part: number): string {
  if (!(part > 0)) return '0%';
  const value = Math.round(part * 100);
  return value < 1 ? '<1%' : `${value}%`;
}

/** "3 events", "1 event". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}
