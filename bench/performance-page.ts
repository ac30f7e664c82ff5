/**
 * docs/performance.md is bench/RESULTS.md as a docs page: the same tables and
 * figures, headings one level up, source paths as links. `npm run bench`
 * writes both; `npx tsx bench/performance-page.ts` rewrites the page from the
 * current RESULTS.md. tests/docs/pages.test.ts keeps them equal.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The page for a RESULTS.md text. */
export function performancePage(results: string): string {
  const body = results
    .replace(/^## Performance\n\n/, '')
    .replace(/^### /gm, '## ')
    .replace('`src/compression.ts`', '[`src/compression/compress-bytes.ts`](../src/compression/compress-bytes.ts)')
    .replace(/^`npm run bench` measures/m, 'The numbers below are those of [`bench/RESULTS.md`](../bench/RESULTS.md), the last full run, unchanged. `npm run bench` measures');
  return `# Performance\n\n${body}`;
}

/** Write docs/performance.md from bench/RESULTS.md. */
export function writePerformancePage(): void {
  const results = readFileSync(new URL('./RESULTS.md', import.meta.url), 'utf8');
  writeFileSync(new URL('../docs/performance.md', import.meta.url), performancePage(results));
}

if (process.argv[1]?.endsWith('performance-page.ts')) writePerformancePage();
