/**
 * The serdes types of the AWS Durable Execution SDK for JavaScript
 * (`@aws/durable-execution-sdk-js`, `src/utils/serdes/serdes.ts`), written
 * here so that the SDK stays a development dependency: `s3Serdes` needs its
 * types only, never its code. A test keeps them assignable to the SDK's.
 *
 * @module types/durable
 */

/** What the SDK passes to `serialize` and `deserialize`: which step of which execution. */
export interface DurableSerdesContext {
  /** The step's (or child context's) id in its execution: a counter, stable across replays. */
  readonly entityId: string;
  /** ARN of the durable execution (locally, a bare UUID). */
  readonly durableExecutionArn: string;
}

/**
 * A durable function serdes: the string `serialize` returns is the checkpoint
 * payload, exactly; `deserialize` gets it back on replay.
 */
export interface DurableSerdes<T> {
  /** The checkpoint payload for `value` (`undefined` stays `undefined`). */
  serialize: (value: T | undefined, context: DurableSerdesContext) => Promise<string | undefined>;
  /** The value back from its checkpoint payload. */
  deserialize: (data: string | undefined, context: DurableSerdesContext) => Promise<T | undefined>;
}
