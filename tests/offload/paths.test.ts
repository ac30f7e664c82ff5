/**
 * The `paths` option: the grammar (parsed at creation, TypeError naming the
 * path), what a path selects, and the plan on sizes (largest selected values
 * first, every one with `always`, the whole result when nothing less fits),
 * which must predict the offloaded result's exact size.
 */
import fc from 'fast-check';
import { payloadBytes } from 'lambda-s3-spill';
import { s3Offload } from 'lambda-s3-spill/offload';
import { formatValuePath, parseOffloadPath, parseOffloadPaths, selectPaths } from '../../src/offload/paths.js';
import { planOffload, type PathSelection } from '../../src/offload/plan.js';
import { makeReference, referenceBytes, replaceAt } from '../../src/offload/reference.js';

const BUCKET = 'offload-bucket';
const PREFIX = 'offload/';

describe('the grammar', () => {
  it.each([
    ['$.items', [{ kind: 'name', name: 'items' }]],
    ['$.pages[*]', [{ kind: 'name', name: 'pages' }, { kind: 'every' }]],
    ['$.a[0].b-c.$d_1', [{ kind: 'name', name: 'a' }, { kind: 'index', index: 0 }, { kind: 'name', name: 'b-c' }, { kind: 'name', name: '$d_1' }]],
    ["$['the items'][12]", [{ kind: 'name', name: 'the items' }, { kind: 'index', index: 12 }]],
    ["$['it\\'s']['back\\\\slash']", [{ kind: 'name', name: "it's" }, { kind: 'name', name: 'back\\slash' }]],
    ["$['']['a.b']['[*]']", [{ kind: 'name', name: '' }, { kind: 'name', name: 'a.b' }, { kind: 'name', name: '[*]' }]],
    ['$[*][3]', [{ kind: 'every' }, { kind: 'index', index: 3 }]],
  ])('parses %s', (text, steps) => {
    expect(parseOffloadPath(text)).toEqual({ text, steps });
  });

  it.each([
    ['$', /whole result/],
    ['', /must start with "\$"/],
    ['items', /must start with "\$"/],
    ['$items', /expected/],
    ['$.', /no name after "."/],
    ['$..items', /no name after "."/],
    ['$.a b', /expected/],
    ['$.items[-1]', /negative index \[-1\]/],
    ['$.items[01]', /\[01\]/],
    ['$.items[1.5]', /\[1.5\]/],
    ['$.items[9007199254740992]', /\[9007199254740992\]/],
    ['$.items[', /unterminated \[/],
    ["$['a", /unterminated \['...'\]/],
    ["$['a'", /no "\]"/],
    ["$['a\\b']", /escape other than/],
    ['$["a"]', /\["a"\]/],
    ['$.*', /no name after "."/],
    ['$.a[ 1]', /\[ 1\]/],
    ['$.a[?(@.x)]', /expected/],
  ])('refuses %j at creation with a TypeError naming it', (text, why) => {
    const create = () => s3Offload({ bucket: BUCKET, paths: [text] });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(why);
    expect(create).toThrow(`paths: ${JSON.stringify(text)}`);
  });

  it.each([
    ['$.items', '$.items'],
    ['$.items', '$.items[0]'],
    ['$.items[*]', '$.items[3].name'],
    ['$.items[2]', '$.items[*]'],
    ["$.items", "$['items'].x"],
    ['$[*]', '$[0]'],
  ])('refuses %s with %s: one contains the other, naming both', (a, b) => {
    const create = () => s3Offload({ bucket: BUCKET, paths: [a, b] });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(`paths: ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`);
  });

  it.each([
    ['$.items', '$.item'],
    ['$.items[0]', '$.items[1]'],
    ['$.a[*].b', '$.a[*].c'],
    ["$.a['0']", '$.a[0]'],
  ])('accepts %s with %s (they never select the same value)', (a, b) => {
    expect(parseOffloadPaths([a, b])).toHaveLength(2);
  });

  it('refuses paths that are not an array of strings', () => {
    expect(() => s3Offload({ bucket: BUCKET, paths: '$.items' as unknown as string[] })).toThrow(/^paths must be an array/);
    expect(() => s3Offload({ bucket: BUCKET, paths: [42] as unknown as string[] })).toThrow(/^paths: 42 is not a string/);
  });

  it('formats a place so that it parses back to the same steps', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat()), { minLength: 1, maxLength: 5 }), (path) => {
        const steps = parseOffloadPath(formatValuePath(path)).steps;
        expect(steps).toEqual(path.map((p) => (typeof p === 'number' ? { kind: 'index', index: p } : { kind: 'name', name: p })));
      }),
    );
  });
});

describe('what paths select', () => {
  const value = {
    status: 'DONE',
    items: [1, 2, 3],
    pages: [{ n: 1 }, { n: 2 }],
    nested: { list: [{ a: 'x' }, { b: 'y' }, { a: 'z' }] },
    'odd key': true,
    gone: undefined,
  };
  const select = (...paths: string[]) => selectPaths(value, parseOffloadPaths(paths)).map(({ path }) => path);

  it('selects properties, items and every item; a path that matches nothing selects nothing', () => {
    expect(select('$.items', '$.pages[*]')).toEqual([['items'], ['pages', 0], ['pages', 1]]);
    expect(select('$.nested.list[*].a')).toEqual([['nested', 'list', 0, 'a'], ['nested', 'list', 2, 'a']]);
    expect(select("$['odd key']", '$.items[2]', '$.items[3]')).toEqual([['odd key'], ['items', 2]]);
    expect(select('$.missing', '$.status[0]', '$.status.length', '$.items.length', '$.pages[*][0]', '$.gone')).toEqual([]);
  });

  it('selects nothing inherited and nothing in class instances', () => {
    expect(selectPaths({ a: new Map([['x', 1]]) }, parseOffloadPaths(['$.a.x', '$.toString']))).toEqual([]);
  });
});

