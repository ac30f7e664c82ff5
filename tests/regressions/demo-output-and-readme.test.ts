/**
 * `npm run demo` as a user runs it: a child process, its own output. Nothing
 * it prints on stderr is a Node deprecation (the signature-checking local S3
 * used to reset its folder with `fs.rmdir(path, { recursive: true })`,
 * DEP0147, printed in the middle of the output), and the README's demo table
 * is the table the run printed, the timings (`ms`) aside.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'samples/demo/run.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The rows of the first Markdown table whose header starts with `| route | middleware |`, without the last cell (ms). */
function demoRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| route | middleware |'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) break;
    rows.push(line.replace(/\|[^|]*\|\s*$/, '|'));
  }
  return rows;
}

let run: { code: number | null; stdout: string; stderr: string };
beforeAll(async () => {
  run = await runDemo();
  // The streams section spills a 1 GiB export (about a minute on a 2-core machine).
}, 360_000);

it('npm run demo succeeds and prints no deprecation warning', () => {
  expect(run.code).toBe(0);
  expect(run.stderr).not.toMatch(/DeprecationWarning|\[DEP\d+\]/);
  expect(run.stdout).not.toMatch(/DeprecationWarning|\[DEP\d+\]/);
});

it("the README's demo table is the table the demo printed, timings aside, and its prose gives the 303's size", async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const printed = demoRows(run.stdout);
  expect(printed.length).toBe(11);
  expect(demoRows(readme)).toEqual(printed);
  const spilled = printed.find((r) => r.startsWith('| /cities | s3Spill | identity |'))!;
  const bytes = spilled.split('|')[5]!.trim();
  expect(readme).toContain(`${bytes}-byte \`303\``);
});
