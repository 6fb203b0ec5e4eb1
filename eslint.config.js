// Lint is part of `npm test`: type-aware rules catch floating promises, which in an
// RxJS/async engine silently lose errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// Layers, bottom-up (DESIGN §5). A folder may import itself, the layers before it and the
// root files of its tree; never a later layer, and never the tree's barrel (index.ts).
// lib: root files (errors.ts, log.ts, registry.ts, shape-anchor.ts, …) are the base.
const LIB_LAYERS = ['calendar', 'indicators', 'metrics', 'store', 'clock', 'config', 'session', 'execution', 'cli'];
// operators: the order in which processTick uses them (DESIGN §2); internal/ is shared helpers.
const OPERATOR_LAYERS = ['internal', 'bars', 'indicators', 'quality', 'scanners', 'execution', 'strategies'];

/** no-restricted-paths zones that forbid every upward import of `layers` under `root`. */
function layerZones(root, layers, rootFilesGlob) {
  const order = [rootFilesGlob ? 'root files' : undefined, ...layers].filter(Boolean).join(' < ');
  const zone = (target, name, above) => ({
    target,
    from: [...above.map((layer) => `./${root}/${layer}`), `./${root}/index.ts`],
    message: `${name} must not import a higher layer or ${root}/index.ts (${root} layers, bottom-up: ${order}).`,
  });
  const zones = layers.map((layer, i) => zone(`./${root}/${layer}`, `${root}/${layer}`, layers.slice(i + 1)));
  if (rootFilesGlob) zones.unshift(zone(`./${root}/${rootFilesGlob}`, `The ${root} root files`, layers));
  return zones;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'scratch/**', '.cache/**', 'runs/**', 'dist/**'] },
  js.configs.recommended,
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': 'off',
    },
  },
  {
    // The architecture rule: lib never imports operators or pipelines.
    files: ['lib/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/operators/**', '**/pipelines/**'], message: 'lib must not import operators or pipelines' }] }] },
  },
  {
    files: ['operators/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/pipelines/**'], message: 'operators must not import pipelines' }] }] },
  },
  {
    // Layering and cycles, checked on resolved files (not on import strings).
    files: ['**/*.ts', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      // Type-only imports are erased, so only value imports can form a cycle. Costs ~4–5 s of
      // CPU (parsing every imported module once); maxDepth does not make it cheaper.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            // lib root files (every file directly in lib/ except the barrel).
            ...layerZones('lib', LIB_LAYERS, '!(index).ts'),
            ...layerZones('operators', OPERATOR_LAYERS),
            {
              // The CLI is the top of pipelines: library code does not reach into it.
              target: ['./pipelines/*.ts', './pipelines/!(cli)/**'],
              from: ['./pipelines/cli'],
              message: 'Only pipelines/cli imports pipelines/cli.',
            },
            { target: ['./pipelines/!(index).ts', './pipelines/*/**'], from: ['./pipelines/index.ts'], message: 'pipelines/index.ts is the public barrel; import the module itself.' },
            { target: ['./lib', './operators', './pipelines'], from: ['./spec', './benchmarks'], message: 'Source code never imports spec/ or benchmarks/.' },
            { target: './spec', from: ['./benchmarks'], message: 'spec/ never imports benchmarks/ (DESIGN §5).' },
          ],
        },
      ],
    },
  },
);
