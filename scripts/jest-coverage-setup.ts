// Jest loads this after each test file's environment when COVERAGE=1 (jest.config.cjs): the
// bundle's counts of the file's worlds are saved when the file is done.
import { flushBundleCounters } from './coverage-counters';

afterAll(flushBundleCounters);
