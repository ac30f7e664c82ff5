/**
 * The Step Functions sample with `paths`: its definition (the SAM template's,
 * which a test keeps equal to the CDK sample's) run by a modelled execution
 * over the sample's real handlers, a local Lambda invoke front end and a local
 * S3. The `Choice` reads the control field inline next to the offloaded
 * `$.items`; the next function, and a caller, get the rows back deep-equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { payloadBytes } from 'lambda-s3-spill';
import { OFFLOAD_REFERENCE_KEY, resolveOffloaded, STEP_FUNCTIONS_STATE_MAX_BYTES } from 'lambda-s3-spill/offload';
import { type InvokeFrontEnd, startInvokeFrontEnd } from '../../samples/local/invoke-server.js';
import { parseCfnYaml } from '../cdk/helpers/cfn-yaml.js';
import { type Definition, execute } from './step-functions-model.js';
import { localS3Environment } from './helpers.js';
import { useLocalS3 } from '../support/local-s3.js';

const template = parseCfnYaml(readFileSync(join(process.cwd(), 'samples', 'sam', 'offload-template.yaml'), 'utf8')) as unknown as {
  Resources: { Pipeline: { Properties: { Definition: Definition } } };
};
const definition = template.Resources.Pipeline.Properties.Definition;
const functions = { '${ProduceArn}': 'produce', '${ConsumeArn}': 'consume' };

const saved = { ...process.env };
let frontEnd: InvokeFrontEnd;
let handlers: typeof import('../../samples/cdk/offload-handlers.js');
const s3 = useLocalS3('offload-choice');
beforeAll(async () => {
  // The sample's handlers as deployed: the library's default client, pointed at the local S3 the standard way.
  Object.assign(process.env, {
    S3_OFFLOAD_BUCKET: s3.bucket,
    ...localS3Environment(s3.endpoint),
  });
  handlers = await import('../../samples/cdk/offload-handlers.js');
  frontEnd = await startInvokeFrontEnd({ produce: handlers.produce, consume: handlers.consume });
});
afterAll(async () => {
  process.env = saved;
  await frontEnd.stop();
});

it('the Choice reads $.status inline next to the offloaded $.items, and the rows arrive whole', async () => {
  const full = await handlers.report();
  expect(payloadBytes(full)).toBeGreaterThan(4 * STEP_FUNCTIONS_STATE_MAX_BYTES);
  const run = await execute(definition, {}, frontEnd, functions);
  if (!run.ok) throw new Error(run.error);
  expect(run.visited).toEqual(['Make the report', 'Anything to summarize?', 'Summarize it']);
  const afterProduce = run.states[0] as { status: string; items: Record<string, unknown> };
  expect(afterProduce.status).toBe('READY');
  expect(Object.keys(afterProduce.items)).toEqual([OFFLOAD_REFERENCE_KEY]);
  expect(payloadBytes(afterProduce)).toBeLessThan(1_000);
  expect(run.output).toEqual(await handlers.summarize(full));
  // A caller holding the state resolves it to the report, deep-equal.
  expect(await resolveOffloaded(afterProduce, { bucket: s3.bucket })).toEqual(full);
});

it('an empty report fits: nothing offloaded, and the Choice ends the execution', async () => {
  const run = await execute(definition, { empty: true }, frontEnd, functions);
  if (!run.ok) throw new Error(run.error);
  expect(run.visited).toEqual(['Make the report', 'Anything to summarize?', 'Nothing to summarize']);
  expect(run.output).toEqual({ status: 'EMPTY', items: [] });
});

it('without paths the whole result is a reference and the Choice cannot read the status (why the sample uses paths)', async () => {
  const { default: middy } = await import('@middy/core');
  const { s3Offload } = await import('lambda-s3-spill/offload');
  const whole = middy(handlers.report).use(s3Offload({ maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES }));
  const local = await startInvokeFrontEnd({ produce: whole, consume: handlers.consume });
  try {
    const run = await execute(definition, {}, local, functions);
    if (!run.ok) throw new Error(run.error);
    // The status is inside the stored object: the Choice falls to its Default, whatever the status was.
    expect(run.states[0]).not.toHaveProperty('status');
    expect(run.visited).toEqual(['Make the report', 'Anything to summarize?', 'Summarize it']);
  } finally {
    await local.stop();
  }
});
