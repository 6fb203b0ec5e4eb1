// Lint is part of `npm test`: type-aware rules catch floating promises, which in an
// RxJS/async engine silently lose errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'scratch/**', '.cache/**', 'runs/**'] },
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
);
