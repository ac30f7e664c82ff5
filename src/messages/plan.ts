/**
 * Which messages of a `send()` go through S3: a pure decision, made before
 * anything is stored, so a call that cannot be carried out fails whole.
 *
 * @module messages/plan
 */
import { MessageNotOffloadableError } from './errors.js';
import { pointerBody, SIZE_ATTRIBUTE, SIZE_ATTRIBUTES } from './format.js';
import { OFFLOADABLE_ATTRIBUTES_MAX } from './options.js';
import { attributeCount, attributesBytes, messageBytes, utf8Bytes, type AttributeValue } from './sizes.js';

/** One message of a call, as the plan sees it. */
export interface PlanMessage {
  /** The batch entry's `Id`; `undefined` for `SendMessage` and `Publish`. */
  readonly id: string | undefined;
  readonly body: string;
  readonly attributes: Readonly<Record<string, AttributeValue | undefined>> | undefined;
  /** An SNS publish with `MessageStructure: 'json'`. */
  readonly jsonStructure: boolean;
}

/** How to decide. */
export interface PlanSettings {
  readonly threshold: number;
  readonly alwaysThroughS3: boolean;
  /** A batch call: the entries together must stay within `threshold` too. */
  readonly batch: boolean;
  /** The bucket and key prefix, to size the pointer exactly. */
  readonly bucket: string;
  readonly keyPrefix: string;
}

/** The decision: the indexes of the messages to offload, and each message's size as sent. */
export interface OffloadPlan {
  readonly offload: ReadonlySet<number>;
  /** Size of each message as it will be sent (the pointer and attributes for an offloaded one), in bytes. */
  readonly sentBytes: readonly number[];
}

/** Length of the random part of a key (`crypto.randomUUID()`). */
const UUID_LENGTH = 36;

/**
 * Decide which messages go through S3: every message strictly over
 * `threshold` (or all with `alwaysThroughS3`); then, in a batch, the largest
 * remaining ones while the batch is still over `threshold`.
 *
 * @throws MessageNotOffloadableError when a message that must go through S3
 *   cannot (10 attributes, `MessageStructure: 'json'`, a reserved attribute,
 *   attributes alone over the threshold), or a batch cannot be brought under it
 */
export function planOffload(messages: readonly PlanMessage[], settings: PlanSettings): OffloadPlan {
  const pointerBytes = utf8Bytes(pointerBody({ bucket: settings.bucket, key: settings.keyPrefix + 'x'.repeat(UUID_LENGTH) }));
  const inline = messages.map((m) => messageBytes(m.body, m.attributes));
  const offloaded = messages.map(
    (m) =>
      pointerBytes +
      attributesBytes(m.attributes) +
      attributesBytes({ [SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(utf8Bytes(m.body)) } }),
  );
  const offload = new Set<number>();
  messages.forEach((message, index) => {
    if (!settings.alwaysThroughS3 && inline[index]! <= settings.threshold) return;
    const problem = offloadProblem(message, offloaded[index]!, settings.threshold);
    if (problem !== undefined) throw problem;
    offload.add(index);
  });
  const sentBytes = (): number[] => messages.map((_, i) => (offload.has(i) ? offloaded[i]! : inline[i]!));
  if (settings.batch) {
    let total = sentBytes().reduce((a, b) => a + b, 0);
    while (total > settings.threshold) {
      let largest: number | undefined;
      messages.forEach((message, i) => {
        if (offload.has(i) || offloaded[i]! >= inline[i]!) return;
        if (offloadProblem(message, offloaded[i]!, settings.threshold) !== undefined) return;
        if (largest === undefined || inline[i]! > inline[largest]!) largest = i;
      });
      if (largest === undefined) {
        throw new MessageNotOffloadableError(
          `The batch is ${total} bytes, over the threshold of ${settings.threshold}, and no other entry can go through S3`,
          { reason: 'batch-too-large' },
        );
      }
      offload.add(largest);
      total -= inline[largest]! - offloaded[largest]!;
    }
  }
  return { offload, sentBytes: sentBytes() };
}

function offloadProblem(message: PlanMessage, offloadedBytes: number, threshold: number): MessageNotOffloadableError | undefined {
  const entryId = message.id;
  const which = entryId === undefined ? 'The message' : `Entry ${JSON.stringify(entryId)}`;
  if (message.jsonStructure) {
    return new MessageNotOffloadableError(
      `${which} must go through S3 but is published with MessageStructure 'json' (one message per protocol), which a pointer cannot replace`,
      { reason: 'message-structure-json', entryId },
    );
  }
  const reserved = SIZE_ATTRIBUTES.find((name) => message.attributes?.[name] !== undefined);
  if (reserved !== undefined) {
    return new MessageNotOffloadableError(`${which} must go through S3 but already has the reserved attribute ${reserved}`, {
      reason: 'reserved-attribute',
      entryId,
    });
  }
  const count = attributeCount(message.attributes);
  if (count > OFFLOADABLE_ATTRIBUTES_MAX) {
    return new MessageNotOffloadableError(
      `${which} must go through S3 but has ${count} message attributes: the size attribute would exceed the limit of ${OFFLOADABLE_ATTRIBUTES_MAX + 1}`,
      { reason: 'too-many-attributes', entryId },
    );
  }
  if (offloadedBytes > threshold) {
    return new MessageNotOffloadableError(
      `${which} is over the threshold of ${threshold} bytes even with its body in S3 (${offloadedBytes} bytes of pointer and attributes): S3 takes only the body`,
      { reason: 'attributes-too-large', entryId },
    );
  }
  return undefined;
}
