/**
 * The docs pages stay true: every code block is a compiled file under samples/
 * shown verbatim; the options table of docs/options.md is `defaults`; the
 * performance page has the numbers of bench/RESULTS.md; the index links every page.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../../src/spill/options.js';
import { codeBlocks, markdownFiles, read, root, sampleBlocks, section, tableRows } from './markdown.js';

/** Languages of code, which must be a sample; shell commands, HTTP exchanges, JSON bodies and trees may stand alone. */
const CODE = new Set(['ts', 'typescript', 'js', 'javascript', 'yaml', 'yml']);

describe.each(markdownFiles())('%s', (file) => {
  const markdown = read(file);

  const samples = sampleBlocks(markdown).map((b) => [b.path, b.code]);
  if (samples.length > 0) {
    test.each(samples)('shows %s verbatim', (path, code) => {
      expect(`${code}\n`).toBe(read(path));
      expect(path).toMatch(/^samples\//);
    });
  }

  it('has no code block that is not a sample, and no block without a language', () => {
    const loose = codeBlocks(markdown).filter((b) => b.language === '' || (CODE.has(b.language) && !b.marked));
    expect(loose).toEqual([]);
  });
});

it('each page shows the samples of its topic', () => {
  const shown = (page: string) => sampleBlocks(read(page)).map((b) => b.path);
  expect(shown('docs/ordering.md')).toEqual(['samples/ordering.ts']);
  expect(shown('docs/behaviour.md')).toEqual(['samples/streaming.ts']);
  expect(shown('docs/compression-and-reuse.md')).toEqual(['samples/per-route.ts']);
  expect(shown('docs/testing.md')).toEqual(['samples/testing/spill.test.ts']);
  expect(shown('docs/deploy-cdk.md')).toEqual(['samples/cdk/stack.ts', 'samples/cdk/handler.ts']);
  expect(shown('docs/deploy-sam.md')).toEqual(['samples/sam/template.yaml']);
  expect(shown('docs/messages.md')).toEqual([
    'samples/messages/producer.ts',
    'samples/messages/consumer.ts',
    'samples/messages/batch-handler.ts',
    'samples/messages/stack.ts',
  ]);
});

describe('docs/options.md', () => {
  const rows = tableRows(section(read('docs/options.md'), '## All options'));

  it('lists every option of `defaults`, once, in its order', () => {
    expect(rows.map((cells) => cells[0].slice(1, -1))).toEqual(Object.keys(defaults));
  });

  test.each(Object.entries(defaults).filter(([, value]) => typeof value === 'number'))(
    'shows the default of %s as the code has it',
    (option, value) => {
      const cell = rows.find((cells) => cells[0] === `\`${option}\``)?.[2] ?? '';
      expect([option, Number(/^`([\d_]+)`/.exec(cell)?.[1].replaceAll('_', ''))]).toEqual([option, value]);
    },
  );

  test.each(Object.entries(defaults).filter(([, value]) => typeof value === 'boolean'))(
    'shows the default of %s as the code has it',
    (option, value) => {
      expect(rows.find((cells) => cells[0] === `\`${option}\``)?.[2]).toBe(`\`${String(value)}\``);
    },
  );

  it('gives every row a type, a default and a text', () => {
    for (const cells of rows) expect([cells[0], cells.length, cells.every((c) => c.trim() !== '')]).toEqual([cells[0], 4, true]);
  });
});

it('docs/performance.md has every table row and figure of bench/RESULTS.md', () => {
  const page = read('docs/performance.md');
  const lines = read('bench/RESULTS.md')
    .split('\n')
    .filter((line) => line.startsWith('|') || line.startsWith('- '))
    .map((line) => line.replace('`src/compression.ts`', '[`src/compression/compress-bytes.ts`](../src/compression/compress-bytes.ts)'));
  expect(lines.length).toBeGreaterThan(60);
  for (const line of lines) expect(page).toContain(line);
});

it('docs/README.md links every page of docs/', () => {
  const index = read('docs/README.md');
  for (const page of readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    expect(index).toContain(`](${page})`);
  }
});
