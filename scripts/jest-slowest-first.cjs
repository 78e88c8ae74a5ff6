// Orders test files longest first on every run, so a fresh clone (CI: no timing cache yet)
// schedules like a warm run does. Jest's default puts files without timings by file size,
// which started long-imports (short file, long run) last on 2 cores and left it alone at
// the end for a minute. Timings jest has recorded come first; these estimates (seconds on
// 2 cores, from `npm test`) stand in for the ones it has not.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ESTIMATED_SECONDS = {
  'test/browser/reports-panel.test.ts': 65,
  'test/browser/connect.test.ts': 45,
  'test/integration/long-imports.test.ts': 31,
  'test/integration/ads.test.ts': 27,
  'test/integration/fault-and-kill.test.ts': 26,
  'test/integration/planner.test.ts': 26,
  'test/integration/reports.test.ts': 24,
  'test/integration/save-stops.test.ts': 23,
  'test/integration/crash-safety.test.ts': 20,
  'test/tooling/environments.test.ts': 18,
  'test/browser/sidebar.test.ts': 18,
  'test/integration/destinations.test.ts': 20,
  'test/integration/tab-edits.test.ts': 18,
  'test/integration/schedules-and-editors.test.ts': 11,
  'test/integration/npm-start.test.ts': 11,
};

class SlowestFirst extends Sequencer {
  time(test) {
    const relative = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
    return super.time(test) ?? (ESTIMATED_SECONDS[relative] ?? 1) * 1000;
  }
}

module.exports = SlowestFirst;
