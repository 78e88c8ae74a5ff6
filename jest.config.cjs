/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      // Type errors are tsc's job (npm run typecheck); here we only transpile, which keeps tests fast.
      { tsconfig: { module: 'commonjs', target: 'ES2020', esModuleInterop: true, isolatedModules: true } },
    ],
  },
  testTimeout: 60000,
};
