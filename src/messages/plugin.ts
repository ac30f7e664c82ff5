/**
 * `largeMessagesPlugin()`: the producer, as an AWS SDK v3 client plugin. Its
 * middleware reads `SendMessage`, `SendMessageBatch`, `Publish` and
 * `PublishBatch` inputs, plans which bodies go through S3, stores them and
 * sends pointers in their place.
 *
 * @module messages/plugin
 */
import { SIZE_ATTRIBUTE, pointerBody } from './format.js';
import { resolvePluginOptions, type LargeMessagesPluginOptions, type ResolvedPluginOptions } from './options.js';
import { planOffload, type PlanMessage } from './plan.js';
import { utf8Bytes, type AttributeValue } from './sizes.js';

/** The part of an AWS SDK v3 middleware stack the plugin uses (`SQSClient.middlewareStack`, `SNSClient.middlewareStack`). */
export interface MiddlewareStackLike {
  /** Add a middleware with its step, priority and name (`MiddlewareStack.add`). */
  add(middleware: unknown, options: unknown): void;
}

/** An AWS SDK v3 plugin (`Pluggable`): `client.middlewareStack.use(plugin)`. */
export interface LargeMessagesPlugin {
  /** Called by `client.middlewareStack.use(plugin)`: adds the middleware to the client's stack. */
  applyToStack(stack: MiddlewareStackLike): void;
}

type Attributes = Record<string, AttributeValue | undefined>;
type Input = Record<string, unknown>;

/** How one command's input holds its messages. */
interface CommandShape {
  /** The batch entries' field, or `undefined` for a single message. */
  readonly entries: string | undefined;
  /** The body's field. */
  readonly body: 'MessageBody' | 'Message';
}

const COMMANDS: Readonly<Record<string, CommandShape>> = {
  SendMessageCommand: { entries: undefined, body: 'MessageBody' },
  SendMessageBatchCommand: { entries: 'Entries', body: 'MessageBody' },
  PublishCommand: { entries: undefined, body: 'Message' },
  PublishBatchCommand: { entries: 'PublishBatchRequestEntries', body: 'Message' },
};

/** The middleware's name in the stack. */
export const LARGE_MESSAGES_MIDDLEWARE_NAME = 'largeMessagesMiddleware';

/**
 * An AWS SDK v3 client plugin for `SQSClient` and `SNSClient` that sends
 * large messages through S3 in the Extended Client format, so a Java or Python
 * Extended Client, Powertools for Java, or {@link largeMessages} reads them.
 *
 * On `SendMessage` and `Publish`, and each entry of `SendMessageBatch` and
 * `PublishBatch`: a message whose size as the service counts it (body UTF-8
 * bytes plus every attribute's name, type and value) is strictly over
 * `threshold`, or every message with `alwaysThroughS3`, has its body stored
 * under `keyPrefix` and replaced by
 * `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":…,"s3Key":…}]`,
 * with the attribute `ExtendedPayloadSize` (`Number`, the body's byte count).
 * In a batch, while the entries still total more than `threshold` (the
 * services' batch limit equals their message limit), the largest go to S3 too.
 * Other commands and messages that fit pass untouched (no S3 call).
 *
 * The middleware runs in the `initialize` step at high priority, before the
 * SQS client's MD5 check, which then checks the pointer it sent.
 *
 * @param options - see {@link LargeMessagesPluginOptions}
 * @returns the plugin: `client.middlewareStack.use(plugin)`
 * @throws TypeError at creation, naming an option of the wrong type or range, or an unknown one
 * @throws LargeMessageConfigurationError at creation, when there is no bucket
 * @throws MessageNotOffloadableError from `send()`, before anything is stored, when a message
 *   that must go through S3 cannot (10 attributes, `MessageStructure: 'json'`, ...)
 * @throws LargeMessageStoreError from `send()`, when S3 failed (nothing was sent)
 * @example
 * ```ts
 * import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
 * import { largeMessagesPlugin } from 'lambda-s3-spill/messages';
 *
 * const sqs = new SQSClient({});
 * sqs.middlewareStack.use(largeMessagesPlugin({ bucket: 'my-spill-bucket', threshold: 262_144 }));
 * await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x'.repeat(300_000) }));
 * ```
 */
export function largeMessagesPlugin(options?: LargeMessagesPluginOptions): LargeMessagesPlugin {
  const resolved = resolvePluginOptions(options);
  const largeMessagesMiddleware =
    (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: Input }): Promise<unknown> => {
      const shape = context.commandName === undefined ? undefined : COMMANDS[context.commandName];
      if (shape === undefined) return next(args);
      const input = await offloadInput(args.input, shape, resolved);
      return next(input === args.input ? args : { ...args, input });
    };
  return {
    applyToStack(stack: MiddlewareStackLike): void {
      stack.add(largeMessagesMiddleware, {
        step: 'initialize',
        priority: 'high',
        name: LARGE_MESSAGES_MIDDLEWARE_NAME,
        tags: ['LARGE_MESSAGES'],
        override: true,
      });
    },
  };
}

/** The input with its large bodies in S3, or the same input when nothing goes. */
async function offloadInput(input: Input, shape: CommandShape, options: ResolvedPluginOptions): Promise<Input> {
  const entries: Input[] | undefined =
    shape.entries === undefined ? [input] : Array.isArray(input[shape.entries]) ? (input[shape.entries] as Input[]) : undefined;
  if (entries === undefined || entries.some((e) => typeof e?.[shape.body] !== 'string')) return input; // the service refuses it
  const messages: PlanMessage[] = entries.map((entry) => ({
    id: shape.entries === undefined ? undefined : String(entry.Id),
    body: entry[shape.body] as string,
    attributes: entry.MessageAttributes as Attributes | undefined,
    jsonStructure: entry.MessageStructure === 'json',
  }));
  const plan = planOffload(messages, {
    threshold: options.threshold,
    alwaysThroughS3: options.alwaysThroughS3,
    batch: shape.entries !== undefined,
    bucket: options.bucket,
    keyPrefix: options.keyPrefix,
  });
  if (plan.offload.size === 0) return input;
  const indexes = [...plan.offload].sort((a, b) => a - b);
  // Loaded at the first offload: a producer whose messages fit never loads the S3 client.
  const { storeBodies } = await import('./store.js');
  const pointers = await storeBodies(
    indexes.map((i) => messages[i]!.body),
    options,
  );
  const rewritten = entries.map((entry, i) => {
    const at = indexes.indexOf(i);
    if (at === -1) return entry;
    const body = messages[i]!.body;
    return {
      ...entry,
      [shape.body]: pointerBody(pointers[at]!),
      MessageAttributes: {
        ...(entry.MessageAttributes as Attributes | undefined),
        [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(utf8Bytes(body)) },
      },
    };
  });
  return shape.entries === undefined ? rewritten[0]! : { ...input, [shape.entries]: rewritten };
}
