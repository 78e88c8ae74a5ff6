import { resolve } from 'node:path';
import ts from 'typescript';

/**
 * What each part of the code may name, checked with the tsconfig that part is built with: a
 * file placed in `dir` holding `source`, type-checked alone.
 */
function typeErrors(dir: string, source: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(resolve(dir, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const fileName = resolve(dir, 'environment-probe.ts');
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const NODE_AND_BROWSER = {
  Buffer: "export const value = Buffer.from('x');",
  process: 'export const value = process.env.HOME;',
  fetch: "export const value = fetch('https://example.com');",
  document: 'export const value = document.title;',
};

describe('each part of the code is checked against the platform it runs on', () => {
  it('server code has ES2020 and Apps Script, and neither Node nor the browser', () => {
    expect(
      typeErrors('src/server', 'export const value = [1, 2].includes(2) && UrlFetchApp.fetchAll([]);'),
    ).toEqual([]);
    for (const [name, source] of Object.entries(NODE_AND_BROWSER))
      expect(typeErrors('src/server', source).join(' ')).toContain(`Cannot find name '${name}'`);
  });

  it('sidebar code has the browser and not Node', () => {
    expect(typeErrors('src/sidebar', NODE_AND_BROWSER.document)).toEqual([]);
    expect(typeErrors('src/sidebar', NODE_AND_BROWSER.fetch)).toEqual([]);
    for (const name of ['Buffer', 'process'] as const)
      expect(typeErrors('src/sidebar', NODE_AND_BROWSER[name]).join(' ')).toContain(
        `Cannot find name '${name}'`,
      );
  });

  it('tests, the sandbox and the bench have both', () => {
    for (const source of Object.values(NODE_AND_BROWSER)) expect(typeErrors('.', source)).toEqual([]);
  });
});
