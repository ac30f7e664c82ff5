import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ACCESS_LOGS_REASON,
  PREFIX_WILDCARD_REASON,
  SPILL_BUCKET_DEFAULTS,
  SPILL_BUCKET_FIXED_SETTINGS,
} from 'lambda-s3-spill/cdk';
import { propDefaults } from '../support/tsdoc.js';

const root = process.cwd();
const cdkPage = readFileSync(join(root, 'docs', 'deploy-cdk.md'), 'utf8');
const samPage = readFileSync(join(root, 'docs', 'deploy-sam.md'), 'utf8');

/** The text under a `## ` heading, up to the next `## ` heading. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && /^#{1,2} /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/** Code blocks marked `<!-- sample: path -->`, with the file they copy. */
function sampleBlocks(markdown: string): { path: string; code: string }[] {
  return [...markdown.matchAll(/<!-- sample: (\S+) -->\n```\w*\n([\s\S]*?)\n```(?:\n|$)/g)].map((m) => ({
    path: m[1],
    code: m[2],
  }));
}

/** Rows of the first table after a heading, as trimmed cells. */
function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) throw new Error(`no "${heading}" heading`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
    else if (rows.length > 0) break;
  }
  return rows.slice(2); // header and separator
}

/** The TypeScript spelling of a default, as docs/deploy-cdk.md and the TSDoc write it. */
function render(value: unknown): string {
  if (value instanceof Duration) return `Duration.days(${value.toDays()})`;
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (typeof value === 'string' && !isEnumValue(value)) return `'${value}'`;
  if (typeof value === 'boolean') return String(value);
  for (const key of Object.getOwnPropertyNames(s3.BlockPublicAccess) as (keyof typeof s3.BlockPublicAccess)[]) {
    if (s3.BlockPublicAccess[key] === value) return `BlockPublicAccess.${key}`;
  }
  for (const [name, values] of Object.entries(ENUMS)) {
    const key = Object.keys(values).find((k) => (values as Record<string, unknown>)[k] === value);
    if (key !== undefined) return `${name}.${key}`;
  }
  throw new Error(`no rendering for ${String(value)}`);
}

const ENUMS = { BucketEncryption: s3.BucketEncryption, RemovalPolicy, ObjectOwnership: s3.ObjectOwnership };

function isEnumValue(value: string): boolean {
  return Object.values(ENUMS).some((values) => Object.values(values).includes(value));
}

/** Each `readonly prop?:` of SpillBucketProps with its `@default` text ('' without one). */
function propsWithDefaults(): Map<string, string> {
  return new Map([...propDefaults('cdk/spill-bucket-props.ts', 'SpillBucketProps')].map(([name, tag]) => [name, tag ?? '']));
}

describe('docs/deploy-cdk.md and docs/deploy-sam.md', () => {
  test('"Deploy with CDK" shows the CDK sample files, "Deploy with SAM" the SAM template', () => {
    expect(sampleBlocks(cdkPage).map((b) => b.path)).toEqual(['samples/cdk/stack.ts', 'samples/cdk/handler.ts']);
    expect(sampleBlocks(samPage).map((b) => b.path)).toEqual(['samples/sam/template.yaml']);
  });

  test.each([...sampleBlocks(cdkPage), ...sampleBlocks(samPage)].map((b) => [b.path, b.code]))(
    'the snippet of %s is that file, verbatim',
    (path, code) => {
      expect(code).toBe(readFileSync(join(root, path), 'utf8').replace(/\n$/, ''));
    },
  );

  describe('"Default settings" table', () => {
    const rows = tableAfter(cdkPage, '## Default settings');
    const byName = new Map(rows.map(([name, value, note]) => [name.replace(/`/g, ''), { value, note }]));
    const props = propsWithDefaults();

    test('has one row per SpillBucketProps prop and per fixed setting, and no other', () => {
      expect(rows).toHaveLength(byName.size);
      expect([...byName.keys()].sort()).toEqual([...props.keys(), ...Object.keys(SPILL_BUCKET_FIXED_SETTINGS)].sort());
      expect(Object.keys(SPILL_BUCKET_DEFAULTS).sort()).toEqual([...props.keys()].sort());
    });

    test.each(Object.entries(SPILL_BUCKET_DEFAULTS))('states the default of %s', (name, value) => {
      const cell = byName.get(name)?.value;
      if (value === undefined) expect(cell).toMatch(/^none\b/);
      else expect(cell).toBe(`\`${render(value)}\``);
    });

    test.each(Object.entries(SPILL_BUCKET_FIXED_SETTINGS))('states the fixed setting %s', (name, value) => {
      expect(byName.get(name)).toEqual({ value: `\`${render(value)}\``, note: expect.stringMatching(/^Fixed\b/) });
    });

    test.each([...propsWithDefaults()])('agrees with the @default of %s in the TSDoc', (name, tag) => {
      const value = (SPILL_BUCKET_DEFAULTS as Record<string, unknown>)[name];
      if (value === undefined) expect(tag).toMatch(/^- /);
      else expect(tag).toContain(render(value));
    });
  });

  test('lists the construct\'s cdk-nag acknowledgements with their reasons, verbatim', () => {
    const acknowledgements = section(cdkPage, '## cdk-nag acknowledgements');
    expect(acknowledgements).toContain(`AwsSolutions-S1** (no server access logs)`);
    expect(acknowledgements).toContain(ACCESS_LOGS_REASON);
    expect(acknowledgements).toContain(PREFIX_WILDCARD_REASON);
  });
});
