/**
 * Stacks for the tests, the placeholder functions, roles and existing bucket they use, the
 * check of a refused prop, and cdk-nag 3 run the way an app runs it: as a
 * policy validation plugin during synthesis.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { SpillBucket, SpillBucketPropsError, type SpillBucketProps } from 'lambda-s3-spill/cdk';

/** A function that stands for the user's (Node.js 24, an inline handler); `props` adds to it or overrides (`durableConfig`). */
export function placeholderFunction(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...props,
  });
}

/** The team's own bucket `team-spill-bucket`, imported, to give as `bucket`. */
export function existingBucket(scope: Construct): s3.IBucket {
  return s3.Bucket.fromBucketName(scope, 'Existing', 'team-spill-bucket');
}

/** A role that any principal of the account may assume, to grant to. */
export function placeholderRole(stack: Stack, id: string): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
}

/** `build` throws a `SpillBucketPropsError` whose message matches `message`. */
export function expectPropsError(build: () => unknown, message: string | RegExp): void {
  expect(build).toThrow(SpillBucketPropsError);
  expect(build).toThrow(message);
}

/** Add a stack `id` with a function connected to a `SpillBucket` to `app`. */
export function addSpillStack(
  app: App,
  props?: SpillBucketProps,
  configure?: (stack: Stack) => SpillBucketProps,
  id = 'Test',
) {
  const stack = new Stack(app, id);
  const fn = placeholderFunction(stack, 'Fn');
  const spill = new SpillBucket(stack, 'Spill', { ...props, ...configure?.(stack) });
  const grant = spill.connect(fn);
  return { app, stack, fn, spill, grant };
}

/** A new app with {@link addSpillStack}. */
export function spillStack(props?: SpillBucketProps, configure?: (stack: Stack) => SpillBucketProps) {
  return addSpillStack(new App(), props, configure);
}

/**
 * Synthesize `build`'s app with the AwsSolutions pack and return `<rule id> at
 * <construct path>` for every unacknowledged finding (synthesis fails on any).
 */
export function synthWithNag(build: (app: App) => void): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'spill-nag-'));
  try {
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    build(app);
    try {
      app.synth();
    } catch (error) {
      if (!existsSync(join(outdir, VALIDATION_REPORT))) throw error;
    }
    return validationFindings(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The file CDK writes into the cloud assembly when validation plugins ran. */
export const VALIDATION_REPORT = 'validation-report.json';

/** `<rule id> at <construct path>` for every violation in a cloud assembly's validation report. */
export function validationFindings(outdir: string): string[] {
  const { pluginReports } = JSON.parse(readFileSync(join(outdir, VALIDATION_REPORT), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  return pluginReports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
  );
}
