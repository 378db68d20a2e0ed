// Layering rules, checked in `npm test` (`npm run lint:deps`). Data flows one way:
// request → domain → transaction + event log → bus → gateway → SDK → UI, and SQL lives only in store/.
// The tree has no known violations: any import that breaks a rule fails the check.
const server = '^packages/server/src';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other (even type-only) cannot be read, tested or moved one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'realtime-not-to-store',
      severity: 'error',
      comment: 'The gateway calls use cases; only they (and workers) reach store/.',
      from: { path: `${server}/realtime/` },
      to: { path: `${server}/store/` },
    },
    {
      name: 'http-not-to-store',
      severity: 'error',
      comment: 'Routes call use cases; database errors become named errors in store/, not in http/.',
      from: { path: `${server}/http/` },
      to: { path: `${server}/store/` },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'Domain rules are pure: they import the protocol and the pure libraries it and they build on, no framework, no I/O, no other server layer.',
      from: { path: `${server}/domain/`, pathNot: '\\.test\\.ts$' },
      to: {
        pathNot: [`${server}/domain/`, '^packages/protocol/src/', '(^|/)node_modules/(zod|luxon|@types/luxon)/'],
      },
    },
    {
      name: 'protocol-imports-only-zod',
      severity: 'error',
      comment: 'The protocol is shared by server, SDK and browser: its only dependency is zod.',
      from: { path: '^packages/protocol/src/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^packages/protocol/src/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'client-and-web-not-to-server',
      severity: 'error',
      comment:
        'The SDK and the web app run in browsers and talk to the server only over the protocol. (Their integration and e2e tests start a real server, so they may.)',
      from: { path: ['^packages/client/src/', '^apps/web/src/'] },
      to: { path: '^packages/server/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would otherwise escape every rule above.',
      from: {},
      // Vite's virtual modules (vite-plugin-pwa's `virtual:pwa-register`) exist only inside the bundler.
      to: { couldNotResolve: true, pathNot: '^virtual:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    // Workspaces resolve through node_modules symlinks to their sources; follow those into packages/.
    preserveSymlinks: false,
    combinedDependencies: true,
  },
};
