import { describeRequest, maxBytesFor } from 'lambda-s3-spill';
import { eventOf } from '../support/events.js';

describe('describeRequest', () => {
  it.each([
    ['rest-v1', 'rest-v1', false, 6_291_556],
    ['http-v2', 'http-v2', false, 6_291_556],
    ['function-url', 'function-url', false, 6_291_556],
    ['alb', 'alb', false, 1_048_576],
    ['alb-multi-value', 'alb', true, 1_048_576],
  ] as const)('reads a %s event', (kind, frontDoor, multiValueHeaders, limit) => {
    const info = describeRequest(eventOf(kind, 'post'));
    expect(info).toEqual({ frontDoor, method: 'POST', multiValueHeaders });
    expect(maxBytesFor(info.frontDoor)).toBe(limit);
  });

  it('reads an HTTP API payload format 1.0 event as v1', () => {
    expect(describeRequest({ version: '1.0', httpMethod: 'GET', requestContext: {} }).frontDoor).toBe('rest-v1');
  });

  it.each([[undefined], [null], ['text'], [{ Records: [] }], [{ requestContext: null }], [{ detail: {}, source: 'x' }]])(
    'treats %j as not HTTP',
    (event) => {
      expect(describeRequest(event).frontDoor).toBe('unknown');
    },
  );
});
