/**
 * Reading a request header from any front door's event: `headers` (REST v1 and
 * ALB keep the client's casing, HTTP API v2 lower-cases) or `multiValueHeaders`.
 *
 * @module request-headers
 */

/**
 * The value of a request header, in any casing; several values joined with `, `.
 *
 * @param event - the Lambda event
 * @param name - the header name, lower case
 * @returns the value, or `undefined`
 * @example
 * ```ts
 * import { requestHeader } from 'lambda-s3-spill';
 * requestHeader({ headers: { 'Accept-Encoding': 'gzip' } }, 'accept-encoding'); // 'gzip'
 * ```
 */
export function requestHeader(event: unknown, name: string): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { headers, multiValueHeaders } = event as { headers?: unknown; multiValueHeaders?: unknown };
  if (typeof multiValueHeaders === 'object' && multiValueHeaders !== null) {
    for (const [key, values] of Object.entries(multiValueHeaders)) {
      if (key.toLowerCase() === name && Array.isArray(values) && values.length > 0) return values.join(', ');
    }
  }
  if (typeof headers === 'object' && headers !== null) {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name && typeof value === 'string') return value;
    }
  }
  return undefined;
}
