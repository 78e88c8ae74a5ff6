// CommonJS so that both rollup.config.js and jest (test/tooling/coverage.test.ts) can load it.
const { resolve, sep } = require('node:path');

/**
 * Istanbul's counters in each module of src/, placed in the code TypeScript compiled and keyed by
 * the module's own .ts path; each file's counters carry the map back to that .ts file
 * (scripts/coverage-merge.ts applies it). The counters live in the global `__coverage__`, found
 * through `new Function('return this')`: no require or process, which neither Apps Script nor the
 * sidebar has.
 */
function instrumentForCoverage(root = process.cwd()) {
  // Loaded here, not with rollup.config.js: a plain build does not pay for babel (about 0.2 s).
  const { createInstrumenter } = require('istanbul-lib-instrument');
  const instrumenter = createInstrumenter({ esModules: true });
  const sources = resolve(root, 'src') + sep;
  return {
    name: 'istanbul-coverage',
    transform(code, id) {
      if (!id.startsWith(sources) || !id.endsWith('.ts')) return null;
      return { code: instrumenter.instrumentSync(code, id, this.getCombinedSourcemap()), map: null };
    },
  };
}

module.exports = { instrumentForCoverage };
