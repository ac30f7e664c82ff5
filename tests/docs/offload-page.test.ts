/**
 * docs/offload.md: every code block marked `<!-- sample: path -->` is that
 * compiled (or linted) file verbatim; the page has the sections of a feature
 * page; every option of S3OffloadOptions is documented; the reference example
 * has the keys the library writes; the Step Functions definitions pass
 * cfn-lint's state machine schema.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeReference } from '../../src/offload/reference.js';
import { offloadDefaults } from '../../src/offload/options.js';
import { s3SerdesDefaults } from '../../src/offload/serdes.js';

const root = process.cwd();
const page = readFileSync(join(root, 'docs', 'offload.md'), 'utf8');
const blocks = [...page.matchAll(/<!-- sample: (\S+) -->\n```\w*\n([\s\S]*?)\n```(?:\n|$)/g)].map((m) => ({ path: m[1]!, code: m[2]! }));

it('shows the samples, each verbatim', () => {
  expect(blocks.map((b) => b.path)).toEqual([
    'samples/durable/report-workflow.ts',
    'samples/cdk/offload-handlers.ts',
    'samples/cdk/offload-stack.ts',
    'samples/offload/caller.ts',
    'samples/offload/get-object.asl.json',
    'samples/offload/item-reader.asl.json',
  ]);
  for (const { path, code } of blocks) expect(code).toBe(readFileSync(join(root, path), 'utf8').replace(/\n$/, ''));
});

it('has the sections of a feature page', () => {
  const headings = [...page.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
  expect(headings).toEqual(expect.arrayContaining(['Install', 'Options', 'Sample usage', 'IAM permissions', 'Testing your code', 'Pairs well with']));
});

it('documents every option as `name` (type) (default)', () => {
  for (const name of [...Object.keys(offloadDefaults), ...Object.keys(s3SerdesDefaults), 'abortSignal']) {
    expect(page).toMatch(new RegExp(`^- \`${name}\` \\(`, 'm'));
  }
});

it('shows the reference with the keys the library writes, and the getObject pattern reads them', () => {
  const example = JSON.parse(/```json\n(\{\n {2}"lambdaS3Offload"[\s\S]*?)\n```/.exec(page)![1]!) as { lambdaS3Offload: object };
  expect(Object.keys(example.lambdaS3Offload).sort()).toEqual(Object.keys(makeReference('b', 'k', 1, 'a').lambdaS3Offload).sort());
  const getObject = readFileSync(join(root, 'samples/offload/get-object.asl.json'), 'utf8');
  expect(getObject).toContain('arn:aws:states:::aws-sdk:s3:getObject');
  expect(getObject).toContain('"Bucket.$": "$.lambdaS3Offload.bucket"');
  expect(getObject).toContain('"Key.$": "$.lambdaS3Offload.key"');
});

it('the Step Functions definitions pass cfn-lint (which checks them against the state machine schema)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'offload-asl-'));
  try {
    const resources = Object.fromEntries(
      ['get-object', 'item-reader'].map((name) => [
        name.replace('-', ''),
        {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            RoleArn: 'arn:aws:iam::123456789012:role/pipeline',
            Definition: JSON.parse(readFileSync(join(root, `samples/offload/${name}.asl.json`), 'utf8')),
            DefinitionSubstitutions: { ProduceArn: 'arn:aws:lambda:us-east-1:123456789012:function:produce' },
          },
        },
      ]),
    );
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
    const { stdout, stderr } = await promisify(execFile)('cfn-lint', [file]);
    expect(stdout + stderr).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
