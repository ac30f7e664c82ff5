/** The README stays true: its quick start is the compiled sample, its Options table lists every option with its default. */
import { readFileSync } from 'node:fs';
import { defaults } from '../../src/options/options.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

it('shows samples/quick-start.ts verbatim in "Quick start"', () => {
  const sample = readFileSync(new URL('../../samples/quick-start.ts', import.meta.url), 'utf8');
  expect(section('Quick start')).toContain(`\`\`\`ts\n${sample}\`\`\``);
});

it('lists every option, with the default the code uses, in "Options"', () => {
  const rows = new Map(
    section('Options')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => {
        const cells = line.split(' | ');
        return [cells[0].slice(3, -1), cells[2]] as const;
      }),
  );
  expect([...rows.keys()].sort()).toEqual(Object.keys(defaults).sort());
  for (const [option, value] of Object.entries(defaults)) {
    if (typeof value !== 'number') continue;
    const shown = /^`([\d_]+)`/.exec(rows.get(option) ?? '')?.[1];
    expect([option, Number(shown?.replaceAll('_', ''))]).toEqual([option, value]);
  }
});

it('shows samples/ordering.ts verbatim in "Ordering"', () => {
  const sample = readFileSync(new URL('../../samples/ordering.ts', import.meta.url), 'utf8');
  expect(section('Ordering')).toContain(`\`\`\`ts\n${sample}\`\`\``);
});
