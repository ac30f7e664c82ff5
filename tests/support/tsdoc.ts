/** What the TSDoc of a source file says, read from its text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Each optional prop (`readonly name?:`) with a TSDoc comment in `file`, and
 * the text of its `@default` tag (`undefined` where it has none).
 *
 * @param file - a path from the project root, e.g. `cdk/offload-props.ts`
 * @param fromInterface - read only from `export interface <fromInterface>` on
 */
export function propDefaults(file: string, fromInterface?: string): Map<string, string | undefined> {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const body = fromInterface === undefined ? source : source.slice(source.indexOf(`export interface ${fromInterface}`));
  // A comment's text stops at its first `*/`: the match is the comment right above the prop.
  return new Map(
    [...body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\?:/g)].map((m) => [m[2], /@default (.*)/.exec(m[1])?.[1].trim()]),
  );
}

/** {@link propDefaults} of the props that have a `@default` tag. */
export function documentedDefaults(file: string, fromInterface?: string): Map<string, string> {
  return new Map([...propDefaults(file, fromInterface)].filter((entry): entry is [string, string] => entry[1] !== undefined));
}
