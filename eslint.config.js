// @ts-check
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Folders that may not reach into the hosting layer, and the rules module that may import nothing. */
const noBot = { group: ['**/bot/**', '../bot/*', '../../bot/*'], message: 'Nothing imports bot/: it is the composition root.' };
/**
 * Use cases and storage know which languages exist (locales/locale.ts, a leaf) and the FAQ content kept beside the
 * other strings, never how interface text is produced (i18next, translators).
 */
const onlyLocaleList = {
  group: ['**/locales/*.js', '!**/locales/locale.js', '**/locales/*/*.json', '!**/locales/*/faq.json'],
  message: 'services/ and storage/ may import only locales/locale.js and the FAQ content.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/gallery/renderInPage.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Import cycles: a module graph that points one way can be read, tested and split; a cycle cannot. Sources
    // import each other as `./x.js` (NodeNext): the resolver maps that to the `.ts` file.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^(?!\\./|zod$)', message: 'rules/ is pure: it imports only its own files.' },
      ] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'rules/ never reads the environment.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'rules/ takes now as an argument.' }],
    },
  },
  {
    files: ['understanding/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { regex: '^(?!\\./)', message: 'understanding/ is pure: it imports only its own files (the model included).' },
      ] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'understanding/ never reads the environment.' }],
    },
  },
  {
    files: ['dialogs/**/*.ts', 'cards/**/*.ts', 'locales/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noBot] }] },
  },
  {
    files: ['storage/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noBot, onlyLocaleList] }] },
  },
  {
    files: ['services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noBot, onlyLocaleList, { group: ['**/dialogs/**', 'botbuilder*'], message: 'services/ know nothing of conversations.' }] }] },
  },
  {
    // bot/ composes; it reads and writes nothing itself: the ledger's collections, keys and records are the
    // services' (storage/ answers to them). Only bot/stores.ts, which opens the stores, imports storage/'s values;
    // elsewhere in bot/ the `Ledger` type is handed on to the services that use it.
    files: ['bot/**/*.ts'],
    ignores: ['bot/stores.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: ['**/storage/**', '../storage/*', '../../storage/*'], allowTypeImports: true, message: 'bot/ reads the ledger through services/; only bot/stores.ts opens the stores.' },
    ] }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
