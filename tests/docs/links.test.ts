/** Every relative link in README.md and docs/*.md points at a file that exists, and an anchor at a heading of it. */
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { markdownFiles, read, relativeLinks, root } from './markdown.js';

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const text = read(path).replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

const links = markdownFiles().flatMap((file) => relativeLinks(read(file)).map((target) => [file, target] as const));

it('finds the links of every page', () => {
  expect(markdownFiles()).toContain('docs/README.md');
  expect(links.length).toBeGreaterThan(40);
});

test.each(links)('%s: %s exists', (file, target) => {
  const [path, anchor] = target.split('#');
  const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
  expect(resolved.startsWith('..')).toBe(false);
  expect([resolved, existsSync(join(root, resolved))]).toEqual([resolved, true]);
  if (anchor !== undefined && resolved.endsWith('.md')) expect([...anchorsOf(resolved)]).toContain(anchor);
});
