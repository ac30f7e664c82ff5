/** A request without an upload reference makes no S3 client: the SDK loads with the first reference, not before. */
import { resolveUploads } from 'lambda-s3-spill/uploads';
import { defaultS3ClientsCreated } from '../../src/s3/client.js';
import { uploadEvent } from '../support/uploads.js';

it('resolves a request without references without making a client', async () => {
  const event = uploadEvent('{"a":1}');
  expect(await resolveUploads(event, { bucket: 'b-1', maxBytes: 1 })).toBe(event);
  expect(defaultS3ClientsCreated()).toBe(0);
});
