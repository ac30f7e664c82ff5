/** Reading what an error says to the logs: its message and the messages down its `cause` chain. */

/** The client-safe message of a configuration problem or an invalid response. */
export const GENERIC_MESSAGE = 'The server could not send this response';

/** The message of an error and of each `cause` below it, joined with ` <- `. */
export function detailOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    parts.push(String((current as { message?: unknown }).message ?? current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' <- ');
}
