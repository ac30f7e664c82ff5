import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SpillSampleStack } from '../../samples/cdk/stack.js';
import { VALIDATION_REPORT, validationFindings } from './helpers/stacks.js';

const run = promisify(execFile);
const root = process.cwd();
const sampleDir = join(root, 'samples', 'cdk');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

describe('samples/cdk', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'spill-sample-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Synthesized once, as app.ts does it: with the AwsSolutions checks, and the
  // handler bundled by esbuild on this machine (no Docker).
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new SpillSampleStack(app, 'SpillSample');
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName('SpillSample').template);

  test('synthesizes with the AwsSolutions checks and no unacknowledged finding', () => {
    expect(existsSync(join(outdir, VALIDATION_REPORT))).toBe(true);
    expect(validationFindings(outdir)).toEqual([]);
    expect(stack.stackName).toBe('SpillSample');
  });

  test('has the function, its Function URL, the spill bucket and the grant', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { S3_SPILL_BUCKET: { Ref: Match.anyValue() }, S3_SPILL_PREFIX: 'spill/' } },
    });
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    template.hasOutput('ReportUrl', {});
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string[] }) => s.Action),
    );
    expect(actions).toEqual(['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject']);
  });

  test('bundles a handler that loads, exports a function, and holds no aws-cdk-lib', async () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'SpillSample.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
    };
    const zips = Object.values(manifest.files).filter((f) => f.source.packaging === 'zip');
    expect(zips).toHaveLength(1);
    const bundleDir = join(outdir, zips[0].source.path);
    expect(readdirSync(bundleDir)).toContain('index.js');
    const bundle = readFileSync(join(bundleDir, 'index.js'), 'utf8');
    expect(bundle).not.toMatch(/aws-cdk-lib|node_modules\/constructs/);
    const { stdout } = await run(
      process.execPath,
      ['-e', 'console.log(typeof require(process.argv[1]).handler)', join(bundleDir, 'index.js')],
      // NODE_PATH stands in for the AWS SDK that the Lambda runtime provides (it is left out of the bundle).
      { env: { ...process.env, NODE_PATH: join(root, 'node_modules'), S3_SPILL_BUCKET: 'sample-bucket', AWS_REGION: 'eu-west-1' } },
    );
    expect(stdout.trim()).toBe('function');
  });

  test('`npm run cdk:synth` and the cdk.json app command (what `npx cdk synth` runs) print and write the template', async () => {
    const cliOut = mkdtempSync(join(tmpdir(), 'spill-cli-'));
    try {
      const [script, cdkJson] = await Promise.all([
        run(tsx, ['samples/cdk/app.ts'], { cwd: root, env: withoutCdkOutdir() }),
        runCdkJsonApp(cliOut),
      ]);
      const printed = JSON.parse(script.stdout) as { Resources: Record<string, { Type: string }> };
      expect(Object.values(printed.Resources).map((r) => r.Type)).toEqual(
        expect.arrayContaining(['AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::Lambda::Url']),
      );
      expect(cdkJson.stdout.trim()).toBe('');
      const written = JSON.parse(readFileSync(join(cliOut, 'SpillSample.template.json'), 'utf8'));
      expect(written.Resources).toEqual(printed.Resources);
    } finally {
      rmSync(cliOut, { recursive: true, force: true });
    }
  });
});

function withoutCdkOutdir(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CDK_OUTDIR;
  return env;
}

/** Run cdk.json's `app` the way the CDK CLI does: in its directory, with CDK_OUTDIR set. */
function runCdkJsonApp(cdkOutdir: string) {
  const { app } = JSON.parse(readFileSync(join(sampleDir, 'cdk.json'), 'utf8')) as { app: string };
  const [command, ...args] = app.split(' ');
  return run(command, args, { cwd: sampleDir, env: { ...process.env, CDK_OUTDIR: cdkOutdir } });
}
