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
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toMatch(/Make the report.*Next.*Summarize it/);
    expect(definition).toContain('OffloadStoreError');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'ExpireOffloadedObjects', Prefix: 'offload/' })]) },
    });
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ S3_OFFLOAD_BUCKET: Match.anyValue(), S3_OFFLOAD_PREFIX: 'offload/' }) },
    });
  });
});

describe('samples/cdk offload handlers, run as the state machine runs them', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  test('the first returns about 1 MB, the state carries a reference, the second receives the rows whole', async () => {
    const s3 = await startLocalS3('offload-sample');
    try {
      // The unchanged default client of the library, pointed at the local S3 the standard way.
      Object.assign(process.env, {
        S3_OFFLOAD_BUCKET: s3.bucket,
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
        AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      });
      const { produce, consume, report, summarize } = await import('../../samples/cdk/offload-handlers.js');
      const context = { getRemainingTimeInMillis: () => 30_000 } as Context;
      const full = await report();
      expect(payloadBytes(full)).toBeGreaterThan(1_000_000);
      const state = await produce({}, context);
      expect(payloadBytes(state)).toBeLessThanOrEqual(STEP_FUNCTIONS_STATE_MAX_BYTES);
      expect(state).toHaveProperty('lambdaS3Offload.bytes', payloadBytes(full));
      // Step Functions passes the state as JSON text.
      const output = await consume(JSON.parse(JSON.stringify(state)), context);
      expect(output).toEqual(await summarize(full));
      expect(output.rows).toBe(20_000);
    } finally {
      await s3.stop();
    }
  });
});
