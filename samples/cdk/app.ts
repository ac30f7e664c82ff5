/**
 * The sample CDK app, with the cdk-nag AwsSolutions checks: synthesis fails on
 * any unacknowledged finding. `npm run cdk:synth` prints the template;
 * `npx cdk synth` in this directory (cdk.json) works too.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SpillSampleStack } from './stack.js';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
new SpillSampleStack(app, 'SpillSample');
const assembly = app.synth();

// The CDK CLI sets CDK_OUTDIR and prints the template itself.
if (process.env.CDK_OUTDIR === undefined) {
  console.log(JSON.stringify(assembly.getStackByName('SpillSample').template, null, 2));
}
