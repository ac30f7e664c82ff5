/**
 * samples/sam/offload-template.yaml: cfn-lint clean, and equal to the CDK offload
 * sample (samples/cdk/offload-stack.ts) on what matters: the bucket's two
 * lifecycle rules, its security settings, and per function the offload
 * environment and the grants under the offload prefix.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DURABLE_DEFAULTS, DURABLE_S3_ACTIONS, OFFLOAD_DEFAULTS, OFFLOAD_READ_S3_ACTIONS, OFFLOAD_WRITE_S3_ACTIONS } from 'lambda-s3-spill/cdk';
import { OffloadSampleStack } from '../../samples/cdk/offload-stack.js';
import { parseCfnYaml } from './helpers/cfn-yaml.js';
import { offloadContract } from './helpers/spill-contract.js';

const run = promisify(execFile);
const templatePath = join(process.cwd(), 'samples', 'sam', 'offload-template.yaml');
const samText = readFileSync(templatePath, 'utf8');

test('passes cfn-lint (with the SAM transform)', async () => {
  const { stdout, stderr } = await run('cfn-lint', [templatePath]);
  expect(stdout + stderr).toBe('');
});

describe('agrees with the CDK offload sample', () => {
  const cdk = Template.fromStack(new OffloadSampleStack(new App(), 'OffloadSample')).toJSON() as ReturnType<typeof parseCfnYaml>;
  const cdkContract = offloadContract(cdk);
  const sam = parseCfnYaml(samText);

  test('lifecycle rules, security settings, environment and grants per function', () => {
    expect(offloadContract(sam)).toEqual(cdkContract);
  });

  test('and the compared values are the construct defaults, not blanks', () => {
    const prefix = OFFLOAD_DEFAULTS.offloadPrefix;
    expect(cdkContract.lifecycleRules).toContainEqual({
      prefix,
      expirationDays: OFFLOAD_DEFAULTS.offloadExpiration.toDays(),
      abortIncompleteMultipartUploadDays: 1,
      status: 'Enabled',
    });
    expect(cdkContract.lifecycleRules).toContainEqual({
      prefix: DURABLE_DEFAULTS.durablePrefix,
      expirationDays: DURABLE_DEFAULTS.durableExpiration.toDays(),
      abortIncompleteMultipartUploadDays: 1,
      status: 'Enabled',
    });
    const on = (actions: readonly string[], under: string = prefix) => actions.map((a) => `${a} on <bucket>.Arn/${under}*`);
    const offloadEnv = { S3_OFFLOAD_BUCKET: '<bucket>', S3_OFFLOAD_PREFIX: prefix, S3_SPILL_BUCKET: undefined, S3_DURABLE_PREFIX: undefined };
    expect(cdkContract.functions).toHaveLength(3);
    expect(cdkContract.functions).toEqual(expect.arrayContaining([
      { environment: offloadEnv, grants: on(OFFLOAD_WRITE_S3_ACTIONS).sort() },
      { environment: offloadEnv, grants: [...on(OFFLOAD_WRITE_S3_ACTIONS), ...on(OFFLOAD_READ_S3_ACTIONS)].sort() },
      {
        environment: { S3_OFFLOAD_BUCKET: undefined, S3_OFFLOAD_PREFIX: undefined, S3_SPILL_BUCKET: '<bucket>', S3_DURABLE_PREFIX: DURABLE_DEFAULTS.durablePrefix },
        grants: on(DURABLE_S3_ACTIONS, DURABLE_DEFAULTS.durablePrefix).sort(),
      },
    ]));
  });

  test('the state machines have the same states, transitions and Choice rules', () => {
    const graph = (states: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(
        Object.entries(states).map(([name, state]) => [
          name,
          { Type: state.Type, Next: state.Next, End: state.End, Choices: state.Choices, Default: state.Default },
        ]),
      );
    const cdkMachine = Object.values(cdk.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
    // CDK writes the definition as an Fn::Join of text and function ARNs: the ARNs do not matter here.
    const parts = (cdkMachine.Properties!.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const cdkDefinition = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'arn')).join('')) as { StartAt: string; States: Record<string, Record<string, unknown>> };
    const samMachine = sam.Resources.Pipeline!;
    const samDefinition = samMachine.Properties!.Definition as { StartAt: string; States: Record<string, Record<string, unknown>> };
    expect(samDefinition.StartAt).toBe(cdkDefinition.StartAt);
    expect(graph(samDefinition.States)).toEqual(graph(cdkDefinition.States));
    expect(samDefinition.States['Anything to summarize?']!.Choices).toEqual([{ Variable: '$.status', StringEquals: 'EMPTY', Next: 'Nothing to summarize' }]);
  });

  test('a template that differs is caught (a read grant on the producer)', () => {
    const changed = parseCfnYaml(samText.replace('- s3:PutObject\n                - s3:AbortMultipartUpload\n              Resource', '- s3:PutObject\n                - s3:GetObject\n              Resource'));
    expect(offloadContract(changed)).not.toEqual(cdkContract);
  });
});
