/** docs/uploads.md stays true: its code blocks are the compiled samples, its options lists name every option with the default the code uses. */
import { readFileSync } from 'node:fs';
import { SPILL_UPLOADS_DEFAULTS } from 'lambda-s3-spill/cdk';
import { createUploadDefaults, s3UploadsDefaults } from '../../src/uploads/options.js';

const page = readFileSync(new URL('../../docs/uploads.md', import.meta.url), 'utf8');

function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/uploads.md has no "## ${heading}" section`);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** `name` -> default text, from lines `- \`name\` (type) (default): ...` after `intro`, up to the next blank line. */
function optionList(text: string, intro: string): Map<string, string> {
  const start = text.indexOf(intro);
  if (start < 0) throw new Error(`no "${intro}"`);
  const list = text.slice(start + intro.length).split('\n\n')[1]!;
  return new Map([...list.matchAll(/^- `(\w+)` \([^)]*\) \(([^)]*(?:\([^)]*\))?[^)]*)\):/gm)].map((m) => [m[1]!, m[2]!]));
}

it('has the sections of a feature page', () => {
  for (const heading of ['Install', 'Options', 'Sample usage', 'IAM permissions', 'Testing your code', 'Pairs well with']) {
    expect(() => section(heading)).not.toThrow();
  }
});

const samples = [...page.matchAll(/<!-- sample: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map((m) => [m[1]!, m[2]!]);
it.each(samples)('shows %s verbatim', (path, code) => {
  expect(code).toBe(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8').replace(/\n$/, ''));
});

it('shows the four samples', () => {
  expect(samples.map(([path]) => path)).toEqual([
    'samples/uploads/forms-handler.ts',
    'samples/uploads/api-handler.ts',
    'samples/uploads/page.ts',
    'samples/uploads/stack.ts',
  ]);
});

it.each<[string, string, Record<string, unknown>]>([
  ['Options', '`createUpload(options)`:', createUploadDefaults],
  ['Options', '`s3Uploads(options)` and `resolveUploads(event, options, context?)`:', s3UploadsDefaults],
  ['Deploy: CDK and SAM', '`grantUploadKeep(grantee, { bucket?, prefix })`.', SPILL_UPLOADS_DEFAULTS],
])('%s lists every option after %s, with its default', (heading, intro, defaults) => {
  const listed = optionList(section(heading), intro);
  expect([...listed.keys()].sort()).toEqual(Object.keys(defaults).sort());
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'number' || typeof value === 'boolean') expect([name, listed.get(name)]).toEqual([name, `\`${value}\``]);
    if (typeof value === 'string') expect([name, listed.get(name)]).toEqual([name, `\`'${value}'\``]);
  }
});
