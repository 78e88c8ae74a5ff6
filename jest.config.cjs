/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // src/ is a root too, so coverage finds the files no test imports (testMatch keeps tests in test/).
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      // Type errors are tsc's job (npm run typecheck); here we only transpile, which keeps tests fast.
      { tsconfig: { module: 'commonjs', target: 'ES2020', esModuleInterop: true, isolatedModules: true } },
    ],
  },
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker; the suites wait on child processes, the
  // simulator and the browser as much as on the CPU, so three workers keep both cores busy
  // (measured on 2 cores: jest 300 s with one worker, about 145 s with two, about 122 s with three).
  maxWorkers: 3,
  // Every file of src/ counts, run or not: code that runs only inside the built bundle (in the
  // Apps Script emulation) or in the browser shows as not covered rather than going missing.
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text', 'text-summary'],
};
