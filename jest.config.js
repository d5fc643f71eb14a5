/** Tests run against real servers (Temporal, PostgreSQL) that test/global-setup.ts starts once. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '@swc/jest', '^.+/@seriousme/.+\\.js$': '@swc/jest' },
  // The OpenAPI validator ships as ES modules only: compile it like our own code.
  transformIgnorePatterns: ['/node_modules/(?!@seriousme/)'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  setupFiles: ['<rootDir>/test/setup-runtime.ts'],
  testTimeout: 60_000,
  // The servers are shared and the machine has 2 cores: one test file at a time.
  maxWorkers: 1,
};
