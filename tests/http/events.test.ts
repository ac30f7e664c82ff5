import { describeRequest } from '../../src/http/events.js';
import { responseMaxBytes } from '../../src/limits.js';
import { eventOf } from '../support/events.js';

describe('describeRequest', () => {
  it.each([
    ['rest-v1', 'rest-v1', false, 6_291_556],
    ['http-v2', 'http-v2', false, 6_291_556],
    ['function-url', 'function-url', false, 6_291_556],
    ['alb', 'alb', false, 1_000_000],
    ['alb-multi-value', 'alb', true, 1_000_000],
  ] as const)('reads a %s event', (kind, frontDoor, multiValueHeaders, limit) => {
    const info = describeRequest(eventOf(kind, 'post'));
    expect(info).toEqual({ frontDoor, method: 'POST', multiValueHeaders, arrivedAt: undefined });
    expect(responseMaxBytes(info.frontDoor)).toBe(limit);
  });

  it('tells an HTTP API payload format 1.0 event (version 1.0) from a REST API event (no version)', () => {
    expect(describeRequest({ version: '1.0', httpMethod: 'GET', requestContext: {} }).frontDoor).toBe('http-v1');
    expect(describeRequest({ httpMethod: 'GET', requestContext: {} }).frontDoor).toBe('rest-v1');
  });

  it('reads when API Gateway received the request (payload 1.0 requestTimeEpoch, 2.0 timeEpoch)', () => {
    expect(describeRequest({ httpMethod: 'GET', requestContext: { requestTimeEpoch: 1_700_000_000_000 } }).arrivedAt).toBe(
      1_700_000_000_000,
    );
    expect(
      describeRequest({ version: '2.0', requestContext: { http: { method: 'GET' }, timeEpoch: 1_700_000_000_001 } }).arrivedAt,
    ).toBe(1_700_000_000_001);
    expect(describeRequest({ requestContext: { elb: {} }, httpMethod: 'GET' }).arrivedAt).toBeUndefined();
  });

  it.each([
    ['an HTTP API 2.0 authorizer', { version: '2.0', type: 'REQUEST', routeArn: 'arn:r', requestContext: { http: { method: 'GET' } } }],
    ['an HTTP API 1.0 authorizer', { version: '1.0', type: 'REQUEST', methodArn: 'arn:m', httpMethod: 'GET', requestContext: {} }],
    ['a REST REQUEST authorizer', { type: 'REQUEST', methodArn: 'arn:m', httpMethod: 'GET', requestContext: {} }],
    ['a REST TOKEN authorizer', { type: 'TOKEN', methodArn: 'arn:m', authorizationToken: 'x' }],
  ])('treats %s event as not HTTP', (_name, event) => {
    expect(describeRequest(event).frontDoor).toBe('unknown');
  });

  it.each([[undefined], [null], ['text'], [{ Records: [] }], [{ requestContext: null }], [{ detail: {}, source: 'x' }]])(
    'treats %j as not HTTP',
    (event) => {
      expect(describeRequest(event).frontDoor).toBe('unknown');
    },
  );
});
