/**
 * The one option resolver: every utility refuses an unknown option with a
 * TypeError naming it and the closest known option, where it used to be ignored.
 */
import { s3SpillValidateOptions, withS3Spill } from 'lambda-s3-spill';
import { resolveOffloaded, s3OffloadValidateOptions } from 'lambda-s3-spill/offload';
import { createUpload, resolveUploads, s3UploadsValidateOptions } from 'lambda-s3-spill/uploads';
import { largeMessages, largeMessagesPlugin, resolveLargeMessage } from 'lambda-s3-spill/messages';
import { closestOption, mergeOptions } from '../../src/options/resolve.js';

it('refuses a misspelt spill option, naming the closest one', () => {
  expect(() => s3SpillValidateOptions({ bukcet: 'x' } as never)).toThrow(TypeError);
  expect(() => s3SpillValidateOptions({ bukcet: 'x' } as never)).toThrow(/'bukcet'.*'bucket'/);
  expect(() => withS3Spill(async () => undefined, { bucket: 'b-1', expiresin: 60 } as never)).toThrow(/'expiresin'.*'expiresIn'/);
});

it('refuses a misspelt offload option, for each door', async () => {
  expect(() => s3OffloadValidateOptions({ bucket: 'b-1', maxbytes: 2048 } as never)).toThrow(/'maxbytes'.*'maxBytes'/);
  await expect(resolveOffloaded({}, { bucket: 'b-1', keyPrefx: 'x/' } as never)).rejects.toThrow(/'keyPrefx'.*'keyPrefix'/);
});

it('refuses a misspelt uploads option, for each door', async () => {
  expect(() => s3UploadsValidateOptions({ bucket: 'b-1', maxBytes: 1, deleteAftr: true } as never)).toThrow(/'deleteAftr'.*'deleteAfter'/);
  await expect(createUpload({ bucket: 'b-1', maxBytes: 1, contenType: 'image/*' } as never)).rejects.toThrow(/'contenType'.*'contentType'/);
  await expect(resolveUploads({}, { bucket: 'b-1', maxBytes: 1, acept: 'field' } as never)).rejects.toThrow(/'acept'.*'accept'/);
});

it('refuses a misspelt messages option, for each door', async () => {
  expect(() => largeMessagesPlugin({ bucket: 'b-1', treshold: 262_144 } as never)).toThrow(/'treshold'.*'threshold'/);
  expect(() => largeMessages({ bucket: 'b-1', allowedBucket: ['b-1'] } as never)).toThrow(/'allowedBucket'.*'allowedBuckets'/);
  await expect(resolveLargeMessage({}, { bucket: 'b-1', deleteAfterUSE: false } as never)).rejects.toThrow(/'deleteAfterUSE'.*'deleteAfterUse'/);
});

it('names no closest option when none is near, and keeps accepting undefined as the default', () => {
  expect(() => s3SpillValidateOptions({ bucket: 'b-1', somethingElse: 1 } as never)).toThrow(/^s3Spill has no option 'somethingElse'$/);
  expect(closestOption('colour', ['bucket', 'keyPrefix'])).toBeUndefined();
  expect(closestOption('keyprefix', ['bucket', 'keyPrefix'])).toBe('keyPrefix');
  expect(mergeOptions({ a: undefined }, Object.freeze({ a: 1, b: 2 }), 'door')).toEqual({ a: 1, b: 2 });
  expect(() => mergeOptions([], {}, 'door')).toThrow(/door options must be an object/);
});
