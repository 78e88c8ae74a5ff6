// How the counts of a coverage run add up: jest's (what tests run in Node, straight from src/)
// and those saved under coverage/raw/ (the built bundle in the Apps Script emulation, the sidebar
// in Chromium). scripts/coverage-report.ts prints them.
import { relative } from 'node:path';
import libCoverage, {
  type CoverageMap,
  type CoverageSummary,
  type FileCoverageData,
  type Location,
  type Range,
} from 'istanbul-lib-coverage';
import libSourceMaps from 'istanbul-lib-source-maps';

// CommonJS modules whose names Node's ES module loader cannot see: tsx runs this file as a module.
const { createCoverageMap, createCoverageSummary } = libCoverage;
const { createSourceMapStore } = libSourceMaps;

/** Counters as a build saves them: istanbul's data with the hash of the code they count. */
export type SavedCounters = Record<string, FileCoverageData & { hash: string }>;

/** The README's rows: a folder counts every file under it. */
export const FOLDERS: Array<[label: string, folder: string]> = [
  ['all of `src/`', 'src/'],
  ['`src/server/`', 'src/server/'],
  ...['auth', 'catalog', 'connectors', 'linkedin', 'reports', 'sheets', 'ui'].map(
    (name): [string, string] => [`\`src/server/${name}/\``, `src/server/${name}/`],
  ),
  ['`src/sidebar/`', 'src/sidebar/'],
];

export const hits = (data: FileCoverageData) =>
  Object.values(data.s).some((count) => count > 0) || Object.values(data.f).some((count) => count > 0);

/**
 * Counters of the built code are counted against the compiled JavaScript; each file carries the map
 * back to its TypeScript. A file may come from two builds (server and sidebar compile it apart),
 * so each build's counters are mapped on their own before being added up.
 */
export async function toSource(raw: SavedCounters[]): Promise<CoverageMap> {
  const builds = new Map<string, CoverageMap>();
  for (const counters of raw) {
    for (const data of Object.values(counters)) {
      const build = `${data.path}\n${data.hash}`;
      const sum = builds.get(build);
      if (sum) sum.merge({ [data.path]: data });
      else builds.set(build, createCoverageMap({ [data.path]: data }));
    }
  }
  const total = createCoverageMap({});
  const store = createSourceMapStore();
  for (const counts of builds.values()) total.merge(await store.transformCoverage(counts));
  return total;
}

const at = (range: Range) =>
  `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
// A source map may leave a statement's end column open: the end of its line.
const notAfter = (a: Location, b: Location) =>
  a.line < b.line || (a.line === b.line && (a.column ?? Infinity) <= (b.column ?? Infinity));
const within = (inner: Range, outer: Range) =>
  notAfter(outer.start, inner.start) && notAfter(inner.end, outer.end);
const size = (range: Range) => [range.end.line - range.start.line, range.end.column - range.start.column];
const smaller = (a: Range, b: Range) => {
  const [linesA, columnsA] = size(a);
  const [linesB, columnsB] = size(b);
  return linesA - linesB || columnsA - columnsB;
};

/**
 * The two compilations place some statements apart: `export const LIMIT = 10` is one statement from
 * `LIMIT` in jest's CommonJS and from `10` in the bundle. A built statement that jest's map lacks
 * takes the place of the smallest statement around it that only jest's map has, so the two count
 * as the one statement they are.
 */
function alignStatements(built: FileCoverageData, jest: FileCoverageData): FileCoverageData {
  const jestAt = new Set(Object.values(jest.statementMap).map(at));
  const builtAt = new Set(Object.values(built.statementMap).map(at));
  const jestOnly = Object.values(jest.statementMap).filter((range) => !builtAt.has(at(range)));
  const statementMap: FileCoverageData['statementMap'] = {};
  for (const [id, range] of Object.entries(built.statementMap)) {
    const around = jestAt.has(at(range))
      ? undefined
      : jestOnly.filter((outer) => within(range, outer)).sort(smaller)[0];
    statementMap[id] = around ?? range;
  }
  return { ...built, statementMap };
}

/**
 * Jest lists every file of src/, the ones no test of its own loads at zero. Such a file's counts
 * come from the bundle or the browser alone: jest's map of it, compiled another way, has
 * statements of its own (its imports) that would stay uncovered for good.
 */
export function withJest(jest: Record<string, FileCoverageData>, built: CoverageMap): CoverageMap {
  const total = createCoverageMap({});
  for (const data of Object.values(jest)) {
    // istanbul's mark of a file no test loaded: any other counts of it take its place.
    const unrun: FileCoverageData & { all: boolean } = { ...data, all: !hits(data) };
    total.addFileCoverage(unrun);
  }
  for (const file of built.files()) {
    const counts = built.fileCoverageFor(file).data;
    total.addFileCoverage(jest[file] && hits(jest[file]) ? alignStatements(counts, jest[file]) : counts);
  }
  return total;
}

export function folderSummaries(map: CoverageMap, root: string): Array<[string, CoverageSummary]> {
  return FOLDERS.map(([label, folder]) => {
    const summary = createCoverageSummary();
    for (const file of map.files())
      if (relative(root, file).startsWith(folder)) summary.merge(map.fileCoverageFor(file).toSummary());
    return [label, summary];
  });
}
