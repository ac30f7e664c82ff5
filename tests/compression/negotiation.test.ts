/** Accept-Encoding negotiation (q-values, identity, *, no header) and the compressible media types. */
import { checkTypePatterns, isCompressibleType, mediaTypeOf } from '../../src/compression/media-types.js';
import { COMPRESSIBLE_TYPES } from '../../src/compression/media-types.js';
import { negotiateEncoding } from '../../src/compression/choose-coding.js';

const ALL = ['zstd', 'br', 'gzip'] as const;
const NO_ZSTD = ['br', 'gzip'] as const;

describe('negotiateEncoding', () => {
  it.each<[string | undefined, string | undefined]>([
    // No header, an empty one: no compression.
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
    // One coding.
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['zstd', 'zstd'],
    ['GZIP', 'gzip'],
    // Equal weights: the server's order (zstd, br, gzip).
    ['gzip, br', 'br'],
    ['gzip, deflate, br, zstd', 'zstd'],
    ['deflate, gzip, br, zstd', 'zstd'],
    [' gzip ; q=0.5 , br ', 'br'],
    // q-values decide over the server's order.
    ['gzip;q=1.0, br;q=0.5', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['zstd;q=0.1, br;q=0.2, gzip;q=0.3', 'gzip'],
    ['gzip;q=0.001', 'gzip'],
    // q=0 refuses.
    ['gzip;q=0', undefined],
    ['zstd;q=0, br', 'br'],
    // identity.
    ['identity', undefined],
    ['identity;q=1, gzip;q=0.5', undefined],
    ['gzip, identity;q=0.5', 'gzip'],
    ['identity;q=0', undefined],
    ['identity;q=0, gzip', 'gzip'],
    // *.
    ['*', 'zstd'],
    ['br;q=0, *', 'zstd'],
    ['zstd;q=0, br;q=0, *', 'gzip'],
    ['*;q=0', undefined],
    ['*;q=0, gzip', 'gzip'],
    ['identity, *;q=0.5', undefined],
    // Codings not offered.
    ['deflate', undefined],
    ['x-gzip, compress', undefined],
  ])('Accept-Encoding %j → %j', (header, expected) => {
    expect(negotiateEncoding(header, ALL)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['zstd', undefined],
    ['*', 'br'],
    ['zstd, gzip', 'gzip'],
  ])('without zstd in the runtime: %j → %j', (header, expected) => {
    expect(negotiateEncoding(header, NO_ZSTD)).toBe(expected);
  });

  it('offers nothing when no coding is offered', () => {
    expect(negotiateEncoding('gzip, br', [])).toBeUndefined();
  });
});

describe('compressible media types', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/geo+json',
    'application/ld+json',
    'application/problem+json',
    'text/csv',
    'text/html; charset=utf-8',
    'text/plain',
    'application/xml',
    'image/svg+xml',
    'application/atom+xml',
    'application/javascript',
    'application/x-ndjson',
  ])('compresses %s', (type) => {
    expect(isCompressibleType(type)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'image/png',
    'image/jpeg',
    'image/webp',
    'video/mp4',
    'audio/mpeg',
    'application/zip',
    'application/gzip',
    'application/zstd',
    'application/x-7z-compressed',
    'application/pdf',
    'application/octet-stream',
    'font/woff2',
    'text/event-stream',
  ])('does not compress %s', (type) => {
    expect(isCompressibleType(type)).toBe(false);
  });

  it('takes a list of its own, with exclusions that win', () => {
    const patterns = ['application/octet-stream', 'text/*', '!text/csv'];
    expect(isCompressibleType('application/octet-stream', patterns)).toBe(true);
    expect(isCompressibleType('text/plain', patterns)).toBe(true);
    expect(isCompressibleType('text/csv', patterns)).toBe(false);
    expect(isCompressibleType('application/json', patterns)).toBe(false);
    expect(isCompressibleType('application/json', [...COMPRESSIBLE_TYPES, '!application/json'])).toBe(false);
  });

  it('takes a predicate of the media type (lower case, no parameters)', () => {
    const seen: string[] = [];
    const predicate = (type: string) => {
      seen.push(type);
      return type === 'application/x-custom';
    };
    expect(isCompressibleType('Application/X-Custom; v=1', predicate)).toBe(true);
    expect(isCompressibleType('image/png', predicate)).toBe(false);
    expect(seen).toEqual(['application/x-custom', 'image/png']);
  });

  it('reads the media type of a Content-Type', () => {
    expect(mediaTypeOf(' Text/HTML ; charset=UTF-8')).toBe('text/html');
    expect(mediaTypeOf(';x')).toBeUndefined();
  });

  it('rejects patterns that are not media type patterns', () => {
    expect(() => checkTypePatterns(COMPRESSIBLE_TYPES)).not.toThrow();
    expect(() => checkTypePatterns(() => true)).not.toThrow();
    for (const bad of ['json', 'application/', '*/json*', 'text/*;q=1', 42]) {
      expect(() => checkTypePatterns([bad])).toThrow(TypeError);
    }
    expect(() => checkTypePatterns('text/*')).toThrow(/compressibleTypes/);
  });
});
