/** Jest runs the TypeScript sources as ESM (`@middy/core` 7 is ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^lambda-s3-spill$': '<rootDir>/src/index.ts',
    '^lambda-s3-spill/offload$': '<rootDir>/src/offload/index.ts',
    '^lambda-s3-spill/uploads$': '<rootDir>/src/uploads/index.ts',
    '^lambda-s3-spill/cdk$': '<rootDir>/cdk/index.ts',
    '^lambda-s3-spill/dev$': '<rootDir>/src/dev/index.ts',
    '^lambda-s3-spill/cache$': '<rootDir>/src/cache/index.ts',
    '^lambda-s3-spill/browser$': '<rootDir>/src/browser/upload.ts',
    '^lambda-s3-spill/messages$': '<rootDir>/src/messages/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // src/logging/powertools-logger.cts is imported as `.cjs`, the name tsc gives it in dist.
    '^(\\.{1,2}/.*)\\.cjs$': '$1.cts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
    '^.+\\.cts$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