describe('the plan, on sizes', () => {
  const selection = (...paths: string[]): PathSelection => ({
    paths: parseOffloadPaths(paths),
    referenceBytes: (bytes) => referenceBytes(BUCKET, PREFIX, bytes),
  });
  const event = { job: 'report' };
  /** What the executor will do: each planned value replaced by a reference of the size it will have. */
  const carriedOut = (result: unknown, plan: ReturnType<typeof planOffload>) => {
    if (plan.kind !== 'offload-paths') throw new Error(plan.kind);
    const fake = (bytes: number) => makeReference(BUCKET, `${PREFIX}20261206T000000000Z-${'1'.repeat(36)}.json`, bytes, 'f'.repeat(64));
    return replaceAt(result, plan.values.map(({ path, bytes }) => ({ path, value: fake(bytes) })));
  };

  it('a result that fits passes, selected values or not', () => {
    expect(planOffload(event, { items: 'x'.repeat(100) }, 1_024, false, selection('$.items'))).toMatchObject({ kind: 'pass', why: 'it fits' });
  });

  it('offloads the largest selected values first, only as many as it takes', () => {
    const result = { status: 'DONE', a: 'a'.repeat(3_000), b: 'b'.repeat(5_000), c: 'c'.repeat(4_000) };
    const plan = planOffload(event, result, 6_000, false, selection('$.a', '$.b', '$.c'));
    expect(plan).toMatchObject({ kind: 'offload-paths', why: 'over' });
    if (plan.kind !== 'offload-paths') return;
    expect(plan.values.map(({ path }) => path)).toEqual([['b'], ['c']]);
    expect(plan.bytes).toBe(payloadBytes(carriedOut(result, plan)));
    expect(plan.bytes).toBeLessThanOrEqual(6_000);
  });

  it('with always, offloads every selected value even when the result fits', () => {
    const result = { status: 'DONE', pages: ['p'.repeat(600), 'q'.repeat(700)] };
    const plan = planOffload(event, result, 6_000, true, selection('$.pages[*]'));
    expect(plan).toMatchObject({ kind: 'offload-paths', why: 'always', values: [{ path: ['pages', 1] }, { path: ['pages', 0] }] });
  });

  it('offloads the whole result when every selected value offloaded is not enough', () => {
    const result = { items: 'i'.repeat(5_000), rest: 'r'.repeat(5_000) };
    expect(planOffload(event, result, 4_000, false, selection('$.items'))).toMatchObject({ kind: 'offload', why: 'over' });
    expect(planOffload(event, result, 6_000, false, selection('$.items'))).toMatchObject({ kind: 'offload-paths', why: 'over' });
  });

  it('offloads the whole result when the paths match nothing, and passes with always', () => {
    const result = { rows: 'r'.repeat(9_000) };
    expect(planOffload(event, result, 8_000, false, selection('$.items'))).toMatchObject({ kind: 'offload', why: 'over' });
    expect(planOffload(event, { rows: 'r' }, 8_000, true, selection('$.items'))).toMatchObject({ kind: 'pass', why: 'no selected value' });
  });

  it('never offloads a selected value that is already a reference', () => {
    const reference = makeReference(BUCKET, `${PREFIX}x.json`, 10, 'a'.repeat(64));
    const result = { items: reference, more: 'm'.repeat(5_000) };
    expect(planOffload(event, result, 6_000, true, selection('$.items', '$.more'))).toMatchObject({ values: [{ path: ['more'] }] });
  });

  it('predicts the exact size of what it makes, and what it makes fits (property)', () => {
    const item = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer(), fc.double(), fc.constant(null));
    const result = fc.record({
      status: fc.string({ maxLength: 10 }),
      items: fc.array(fc.oneof(item, fc.array(item, { maxLength: 20 })), { maxLength: 30 }),
      big: fc.string({ unit: 'grapheme', maxLength: 2_000 }),
    });
    fc.assert(
      fc.property(result, fc.integer({ min: 1_024, max: 12_000 }), fc.boolean(), (value, maxBytes, always) => {
        const plan = planOffload(event, value, maxBytes, always, selection('$.items[*]', '$.big'));
        const size = payloadBytes(value);
        if (plan.kind === 'pass') expect(size).toBeLessThanOrEqual(maxBytes);
        if (plan.kind === 'offload-paths') {
          expect(payloadBytes(carriedOut(value, plan))).toBe(plan.bytes);
          expect(plan.bytes).toBeLessThanOrEqual(maxBytes);
          if (!always) expect(size).toBeGreaterThan(maxBytes);
        }
        if (plan.kind === 'offload' && !always) expect(size).toBeGreaterThan(maxBytes);
      }),
      { numRuns: 300 },
    );
  });
});
