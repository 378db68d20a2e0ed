// The workers thread's first module (workers-thread.ts). A worker thread does not inherit the TypeScript loader the
// node runs under (`tsx`), so the workers' TypeScript sources are imported through tsx's API; compiled JavaScript
// would be imported as it is.
import { workerData } from 'node:worker_threads';

const { entry } = workerData;
if (entry.endsWith('.ts')) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(entry, import.meta.url);
} else {
  await import(entry);
}
