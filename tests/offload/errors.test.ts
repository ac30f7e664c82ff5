/** The offload errors: exported, named, one family under S3SpillError, `(message, options)` with a cause. */
import { S3SpillError } from 'lambda-s3-spill';
import { OffloadIntegrityError, OffloadLoadError, OffloadReferenceError, OffloadStoreError, OffloadTimeoutError, S3OffloadError } from 'lambda-s3-spill/offload';

it.each([
  [OffloadReferenceError, 400],
  [OffloadIntegrityError, 502],
  [OffloadLoadError, 502],
  [OffloadStoreError, 502],
  [S3OffloadError, 500],
] as const)('%p: its name, status, JSON message and cause', (ErrorClass, statusCode) => {
  const cause = new Error('detail');
  const error = new ErrorClass('generic', { cause });
  expect(error.name).toBe(ErrorClass.name);
  expect(error).toBeInstanceOf(S3OffloadError);
  expect(error).toBeInstanceOf(S3SpillError);
  expect(error.statusCode).toBe(statusCode);
  expect(error.message).toBe('{"message":"generic"}');
  expect(error.cause).toBe(cause);
  expect(error.expose).toBe(true);
});

it('OffloadTimeoutError says its phase and asks for a retry; OffloadLoadError says whether the object is gone', () => {
  const timeout = new OffloadTimeoutError('late', { phase: 'load' });
  expect([timeout.name, timeout.statusCode, timeout.phase, timeout.headers['Retry-After']]).toEqual(['OffloadTimeoutError', 503, 'load', '1']);
  expect(new OffloadLoadError('gone', { notFound: true }).notFound).toBe(true);
  expect(new OffloadLoadError('down').notFound).toBe(false);
});
