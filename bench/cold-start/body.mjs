// The handler's answer: a small body, or (`?spill`) a 7 MB one, over Lambda's 6 MiB + 100 bytes.
export const body = (event) => (event.rawQueryString === 'spill' ? 'x'.repeat(7_000_000) : 'ok');
export const answer = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: body(event) });
