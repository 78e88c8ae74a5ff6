// Builds what Apps Script runs: one server script whose entry points are top-level
// function declarations (Apps Script finds menu handlers, triggers and
// google.script.run targets by global name), and one self-contained sidebar HTML file
// (Apps Script serves only .html files, so script and styles are inlined).
import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import nodeResolve from '@rollup/plugin-node-resolve';
import { instrumentForCoverage } from './scripts/rollup-coverage.cjs';

/** `COVERAGE=1 npm run build` (which `npm run coverage` runs) counts what each bundle runs. */
const COVERAGE = process.env.COVERAGE === '1';

/** Each bundle is compiled with its own environment's types: Apps Script's V8 for the server, the browser for the sidebar. */
const typescriptOptions = (tsconfig) => ({
  tsconfig,
  noEmit: false,
  include: ['src/**/*.ts'],
  // The counters are placed in the compiled JavaScript; the map takes them back to the TypeScript.
  ...(COVERAGE && { sourceMap: true }),
});

/** Apps Script has no module system: the entry's `export { ... }` must go, the declarations stay. */
function stripExports() {
  return {
    name: 'apps-script-strip-exports',
    renderChunk(code) {
      return { code: code.replace(/^export\s*\{[^}]*\};?\s*$/gm, ''), map: null };
    },
  };
}

function copyManifest() {
  return {
    name: 'apps-script-manifest',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'appsscript.json',
        source: readFileSync('appsscript.json', 'utf8'),
      });
    },
  };
}

/** Replaces the sidebar's script chunk with Sidebar.html holding the script and styles inline. */
function inlineIntoHtml({ template, styles, fileName }) {
  return {
    name: 'inline-into-html',
    generateBundle(_options, bundle) {
      const [chunkName, chunk] = Object.entries(bundle).find(([, output]) => output.type === 'chunk');
      delete bundle[chunkName];
      // "</" inside an inline script would close the <script> element early.
      const script = chunk.code.replace(/<\//g, '<\\/');
      const html = readFileSync(template, 'utf8')
        .replace('/*INLINE_STYLES*/', () => readFileSync(styles, 'utf8'))
        .replace('/*INLINE_SCRIPT*/', () => script);
      this.emitFile({ type: 'asset', fileName, source: html });
    },
  };
}

export default [
  {
    input: 'src/server/main.ts',
    output: { file: 'dist/Code.js', format: 'es' },
    treeshake: { moduleSideEffects: false },
    plugins: [
      nodeResolve(),
      typescript(typescriptOptions('src/server/tsconfig.json')),
      COVERAGE && instrumentForCoverage(),
      stripExports(),
      copyManifest(),
    ],
  },
  {
    input: 'src/sidebar/sidebar.ts',
    output: { dir: 'dist', format: 'iife' },
    plugins: [
      nodeResolve(),
      typescript({ ...typescriptOptions('src/sidebar/tsconfig.json') }),
      COVERAGE && instrumentForCoverage(),
      inlineIntoHtml({
        template: 'src/sidebar/sidebar.html',
        styles: 'src/sidebar/sidebar.css',
        fileName: 'Sidebar.html',
      }),
    ],
  },
];
