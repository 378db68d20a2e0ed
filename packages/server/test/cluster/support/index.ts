// Real server processes and private services for cluster tests and the cluster benchmark:
// `@slotcast/server/test-support/cluster`.
export * from './cluster.js';
export * from './services.js';
