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
    files: ['*.js', '*.cjs', '*.mjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
