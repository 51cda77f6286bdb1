// Lint rules, and the import boundaries of design.md: each SDK is imported in one folder only.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Each SDK and the only folders that may import it. */
const sdkHomes = {
  '@aws-sdk/client-batch': ['executors/batch/**'],
  '@aws-sdk/client-cloudwatch-logs': ['executors/batch/**'],
  dockerode: ['executors/local/**', 'executors/ec2/**', 'executors/docker/**'],
  '@aws-sdk/client-s3': ['src/storage/**'],
  '@aws-sdk/lib-storage': ['src/storage/**'],
  pg: ['src/sources/**'],
  '@aws-sdk/client-secrets-manager': ['src/sources/**'],
  '@duckdb/node-api': ['src/inspect/**', 'src/pipeline/output/**', 'src/sources/**'],
  'aws-cdk-lib': ['executors/batch/infra/**'],
  constructs: ['executors/batch/infra/**'],
}

const restriction = (allowedHere) =>
  Object.keys(sdkHomes)
    .filter((name) => !allowedHere.includes(name))
    .map((name) => ({name, message: `${name} may only be imported under ${sdkHomes[name].join(', ')} (design.md).`}))

const homeFolders = [...new Set(Object.values(sdkHomes).flat())]

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'models/**', 'coverage/**', 'test-output/**', 'ftm-output/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': ['error', {paths: restriction([])}],
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
    },
  },
  ...homeFolders.map((folder) => ({
    files: [folder],
    rules: {
      'no-restricted-imports': [
        'error',
        {paths: restriction(Object.keys(sdkHomes).filter((name) => sdkHomes[name].includes(folder)))},
      ],
    },
  })),
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: restriction([]),
          patterns: [{group: ['**/commands/**', '**/ui/**'], message: 'The core does not depend on commands or the UI.'}],
        },
      ],
    },
  },
  {
    files: ['**/*.js', 'scripts/**'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly'}},
  },
)
