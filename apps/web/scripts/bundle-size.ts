import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** One entry of Vite's build manifest (`build.manifest: true`). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface InitialLoad {
  /** Gzipped bytes of the JavaScript a role's first screen needs: the entry, its static imports, the role's chunk. */
  jsGzip: number;
  jsRaw: number;
  cssGzip: number;
  files: string[];
}

export const ROLE_ENTRIES = {
  customer: 'src/customer/CustomerApp.tsx',
  vendor: 'src/vendor/VendorApp.tsx',
  admin: 'src/admin/AdminApp.tsx',
} as const;

/**
 * What a browser downloads before a role's app can render, from a build's manifest: the entry chunk and everything it
 * imports statically, plus the role's lazily loaded chunk and its static imports. Other roles' chunks are not counted.
 */
export function initialLoad(dist: string, role: keyof typeof ROLE_ENTRIES): InitialLoad {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('the manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    seen.add(key);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit(entry);
  visit(ROLE_ENTRIES[role]);
  let jsGzip = 0;
  let jsRaw = 0;
  let cssGzip = 0;
  const files: string[] = [];
  const css = new Set<string>();
  for (const key of seen) {
    const chunk = manifest[key]!;
    const bytes = readFileSync(path.join(dist, chunk.file));
    jsRaw += bytes.length;
    jsGzip += gzipSync(bytes).length;
    files.push(chunk.file);
    for (const c of chunk.css ?? []) css.add(c);
  }
  for (const c of css) cssGzip += gzipSync(readFileSync(path.join(dist, c))).length;
  return { jsGzip, jsRaw, cssGzip, files };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

// `tsx apps/web/scripts/bundle-size.ts [dist]`: the initial load of each role's app.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '../dist');
  for (const role of Object.keys(ROLE_ENTRIES) as (keyof typeof ROLE_ENTRIES)[]) {
    const l = initialLoad(dist, role);
    console.log(
      `${role.padEnd(9)} initial JS ${kb(l.jsGzip)} gzipped (${kb(l.jsRaw)} raw) + CSS ${kb(l.cssGzip)} gzipped`,
    );
  }
}
