/**
 * SQS consumer with Powertools batch processing: each record is resolved on
 * its own, so a record whose object is missing or refused fails alone (it is
 * reported in `batchItemFailures` and delivered again), and its object is
 * deleted only once that record was processed.
 *
 * Needs the event source mapping's `FunctionResponseTypes: ['ReportBatchItemFailures']`.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { deleteResolved, resolveLargeMessage } from 'lambda-s3-spill/messages';

const processor = new BatchProcessor(EventType.SQS);

/** What the handler did with each order (for the sample's test). */
export const processed: { messageId: string; bytes: number }[] = [];

const recordHandler = async (record: SQSRecord): Promise<void> => {
  // The bucket comes from S3_SPILL_BUCKET in the function's environment.
  const resolved = await resolveLargeMessage(record);
  JSON.parse(resolved.body); // the whole order, however large it was
  processed.push({ messageId: record.messageId, bytes: Buffer.byteLength(resolved.body) });
  await deleteResolved(resolved);
};

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context });
