/** Reading the README and the docs pages: sections, tables, code blocks, links. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** README.md and every docs/*.md, as paths from the project root. */
export function markdownFiles(): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

export function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

/** The text under a heading line (`## Name`), up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" heading`);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** Code blocks marked `<!-- sample: path -->`, with the file they copy. */
export function sampleBlocks(markdown: string): { path: string; code: string }[] {
  return [...markdown.matchAll(/<!-- sample: (\S+) -->\n```\w*\n([\s\S]*?)\n```(?:\n|$)/g)].map((m) => ({
    path: m[1],
    code: m[2],
  }));
}

/** Every fenced code block: its language, its first line number, and whether a sample marker precedes it. */
export function codeBlocks(markdown: string): { language: string; line: number; marked: boolean }[] {
  const lines = markdown.split('\n');
  const blocks: { language: string; line: number; marked: boolean }[] = [];
  let open = false;
  lines.forEach((line, i) => {
    const fence = /^\s*```(\w*)/.exec(line);
    if (fence === null) return;
    if (!open) blocks.push({ language: fence[1], line: i + 1, marked: /^<!-- sample: \S+ -->$/.test(lines[i - 1] ?? '') });
    open = !open;
  });
  return blocks;
}

/** The rows of the first table in a text, each as its cells split on ` | ` (escaped `\|` kept), header and separator dropped. */
export function tableRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('|')) rows.push(line.slice(2, -2).split(' | '));
    else if (rows.length > 0) break;
  }
  return rows.slice(2);
}

/** Relative link targets (`[text](target)`), outside code blocks and inline code. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#'));
}
