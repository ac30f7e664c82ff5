/** The X-S3-Spill response header and per-request switches. */
import { checkFlag } from '../../src/options/per-request.js';
import { parseSpillControl, takeSpillControl } from '../../src/spill/spill-control.js';
import { decideFlag, checkFlag as checkFlagOption } from '../../src/options/per-request.js';
import { SpillConfigurationError } from '../../src/errors/base.js';
import type { MiddyLikeRequest } from '../../src/types/middy.js';
import { context } from '../support/events.js';

describe('parseSpillControl', () => {
  it.each<[string, object]>([
    ['off', { spill: false, compress: false }],
    ['OFF', { spill: false, compress: false }],
    ['no-spill', { spill: false }],
    ['no-compress', { compress: false }],
    ['compress', { compress: true }],
    ['no-reuse', { reuse: false }],
    ['reuse', { reuse: true }],
    ['always', { always: true, spill: true }],
    ['no-compress, reuse', { compress: false, reuse: true }],
    ['off, compress', { spill: false, compress: true }],
    [' , ', {}],
  ])('%j → %j', (value, control) => {
    expect(parseSpillControl(value)).toEqual({ control, unknown: [] });
  });

  it('returns the tokens it does not know, printable and short, for the log', () => {
    expect(parseSpillControl('no-compres, reuse, \u0000x').unknown).toEqual(['no-compres', '?x']);
    expect(parseSpillControl('__proto__, constructor').unknown).toEqual(['__proto__', 'constructor']);
  });
});

describe('takeSpillControl', () => {
  it('returns the same object when the header is absent', () => {
    const result = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'x' };
    expect(takeSpillControl(result)).toEqual({ value: undefined, result });
    expect(takeSpillControl(result).result).toBe(result);
  });

  it('removes it in any casing from headers and multiValueHeaders, without touching the original', () => {
    const result = {
      statusCode: 200,
      headers: { 'X-S3-Spill': 'no-compress', Vary: 'Origin' },
      multiValueHeaders: { 'x-s3-spill': ['reuse', 'no-reuse'], 'Set-Cookie': ['a=1'] },
      body: 'x',
    };
    const taken = takeSpillControl(result);
    expect(taken.value).toBe('reuse, no-reuse');
    expect(taken.result).toEqual({ statusCode: 200, headers: { Vary: 'Origin' }, multiValueHeaders: { 'Set-Cookie': ['a=1'] }, body: 'x' });
    expect(result.headers['X-S3-Spill']).toBe('no-compress');
  });

  it('reads headers alone', () => {
    expect(takeSpillControl({ statusCode: 200, headers: { 'x-S3-SPILL': 'off' } })).toEqual({
      value: 'off',
      result: { statusCode: 200, headers: {} },
    });
  });
});

describe('decideFlag', () => {
  const request: MiddyLikeRequest = { event: { rawPath: '/reports' }, context, response: undefined };
  it('takes the header first, then the option', () => {
    expect(decideFlag('compress', false, true, request)).toBe(false);
    expect(decideFlag('compress', true, false, request)).toBe(true);
    expect(decideFlag('compress', undefined, true, request)).toBe(true);
    expect(decideFlag('compress', undefined, (r) => r.event.rawPath === '/reports', request)).toBe(true);
    expect(decideFlag('compress', undefined, (r) => r.event.rawPath === '/other', request)).toBe(false);
  });

  it('turns a function that throws or answers a non-boolean into a SpillConfigurationError with the cause', () => {
    const boom = new Error('boom');
    const thrown = (() => {
      try {
        decideFlag('compress', undefined, () => { throw boom; }, request);
      } catch (error) {
        return error as SpillConfigurationError;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(SpillConfigurationError);
    expect((thrown!.cause as Error).message).toBe('The compress function threw');
    expect((thrown!.cause as Error).cause).toBe(boom);
    expect(() => decideFlag('reuse', undefined, (() => 'yes') as unknown as () => boolean, request)).toThrow(SpillConfigurationError);
  });

  it('checks the options', () => {
    expect(() => checkFlagOption('reuse', 'yes')).toThrow(/reuse must be a boolean or a function/);
    expect(() => checkFlagOption('reuse', () => true)).not.toThrow();
  });
});
