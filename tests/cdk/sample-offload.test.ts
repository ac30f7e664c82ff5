/**
 * samples/cdk/offload-stack.ts: a Step Functions state machine of two functions,
 * synthesized with the AwsSolutions checks (esbuild bundling, no Docker); and
 * its two handlers run as the state machine would run them, against a local S3.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { Context } from 'aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { payloadBytes } from 'lambda-s3-spill';
import { STEP_FUNCTIONS_STATE_MAX_BYTES } from 'lambda-s3-spill/offload';
import { OffloadSampleStack } from '../../samples/cdk/offload-stack.js';
import { startLocalS3 } from '../../samples/local/s3-server.js';
import { validationFindings } from './helpers/stacks.js';
import { localS3Environment } from '../offload/helpers.js';

describe('samples/cdk offload stack', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'offload-sample-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  new OffloadSampleStack(app, 'OffloadSample');
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName('OffloadSample').template);

  test('synthesizes cdk-nag clean (every acknowledgement has its reason)', () => {
    expect(validationFindings(outdir)).toEqual([]);
  });

  test('two functions in a state machine, the second after the first, retrying typed offload failures', () => {
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toMatch(/Make the report.*Next.*Anything to summarize\?/);
    expect(definition).toContain('Choice');
    expect(definition).toContain('$.status');
    expect(definition).toContain('OffloadStoreError');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireOffloadedObjects', Prefix: 'offload/' })]) },
    });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const variables = functions.map((f) => f.Properties.Environment.Variables as Record<string, unknown>);
    expect(variables.filter((v) => v.S3_OFFLOAD_PREFIX === 'offload/')).toHaveLength(2);
    // The durable function: s3Serdes's environment, its prefix's own lifecycle rule (366 days).
    expect(functions.filter((f) => f.Properties.DurableConfig !== undefined)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      DurableConfig: { ExecutionTimeout: 604_800 },
      Environment: { Variables: Match.objectLike({ S3_SPILL_BUCKET: { Ref: Match.anyValue() }, S3_DURABLE_PREFIX: 'durable/' }) },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireDurableObjects', Prefix: 'durable/', ExpirationInDays: 366 })]) },
    });
  });
});

describe('samples/cdk offload handlers, run as the state machine runs them', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  test('the first returns a status and about 1 MB of rows, the state carries the status and a reference, the second receives the rows whole', async () => {
    const s3 = await startLocalS3('offload-sample');
    try {
      // The unchanged default client of the library, pointed at the local S3 the standard way.
      Object.assign(process.env, {
        S3_OFFLOAD_BUCKET: s3.bucket,
        ...localS3Environment(s3.endpoint),
      });
      const { produce, consume, report, summarize } = await import('../../samples/cdk/offload-handlers.js');
      const context = { getRemainingTimeInMillis: () => 30_000 } as Context;
      const full = await report();
      expect(payloadBytes(full)).toBeGreaterThan(1_000_000);
      const state = await produce({}, context);
      expect(payloadBytes(state)).toBeLessThanOrEqual(STEP_FUNCTIONS_STATE_MAX_BYTES);
      // paths: ['$.items']: the status stays inline for the Choice, the rows are a reference.
      expect(state).toHaveProperty('status', 'READY');
      expect(state).toHaveProperty('items.lambdaS3Offload.bytes', payloadBytes(full.items));
      // Step Functions passes the state as JSON text.
      const output = await consume(JSON.parse(JSON.stringify(state)), context);
      expect(output).toEqual(await summarize(full));
      expect(output.rows).toBe(20_000);
    } finally {
      await s3.stop();
    }
  });
});
