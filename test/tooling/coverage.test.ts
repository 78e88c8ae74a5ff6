import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import vm from 'node:vm';
import type { FileCoverageData } from 'istanbul-lib-coverage';
import ts from 'typescript';
import { type SavedCounters, toSource, withJest } from '../../scripts/coverage-merge';
import { instrumentForCoverage } from '../../scripts/rollup-coverage.cjs';

type Transform = (
  this: { getCombinedSourcemap(): unknown },
  code: string,
  id: string,
) => { code: string } | null;

/** What `COVERAGE=1 npm run build` does to one module: TypeScript's output and map, then the coverage plugin. */
function instrument(root: string, file: string): string | null {
  const compiled = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, sourceMap: true },
  });
  const transform = instrumentForCoverage(root).transform as Transform;
  const map = JSON.parse(compiled.sourceMapText!) as unknown;
  return transform.call({ getCombinedSourcemap: () => map }, compiled.outputText, file)?.code ?? null;
}

// Comment and interface lines vanish from the compiled code: its line numbers are not the source's.
const PICK = `// Picks one of two.
interface Choice { yes: string; no: string }
export function pick(flag: boolean, choice: Choice): string {
  if (flag) return choice.yes;
  return choice.no;
}
`;

const root = mkdtempSync(join(tmpdir(), 'coverage-'));
const pickFile = join(root, 'src', 'pick.ts');
mkdirSync(join(root, 'src'));
writeFileSync(pickFile, PICK);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** pick() run once each way, each time in a fresh global scope sharing one counter store, as in the emulation. */
function pickRunBothWays() {
  // No modules, as in Apps Script: pick becomes a global function, as the bundle's entry points are.
  const script = instrument(root, pickFile)!.replace('export function', 'function');
  const counters = {};
  for (const flag of [true, false]) {
    const scope = vm.createContext({ __coverage__: counters });
    vm.runInContext(script, scope);
    vm.runInContext(`pick(${flag}, { yes: 'y', no: 'n' })`, scope);
  }
  return toSource([JSON.parse(JSON.stringify(counters)) as SavedCounters]);
}

describe('coverage of the built code', () => {
  it("keys each module's counters by its TypeScript path under src/, and leaves other code alone", () => {
    const runner = resolve('src', 'server', 'reports', 'runner.ts');
    const keys = [...instrument(process.cwd(), runner)!.matchAll(/var path="([^"]*)"/g)].map(
      (found) => found[1],
    );
    expect(keys).toEqual([runner]);
    expect(instrument(process.cwd(), resolve('sandbox', 'preview', 'server.ts'))).toBeNull();
  });

  it('adds up the counts of fresh global scopes and maps them back to the TypeScript lines', async () => {
    const counts = (await pickRunBothWays()).fileCoverageFor(pickFile);
    expect(counts.getLineCoverage()).toEqual({ 4: 2, 5: 1 });
    expect(Object.values(counts.fnMap).map((fn) => fn.loc.start.line)).toEqual([3]);
    expect(counts.f).toEqual({ 0: 2 });
    expect(Object.values(counts.b)).toEqual([[1, 1]]);
  });

  it('lets the built counts stand for a file jest only listed, and adds them to a file jest ran', async () => {
    const built = await pickRunBothWays();
    const range = (line: number, from: number, to: number) => ({
      start: { line, column: from },
      end: { line, column: to },
    });
    // Jest compiles the file its own way: a statement of its own (an import line) at line 1, and
    // `return choice.no` counted from column 0 where the bundle counts it from column 2.
    const byJest = (count: number): FileCoverageData => ({
      path: pickFile,
      statementMap: { 0: range(1, 0, 20), 1: range(5, 0, 19) },
      s: { 0: count, 1: count },
      fnMap: {},
      f: {},
      branchMap: {},
      b: {},
    });
    const unrun = withJest({ [pickFile]: byJest(0) }, built).fileCoverageFor(pickFile);
    expect(unrun.getLineCoverage()).toEqual({ 4: 2, 5: 1 });
    expect(unrun.toSummary().statements.total).toBe(3);
    const ran = withJest({ [pickFile]: byJest(3) }, built).fileCoverageFor(pickFile);
    expect(ran.getLineCoverage()).toEqual({ 1: 3, 4: 2, 5: 4 });
    // The import, the if and its return, and one `return choice.no`, not two.
    expect(ran.toSummary().statements.total).toBe(4);
  });
});
