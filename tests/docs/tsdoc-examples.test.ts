/**
 * Every `@example` in the TSDoc of src/ and cdk/ compiles: each ```ts block is
 * written to its own file and type-checked with the project's compiler options
 * (the package name resolves to the sources, as for the samples).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'node:fs';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'node_modules/.cache/tsdoc-examples');

/** The ```ts blocks of every `@example` tag in a file. */
function examplesOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const blocks: string[] = [];
  for (const comment of source.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const text = comment.split('\n').map((line) => line.replace(/^\s*\/?\*+\/? ?/, '')).join('\n');
    for (const tag of text.split('@example').slice(1)) {
      const block = /```ts\n([\s\S]*?)```/.exec(tag.split(/\n@\w+/)[0]);
      if (block === null) throw new Error(`${relative(root, file)}: an @example without a \`\`\`ts block`);
      blocks.push(block[1]);
    }
  }
  return blocks;
}

it('type-checks every TSDoc @example in src/ and cdk/', () => {
  const sources = globSync(['src/**/*.ts', 'cdk/**/*.ts'], { cwd: root }).map((f) => join(root, f));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const source of sources) {
    examplesOf(source).forEach((code, i) => {
      const file = join(outDir, `${relative(root, source).replaceAll('/', '_').replace(/\.ts$/, '')}_${i}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      files.push(file);
    });
  }
  expect(files.length).toBeGreaterThanOrEqual(23);

  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram([...files, join(root, 'samples/local/s3rver.d.ts')], { ...options, noEmit: true });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.startsWith(outDir))
    .map((d) => `${relative(outDir, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(problems).toEqual([]);
}, 120_000);
