// What other workspaces (the SDK's integration tests, benchmarks) use to run a real server with seeded data:
// import it as `@slotcast/server/test-support`, never by relative path into this package.
export * from './server.js';
export * from './world.js';
