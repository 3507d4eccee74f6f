// Lint: type-aware TypeScript rules plus the import rules of DESIGN.md (folders say where code may run).
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'http2', 'crypto', 'worker_threads', 'async_hooks', 'vm'];
const pattern = (group, message) => ({ group, message });

/** Import rules per source folder: what each may NOT import. */
const importRules = {
  common: [
    pattern(nodeBuiltins, 'src/common runs inside the workflow sandbox: no Node built-ins.'),
    pattern(['@grpc/*', 'protobufjs*', '@temporalio/*', 'ses', 'better-sqlite3', 'esbuild'], 'src/common may import only ms and long.'),
    pattern(['../*'], 'src/common may not import other duraflow folders.'),
  ],
  workflow: [
    pattern(nodeBuiltins, 'Workflow code runs in the SES sandbox: no Node built-ins.'),
    pattern(['@grpc/*', 'ses', 'better-sqlite3', 'esbuild', '@temporalio/*'], 'Workflow code may import only src/common.'),
    pattern(['../client/*', '../worker/*', '../activity/*', '../server/*', '../testing/*', '../cli/*', '../proto/*'], 'Workflow code may import only src/common.'),
  ],
  proto: [pattern(['../client/*', '../worker/*', '../server/*', '../workflow/*', '../testing/*', '../cli/*'], 'src/proto is a leaf: it may not import other duraflow folders.')],
  client: [pattern(['../worker/*', '../workflow/*', '../server/*', '../testing/*', '../cli/*', '../activity/*'], 'The client may import only common and proto.')],
  activity: [pattern(['../worker/*', '../workflow/*', '../server/*', '../testing/*', '../cli/*'], 'Activity context may import only common.')],
  worker: [
    pattern(['../server/*', '../testing/*', '../cli/*', '../../server/*', '../../testing/*', '../../cli/*'], 'The worker talks to the server only over gRPC.'),
  ],
  server: [
    pattern(['../client/*', '../worker/*', '../workflow/*', '../activity/*', '../testing/*', '../cli/*', '../../client/*', '../../worker/*', '../../workflow/*', '../../activity/*', '../../testing/*', '../../cli/*'], 'The dev server talks to clients and workers only over gRPC.'),
    pattern(['ses', 'esbuild'], 'The dev server does not run workflow code.'),
  ],
  testing: [pattern(['../cli/*'], 'testing may not import the CLI.')],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**/bundle*.js', 'bench/**/results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...Object.entries(importRules).map(([folder, patterns]) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  // src/workflow from a worker file at each depth (src/worker/workflow, the history machines, is the worker's own).
  ...['src/worker/*.ts', 'src/worker/*/*.ts', 'src/worker/*/*/*.ts'].map((files, i) => ({
    files: [files],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          ...importRules.worker,
          {
            regex: `^(\\.\\./){${i + 1}}workflow/(?!runtime/protocol\\.js$)`,
            message: 'Workflow code runs only inside the sandbox (bundled); the worker shares just the protocol types.',
          },
        ],
      }],
    },
  })),
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.js', 'test/**/*.ts', 'bench/**/*.js', 'examples/**/*.js', '*.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
);
