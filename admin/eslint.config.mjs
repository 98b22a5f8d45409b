import js from '@eslint/js';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = new URL('..', import.meta.url).pathname;

/** Console (Angular) and end-to-end (Playwright) rules; the root config spreads this array. */
export default tseslint.config(
  {
    files: ['admin/**/*.ts'],
    ignores: ['admin/src/app/core/api/schema.d.ts'],
    extends: [
      js.configs.recommended,
      ...tseslint.configs.recommendedTypeChecked,
      ...tseslint.configs.stylistic,
      ...angular.configs.tsRecommended,
      prettier,
    ],
    processor: angular.processInlineTemplates,
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        project: ['admin/tsconfig.app.json', 'admin/tsconfig.spec.json'],
        tsconfigRootDir: root,
      },
    },
    rules: {
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'pv', style: 'camelCase' },
      ],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'pv', style: 'kebab-case' }],
      // Conventions: OnPush everywhere, inject() over constructor parameters.
      '@angular-eslint/prefer-on-push-component-change-detection': 'error',
      '@angular-eslint/prefer-inject': 'error',
      '@angular-eslint/prefer-signals': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Layering: core/ and shared/ are below the features; the API's code only through @pv/authz.
    files: ['admin/src/app/core/**/*.ts', 'admin/src/app/shared/**/*.ts'],
    ignores: ['admin/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**'],
              message: 'core/ and shared/ never import features/ (app.config.ts wires them).',
            },
            {
              group: ['**/backend/src/**'],
              message:
                'Import the shared CASL rules as @pv/authz, the roles as @pv/roles (and the SSO codes as @pv/sso-failure-codes).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['admin/src/app/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/backend/src/**'],
              message:
                'Import the shared CASL rules as @pv/authz, the roles as @pv/roles (and the SSO codes as @pv/sso-failure-codes).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['admin/**/*.spec.ts', 'admin/src/testing/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.vitest } },
  },
  {
    files: ['admin/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
    rules: {
      '@angular-eslint/template/prefer-control-flow': 'error',
      '@angular-eslint/template/prefer-self-closing-tags': 'error',
    },
  },
  {
    files: ['e2e/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, prettier],
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: ['e2e/tsconfig.json'], tsconfigRootDir: root },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
