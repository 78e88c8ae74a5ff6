import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Apps Script's global services may be named only in the entry file, so the core stays
// plain functions that tests can call without an Apps Script world.
const appsScriptGlobals = [
  'SpreadsheetApp',
  'PropertiesService',
  'CacheService',
  'LockService',
  'UrlFetchApp',
  'HtmlService',
  'ScriptApp',
  'Session',
  'Utilities',
  'MailApp',
  'Logger',
  'OAuth2',
].map((name) => ({
  name,
  message: 'Only src/server/main.ts may use Apps Script globals; pass the service in.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', '.preview-state/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-globals': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/server/main.ts'],
    rules: { 'no-restricted-globals': ['error', ...appsScriptGlobals] },
  },
  {
    // Type-aware rules, each part with the tsconfig it is built with: a promise nobody awaits
    // or catches in the sidebar loses its error where the user never sees it.
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['./src/server/tsconfig.json', './src/sidebar/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // A DOM handler that returns a promise loses its rejection: the browser ignores what a
    // listener returns, so a failed server call would leave the sidebar silent.
    files: ['src/sidebar/**/*.ts'],
    rules: { '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    files: ['*.js', '*.cjs', '*.mjs', 'scripts/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
