/**
 * The README stays short and true: at most 250 lines; the install and test
 * commands CI runs; both quick starts are their compiled samples; its eight
 * options exist, with the defaults of the code and of docs/options.md; it links
 * every docs page.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../../src/spill/options.js';
import { read, root, sampleBlocks, section, tableRows } from './markdown.js';

const readme = read('README.md');

it('is at most 250 lines', () => {
  expect(readme.split('\n').length - 1).toBeLessThanOrEqual(250);
});

it('keeps the install command and the commands CI runs', () => {
  expect(section(readme, '## Install')).toContain('```sh\nnpm install lambda-s3-spill @middy/core\n```');
  const tryIt = section(readme, '## Try it: the two commands');
  for (const command of ['npm ci', 'npm run demo', 'npm test']) expect(tryIt).toMatch(new RegExp(`^${command}\\b`, 'm'));
});

it('shows the Middy and the withS3Spill quick starts, in that order, each its sample verbatim', () => {
  const blocks = sampleBlocks(section(readme, '## Quick start'));
  expect(blocks.map((b) => b.path)).toEqual(['samples/quick-start.ts', 'samples/quick-start-wrapper.ts']);
  for (const { path, code } of blocks) expect(`${code}\n`).toBe(read(path));
  expect(read('samples/quick-start.ts')).toContain('s3Spill()');
  expect(read('samples/quick-start-wrapper.ts')).toContain('withS3Spill(listCities)');
});

describe('"Options"', () => {
  const rows = tableRows(section(readme, '## Options'));
  const full = new Map(tableRows(section(read('docs/options.md'), '## All options')).map((cells) => [cells[0], cells]));

  it('lists eight options of `defaults`, with the type and default of docs/options.md', () => {
    expect(rows).toHaveLength(8);
    for (const [name, type, value] of rows) {
      expect(Object.keys(defaults)).toContain(name.slice(1, -1));
      expect([name, type, value]).toEqual(full.get(name)?.slice(0, 3));
    }
  });

  it('gives the number of options there are', () => {
    expect(section(readme, '## Options')).toContain(`All ${Object.keys(defaults).length}: [options](docs/options.md)`);
  });
});

it('links every docs page', () => {
  const pages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
  for (const page of pages) expect(readme).toContain(`](docs/${page})`);
});
