// The last step of `npm run coverage`: jest's counts and the built code's (scripts/coverage-merge.ts),
// printed per folder as the README shows them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CoverageMap, CoverageSummary, FileCoverageData } from 'istanbul-lib-coverage';
import { RAW_COVERAGE_DIR } from './coverage-counters';
import { folderSummaries, hits, type SavedCounters, toSource, withJest } from './coverage-merge';

const JEST_COVERAGE = resolve('coverage', 'coverage-final.json');
const MERGED_COVERAGE = resolve('coverage', 'coverage-merged.json');

function table(rows: Array<[string, CoverageSummary]>): string {
  const cells = rows.map(([label, summary]) => [
    label,
    ...(['statements', 'branches', 'functions', 'lines'] as const).map((kind) => `${summary[kind].pct}%`),
  ]);
  const header = ['folder', 'statements', 'branches', 'functions', 'lines'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column].length)),
  );
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

function readRaw(where: 'bundle' | 'browser'): SavedCounters[] {
  const files = existsSync(RAW_COVERAGE_DIR)
    ? readdirSync(RAW_COVERAGE_DIR).filter((file) => file.startsWith(`${where}-`))
    : [];
  return files.map((file) => JSON.parse(readFileSync(join(RAW_COVERAGE_DIR, file), 'utf8')) as SavedCounters);
}

/** Without the built code's counters, reports/, ui/ and the sidebar would quietly read as untested. */
function requireCounts(map: CoverageMap, where: string, file: string): void {
  const path = resolve(file);
  if (!map.files().includes(path) || !hits(map.fileCoverageFor(path).data))
    throw new Error(
      `No ${where} counts for ${file}: was dist/ built with COVERAGE=1, and did the tests run with COVERAGE=1?`,
    );
}

if (!existsSync(JEST_COVERAGE)) throw new Error(`${JEST_COVERAGE} is missing: run jest --coverage first.`);
const bundle = await toSource(readRaw('bundle'));
const browser = await toSource(readRaw('browser'));
requireCounts(bundle, 'bundle', 'src/server/reports/runner.ts');
requireCounts(browser, 'browser', 'src/sidebar/reports-panel.ts');
bundle.merge(browser);
const jest = JSON.parse(readFileSync(JEST_COVERAGE, 'utf8')) as Record<string, FileCoverageData>;
const total = withJest(jest, bundle);
writeFileSync(MERGED_COVERAGE, JSON.stringify(total.toJSON()));
console.log(table(folderSummaries(total, process.cwd())));
console.log(`\nPer file: ${relative(process.cwd(), MERGED_COVERAGE)} (istanbul JSON).`);
