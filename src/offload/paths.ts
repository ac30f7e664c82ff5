/**
 * The `paths` option of `s3Offload`: a subset of JSONPath as Step Functions
 * writes paths, parsed and checked once at creation, and the places in a
 * result that they select. Pure: no S3, no clock.
 *
 * Grammar (whitespace is not allowed anywhere):
 *
 * ```text
 * path     = "$" step+
 * step     = "." name | "['" quoted "']" | "[" index "]" | "[*]"
 * name     = 1*( ALPHA / DIGIT / "_" / "$" / "-" )     ; anything else: use ['...']
 * quoted   = *( any character but "'" and "\" / "\'" / "\\" )
 * index    = "0" / ( %x31-39 *DIGIT )                   ; n >= 0, no leading zero, at most 2^53 - 1
 * ```
 *
 * `.name` and `['name']` select an object's own property; `[n]` an array's
 * item; `[*]` every item of an array. A step that meets another kind of value
 * selects nothing.
 *
 * @module offload/paths
 */

/** One step of a parsed path. */
export type PathStep =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'every' };

/** A path as given, and its steps. */
export interface OffloadPath {
  /** The text as given, for messages. */
  readonly text: string;
  readonly steps: readonly PathStep[];
}

const NAME_CHAR = /[A-Za-z0-9_$-]/;

/**
 * Parse one path.
 *
 * @param text - e.g. `$.items`, `$['the items'][0]`, `$.pages[*]`
 * @throws TypeError naming the path: malformed, a negative index, `$` alone
 */
export function parseOffloadPath(text: unknown): OffloadPath {
  if (typeof text !== 'string') throw new TypeError(`paths: ${String(text)} is not a string`);
  const bad = (why: string): TypeError => new TypeError(`paths: ${JSON.stringify(text)} ${why}`);
  if (!text.startsWith('$')) throw bad('must start with "$"');
  if (text === '$') throw bad('is the whole result: leave out paths to offload the whole result');
  const steps: PathStep[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      if (j === i + 1) throw bad(`has no name after "." at ${i} (use ['...'] for other characters)`);
      steps.push({ kind: 'name', name: text.slice(i + 1, j) });
      i = j;
    } else if (c === '[' && text[i + 1] === "'") {
      let name = '';
      let j = i + 2;
      for (;;) {
        if (j >= text.length) throw bad(`has an unterminated ['...'] at ${i}`);
        const d = text[j]!;
        if (d === '\\') {
          const e = text[j + 1];
          if (e !== "'" && e !== '\\') throw bad(`has an escape other than \\' or \\\\ at ${j}`);
          name += e;
          j += 2;
        } else if (d === "'") {
          break;
        } else {
          name += d;
          j++;
        }
      }
      if (text[j + 1] !== ']') throw bad(`has no "]" after the quoted name at ${j + 1}`);
      steps.push({ kind: 'name', name });
      i = j + 2;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close === -1) throw bad(`has an unterminated [ at ${i}`);
      const inner = text.slice(i + 1, close);
      if (inner === '*') steps.push({ kind: 'every' });
      else if (/^-\d+$/.test(inner)) throw bad(`has a negative index [${inner}]`);
      else if (/^(0|[1-9]\d*)$/.test(inner) && Number.isSafeInteger(Number(inner))) steps.push({ kind: 'index', index: Number(inner) });
      else throw bad(`has [${inner}]: expected [n] (n >= 0), [*] or ['name']`);
      i = close + 1;
    } else {
      throw bad(`has ${JSON.stringify(c)} at ${i}: expected ".name", "['name']", "[n]" or "[*]"`);
    }
  }
  return { text, steps };
}

/**
 * Parse the `paths` option: an array of paths, none containing another (two
 * paths that could select the same value, or a value inside the other's).
 *
 * @throws TypeError naming the path
 */
export function parseOffloadPaths(paths: unknown): readonly OffloadPath[] {
  if (!Array.isArray(paths)) throw new TypeError('paths must be an array of paths such as "$.items"');
  const parsed = paths.map(parseOffloadPath);
  for (let a = 0; a < parsed.length; a++) {
    for (let b = a + 1; b < parsed.length; b++) {
      if (overlaps(parsed[a]!, parsed[b]!)) {
        throw new TypeError(`paths: ${JSON.stringify(parsed[a]!.text)} and ${JSON.stringify(parsed[b]!.text)} overlap (one contains the other)`);
      }
    }
  }
  return parsed;
}

/** Whether one path's selection can contain (or equal) the other's: their common steps can all meet. */
function overlaps(a: OffloadPath, b: OffloadPath): boolean {
  const n = Math.min(a.steps.length, b.steps.length);
  for (let i = 0; i < n; i++) if (!stepsMeet(a.steps[i]!, b.steps[i]!)) return false;
  return true;
}

function stepsMeet(a: PathStep, b: PathStep): boolean {
  if (a.kind === 'name' || b.kind === 'name') return a.kind === 'name' && b.kind === 'name' && a.name === b.name;
  if (a.kind === 'every' || b.kind === 'every') return true;
  return a.index === b.index;
}

/** A place in a value: property names and array indexes from the root. */
export type ValuePath = readonly (string | number)[];

/**
 * The places the paths select in `value`, in path order then document order.
 * Places whose value is `undefined` (JSON leaves them out) are not selected.
 */
export function selectPaths(value: unknown, paths: readonly OffloadPath[]): { readonly path: ValuePath; readonly value: unknown }[] {
  const selected: { path: ValuePath; value: unknown }[] = [];
  const walk = (node: unknown, steps: readonly PathStep[], at: number, path: (string | number)[]): void => {
    if (at === steps.length) {
      if (node !== undefined) selected.push({ path, value: node });
      return;
    }
    const step = steps[at]!;
    if (step.kind === 'name') {
      if (!isPlainObject(node) || !Object.hasOwn(node, step.name)) return;
      walk((node as Record<string, unknown>)[step.name], steps, at + 1, [...path, step.name]);
    } else if (Array.isArray(node)) {
      if (step.kind === 'index') {
        if (step.index < node.length) walk(node[step.index], steps, at + 1, [...path, step.index]);
      } else {
        for (let i = 0; i < node.length; i++) walk(node[i], steps, at + 1, [...path, i]);
      }
    }
  };
  for (const { steps } of paths) walk(value, steps, 0, []);
  return selected;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A place as a path of this grammar, for logs: `$.items[3]`,
 * `$['a b']`.
 */
export function formatValuePath(path: ValuePath): string {
  let text = '$';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(step)) text += `.${step}`;
    else text += `['${step.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
  }
  return text;
}
