/**
 * CDK: a producer and a consumer of large SQS messages on one SpillBucket,
 * with the queue and its dead-letter queue. samples/sam/messages.yaml is the same in SAM.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SpillBucket } from 'lambda-s3-spill/cdk';

export function wireLargeMessages(scope: Construct, producer: lambda.Function, consumer: lambda.Function): SpillBucket {
  const deadLetterRetention = Duration.days(14);
  const deadLetterQueue = new sqs.Queue(scope, 'OrdersDlq', { retentionPeriod: deadLetterRetention, enforceSSL: true });
  const queue = new sqs.Queue(scope, 'Orders', {
    retentionPeriod: Duration.days(14),
    visibilityTimeout: Duration.minutes(3),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
    enforceSSL: true,
  });
  // Bodies expire after 14 days (the queue's longest retention) plus the dead-letter queue's: 28 days.
  const spill = new SpillBucket(scope, 'Spill', { messages: { deadLetterRetention } });

  spill.grantMessagesWrite(producer);
  queue.grantSendMessages(producer);
  producer.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
  producer.addEnvironment('S3_MESSAGES_PREFIX', spill.messagesPrefix!);
  producer.addEnvironment('ORDERS_QUEUE_URL', queue.queueUrl);

  spill.grantMessagesRead(consumer); // with s3:DeleteObject: deleteAfterUse is on by default
  consumer.addEnvironment('S3_SPILL_BUCKET', spill.bucket.bucketName);
  consumer.addEventSource(new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  return spill;
}
