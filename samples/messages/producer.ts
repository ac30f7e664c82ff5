/**
 * A producer: the SQS and SNS clients with the plugin. `send()` stores what is
 * too large in S3 and sends the pointer; the rest goes as it is.
 */
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { largeMessagesPlugin, SNS_MESSAGE_MAX_BYTES, SQS_MESSAGE_MAX_BYTES } from 'lambda-s3-spill/messages';

const bucket = process.env.S3_SPILL_BUCKET!;

// This queue's MaximumMessageSize is 1,048,576 (the default since August 2025): use all of it.
const sqs = new SQSClient({});
sqs.middlewareStack.use(largeMessagesPlugin({ bucket, threshold: SQS_MESSAGE_MAX_BYTES }));

// SNS stays at 262,144: the plugin's default threshold.
const sns = new SNSClient({});
sns.middlewareStack.use(largeMessagesPlugin({ bucket, threshold: SNS_MESSAGE_MAX_BYTES }));

export async function sendOrder(order: unknown): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ORDERS_QUEUE_URL, MessageBody: JSON.stringify(order) }));
}

export async function announce(order: unknown): Promise<void> {
  await sns.send(new PublishCommand({ TopicArn: process.env.ORDERS_TOPIC_ARN, Message: JSON.stringify(order) }));
}

/** The Lambda entry of samples/sam/messages.yaml: queue the order it is given, however large. */
export const handler = async (event: { order: unknown }): Promise<void> => sendOrder(event.order);
