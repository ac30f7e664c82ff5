// A sample handler for `lambda-s3-spill dev` (JavaScript, ESM): answers with the event it received,
// in the shape of the front door it came through, so each front door's event can be checked.
export async function handler(event) {
  const body = JSON.stringify({
    event,
    env: { bucket: process.env.S3_SPILL_BUCKET, endpoint: process.env.AWS_ENDPOINT_URL_S3, dev: process.env.LAMBDA_S3_SPILL_DEV },
  });
  const headers = { 'Content-Type': 'application/json', 'X-Echo': 'yes' };
  if (event.version === '2.0') return { statusCode: 200, headers, cookies: ['a=1', 'b=2'], body };
  if (event.requestContext?.elb !== undefined && event.multiValueHeaders !== undefined) {
    return { statusCode: 200, statusDescription: '200 OK', multiValueHeaders: { 'Content-Type': ['application/json'], 'X-Echo': ['yes', 'again'] }, body, isBase64Encoded: false };
  }
  return { statusCode: 200, headers, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body, isBase64Encoded: false };
}

/** Not a function: `lambda-s3-spill dev samples/dev/echo.mjs#notAFunction` must say so. */
export const notAFunction = 42;

/** The size of the event as Lambda counts it (UTF-8 bytes of its JSON), for the request-limit boundary. */
export async function size(event) {
  return { statusCode: 200, body: String(Buffer.byteLength(JSON.stringify(event), 'utf8')) };
}

/** A bare string result whose serialized JSON is `?bytes=N` bytes (the two quotes count), for the response-limit boundary. */
export async function sized(event) {
  return 'a'.repeat(Number(event.queryStringParameters.bytes) - 2);
}
