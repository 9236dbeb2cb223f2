// Which of X-Ray's failure classes a failed span is in, for formats that only say "error": the HTTP
// status decides, as X-Ray's own SDKs do (429 throttle, 5xx fault, anything else an error).
import type { Attributes, ErrorClass } from '../model';

/** The response status of an HTTP span, under the current or the pre-1.21 semantic convention name. */
export function httpStatusCode(attributes: Attributes): number | undefined {
  const value = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const code = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(code) ? code : undefined;
}

export function errorClassOf(attributes: Attributes): ErrorClass {
  const code = httpStatusCode(attributes);
  if (code === 429) return 'throttle';
  if (code !== undefined && code >= 500 && code < 600) return 'fault';
  return 'error';
}
