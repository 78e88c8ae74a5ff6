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
      {
        tsconfig: {
          module: 'commonjs',
          // A coverage run compiles src/ to the bundles' target (tsconfig.base.json): jest's counts
          // and the bundles' then find the same branches (`?.` and `??` are lowered to ES2019).
          target: process.env.COVERAGE === '1' ? 'ES2019' : 'ES2020',
          esModuleInterop: true,
          isolatedModules: true,
        },
      },
    ],
  },
  testTimeout: 60000,
  // Jest's default on a 2-core machine is one worker; the suites wait on child processes, the
  // simulator and the browser as much as on the CPU, so three workers keep both cores busy
  // (measured on 2 cores: jest 300 s with one worker, about 145 s with two, about 122 s with three).
  maxWorkers: 3,
  // A worker's heap grew past 2 GB over the files it ran (each file's emulated worlds and
  // compiled bundles are let go late), and a file then ran up to five times slower in garbage
  // collection: a worker past this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '1GB',
  // Longest first, also on a fresh clone without jest's timings (scripts/jest-slowest-first.cjs).
  testSequencer: '<rootDir>/scripts/jest-slowest-first.cjs',
  // Every file of src/ counts, run or not: a file no test runs shows as not covered rather than
  // going missing.
  collectCoverageFrom: ['src/**/*.ts'],
  // What runs in the built bundle and the browser is counted there (COVERAGE=1 builds it with
  // counters); scripts/coverage-report.ts adds those counts to jest's and prints the table.
  coverageReporters: ['json'],
  setupFilesAfterEnv: process.env.COVERAGE === '1' ? ['<rootDir>/scripts/jest-coverage-setup.ts'] : [],
};
