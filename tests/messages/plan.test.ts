/**
 * The producer's plan, a pure decision, over random batches (fast-check): the
 * batch rule holds for any sizes, attributes and threshold.
 */
import fc from 'fast-check';
import { MessageNotOffloadableError } from 'lambda-s3-spill/messages';
import { planOffload, type PlanMessage } from '../../src/messages/plan.js';
import { messageBytes } from '../../src/messages/sizes.js';

const settings = (threshold: number, batch: boolean) => ({ threshold, alwaysThroughS3: false, batch, bucket: 'b', keyPrefix: 'messages/' });

const message = fc.record({
  body: fc.oneof(fc.nat({ max: 4000 }).map((n) => 'a'.repeat(n)), fc.nat({ max: 1000 }).map((n) => '😀'.repeat(n))),
  attributeCount: fc.nat({ max: 10 }),
});

const batchOf = (entries: { body: string; attributeCount: number }[]): PlanMessage[] =>
  entries.map((e, i) => ({
    id: `e${i}`,
    body: e.body,
    attributes: Object.fromEntries(Array.from({ length: e.attributeCount }, (_, j) => [`a${j}`, { DataType: 'String', StringValue: 'v' }])),
    jsonStructure: false,
  }));

it('offloads every entry over the threshold, then the largest, until the batch fits; or refuses', () => {
  fc.assert(
    fc.property(fc.array(message, { minLength: 1, maxLength: 10 }), fc.integer({ min: 1024, max: 8000 }), (entries, threshold) => {
      const batch = batchOf(entries);
      const inline = batch.map((m) => messageBytes(m.body, m.attributes));
      let plan;
      try {
        plan = planOffload(batch, settings(threshold, true));
      } catch (error) {
        expect(error).toBeInstanceOf(MessageNotOffloadableError);
        return;
      }
      expect(plan.sentBytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(threshold);
      batch.forEach((_, i) => {
        if (inline[i]! > threshold) expect(plan.offload.has(i)).toBe(true);
      });
      // Largest first: no inline entry that could have gone is larger than one that went for the batch's sake.
      const forBatch = [...plan.offload].filter((i) => inline[i]! <= threshold);
      // (An entry of a few hundred bytes may stay: its pointer and attributes would be no smaller.)
      const couldGo = batch
        .map((_, i) => i)
        .filter((i) => !plan.offload.has(i) && Object.keys(batch[i]!.attributes!).length < 10 && inline[i]! > 400);
      for (const went of forBatch) for (const stayed of couldGo) expect(inline[stayed]!).toBeLessThanOrEqual(inline[went]!);
    }),
    { numRuns: 300 },
  );
});

it('a single message goes through S3 only when strictly over the threshold', () => {
  fc.assert(
    fc.property(message, fc.integer({ min: 1024, max: 8000 }), (entry, threshold) => {
      const [m] = batchOf([{ ...entry, attributeCount: Math.min(entry.attributeCount, 9) }]);
      const bytes = messageBytes(m!.body, m!.attributes);
      const plan = planOffload([{ ...m!, id: undefined }], settings(threshold, false));
      expect(plan.offload.has(0)).toBe(bytes > threshold);
    }),
    { numRuns: 300 },
  );
});
