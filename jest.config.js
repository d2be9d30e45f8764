/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  testTimeout: 30000,
  setupFiles: ['<rootDir>/tests/helpers/englishMessages.js'],
  reporters: ['default', '<rootDir>/tests/helpers/summaryReporter.js'],
};
