/** The layout: a folder per utility around shared folders, and no folder imports a folder that imports it back. */
import { folderCycles, folderGraph } from '../support/folder-graph.js';

it('has no cycle between the folders of src/', () => {
  expect(folderCycles(folderGraph())).toEqual([]);
});

it('finds a cycle when there is one (the check can fail)', () => {
  const graph = new Map([
    ['a/', new Set(['b/'])],
    ['b/', new Set(['c/'])],
    ['c/', new Set(['a/'])],
    ['d/', new Set(['a/'])],
  ]);
  expect(folderCycles(graph)).toEqual([['a/', 'b/', 'c/']]);
});

it('reads the imports: each utility reaches the shared S3 access, options and errors', () => {
  const graph = folderGraph();
  for (const utility of ['spill/', 'offload/', 'uploads/', 'cache/']) {
    for (const shared of ['s3/', 'options/', 'errors/', 'logging/', 'lambda/', 'contract.ts']) {
      expect([utility, [...graph.get(utility)!].includes(shared)]).toEqual([utility, true]);
    }
  }
});
