// The floor: Middy with a no-op `after`.
import middy from '@middy/core';

export const handler = middy(async () => ({ statusCode: 200, body: 'ok' })).after(() => {});
