/** Runs samples/testing/spill.test.ts, the test docs/testing.md shows, as part of the suite. */
import '../../samples/testing/spill.test.js';
