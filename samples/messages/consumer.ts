/**
 * SQS consumer with the Middy middleware: every large message of the batch is
 * resolved before the handler runs; each object is deleted after the handler
 * succeeded, except those of the records it reports in `batchItemFailures`.
 */
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { largeMessages } from 'lambda-s3-spill/messages';

const processOrders = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      JSON.parse(record.body); // the whole order, however large it was
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

// The bucket comes from S3_SPILL_BUCKET.
export const handler = middy(processOrders).use(largeMessages());
