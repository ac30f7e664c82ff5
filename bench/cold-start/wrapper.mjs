// withS3Spill with its default options (no Middy).
import { withS3Spill } from '../../src/index.ts';
import { answer } from './body.mjs';

export const handler = withS3Spill(answer, { bucket: process.env.BENCH_BUCKET });
