import { S3Client } from '@aws-sdk/client-s3';
import { defaults } from '../../src/spill/options.js';
import { s3Spill, SpillConfigurationError } from 'lambda-s3-spill';
import { resolveOptions } from '../../src/spill/options.js';
import { recordingLogger } from '../support/events.js';

describe('options', () => {
  it('takes an option given as undefined as its default (Middy convention)', () => {
    const resolved = resolveOptions({ bucket: 'b-spill', expiresIn: undefined, maxBytes: undefined, compress: undefined }, {});
    expect(resolved).toMatchObject({ expiresIn: 300, compress: true });
    expect(() => s3Spill({ bucket: 'b-spill', expiresIn: undefined, timeoutEarlyInMillis: undefined })).not.toThrow();
  });

  it('keeps defaults from being changed from outside', () => {
    expect(Object.isFrozen(defaults)).toBe(true);
    expect(() => {
      (defaults as { expiresIn: number }).expiresIn = 86_400;
    }).toThrow(TypeError);
  });

  it('reads the bucket and key prefix from the environment', () => {
    const resolved = resolveOptions({}, { S3_SPILL_BUCKET: 'env-bucket', S3_SPILL_PREFIX: 'big/' });
    expect(resolved).toMatchObject({ bucket: 'env-bucket', keyPrefix: 'big/', expiresIn: 300 });
    expect(resolveOptions({}, { S3_SPILL_BUCKET: 'bkt' }).keyPrefix).toBe('spill/');
    expect(resolveOptions({ bucket: 'opt', keyPrefix: 'p/' }, { S3_SPILL_BUCKET: 'env' })).toMatchObject({
      bucket: 'opt',
      keyPrefix: 'p/',
    });
  });

  it('throws SpillConfigurationError at creation when there is no bucket', () => {
    expect(() => resolveOptions({}, {})).toThrow(SpillConfigurationError);
    expect(() => resolveOptions({}, {})).toThrow(/S3_SPILL_BUCKET/);
  });

  it.each([
    [{ expiresIn: 0 }, 'expiresIn'],
    [{ expiresIn: 604_801 }, 'expiresIn'],
    [{ expiresIn: 1.5 }, 'expiresIn'],
    [{ expiresIn: '300' }, 'expiresIn'],
    [{ maxBytes: -1 }, 'maxBytes'],
    [{ maxBytes: Number.NaN }, 'maxBytes'],
    [{ keyPrefix: '/spill/' }, 'keyPrefix'],
    [{ keyPrefix: 'a/../b/' }, 'keyPrefix'],
    [{ keyPrefix: 7 }, 'keyPrefix'],
    [{ key: 'fixed' }, 'key'],
    [{ s3Client: {} }, 's3Client'],
    [{ logger: {} }, 'logger'],
    [{ timeoutEarlyInMillis: -5 }, 'timeoutEarlyInMillis'],
    [{ partSize: 1024 }, 'partSize'],
    [{ queueSize: 0 }, 'queueSize'],
    [{ putObjectParams: null }, 'putObjectParams'],
    [{ bucket: 'Not_A_Bucket' }, 'bucket'],
    [{ signingClient: {} }, 'signingClient'],
    [{ presign: 'https://x' }, 'presign'],
    [{ reference: 'yes' }, 'reference'],
    [{ alwaysSpill: 1 }, 'alwaysSpill'],
    [{ storageClass: 3 }, 'storageClass'],
  ])('rejects %j with a TypeError naming %s', (options, name) => {
    expect(() => s3Spill({ bucket: 'spill-bucket', ...(options as object) })).toThrow(TypeError);
    expect(() => s3Spill({ bucket: 'spill-bucket', ...(options as object) })).toThrow(name);
  });

  it('accepts the bounds of expiresIn and warns above one hour', () => {
    const log = recordingLogger();
    s3Spill({ bucket: 'spill-bucket', expiresIn: 1, logger: log.logger });
    s3Spill({ bucket: 'spill-bucket', expiresIn: 3600, logger: log.logger });
    expect(log.lines).toHaveLength(0);
    s3Spill({ bucket: 'spill-bucket', expiresIn: 604_800, logger: log.logger, s3Client: new S3Client({ region: 'us-east-1' }) });
    expect(log.lines).toEqual([{ level: 'warn', args: [expect.stringContaining('604800')] }]);
  });

  it('lists every option in defaults (the Middy convention)', () => {
    expect(Object.keys(defaults).sort()).toEqual(
      [
        'bucket',
        'expiresIn',
        'key',
        'keyPrefix',
        'logger',
        'metrics',
        'warnAtBytes',
        'maxBytes',
        'multipartThreshold',
        'partSize',
        'putObjectParams',
        'queueSize',
        's3Client',
        'timeoutEarlyInMillis',
        'signingClient',
        'presign',
        'reference',
        'alwaysSpill',
        'serverSideEncryption',
        'sseKmsKeyId',
        'bucketKeyEnabled',
        'storageClass',
        'metadata',
        'tags',
        'contentDisposition',
        'compress',
        'compressibleTypes',
        'encodings',
        'compressInlineOnRestApi',
        'reuse',
        'lifecycleDays',
        'streamSpillBytes',
        'streaming',
        'integrationTimeoutInMillis',
      ].sort(),
    );
  });
});
