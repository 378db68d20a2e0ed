// `npm run bench:web`: how long the vendor schedule takes to apply one live update while it shows 1,000 bookings,
// measured in Chromium (Debian's /usr/bin/chromium through playwright-core), and the vendor app's initial JS size.
// Each update goes store → React commit → style and layout; the figure is per update, median and p95 over N.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { initialLoad, kb } from '../scripts/bundle-size.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium } from '../test/e2e/support/browser.js';

const webRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const N = Number(process.env.BENCH_UPDATES ?? 300);
const WARMUP = 30;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: round(quantile(s, 0.5)), p95: round(quantile(s, 0.95)), max: round(s.at(-1)!) };
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

async function main() {
  if (!chromiumAvailable()) {
    console.error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
    process.exit(1);
  }
  process.env.NODE_ENV = 'production';
  const tmp = mkdtempSync(path.join(tmpdir(), 'slotcast-bench-web-'));
  try {
    // The production app, for its size, and the benchmark page, built by the same config.
    const appDist = path.join(tmp, 'app');
    await build({ root: webRoot, logLevel: 'warn', build: { outDir: appDist, emptyOutDir: true } });
    const vendor = initialLoad(appDist, 'vendor');
    const benchDist = path.join(tmp, 'bench');
    await build({
      root: webRoot,
      base: './',
      logLevel: 'warn',
      build: {
        outDir: benchDist,
        emptyOutDir: true,
        manifest: false,
        sourcemap: false,
        minify: !process.env.PROFILE,
        rollupOptions: {
          input: path.join(webRoot, 'bench/index.html'),
          onwarn(warning, warn) {
            if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
            warn(warning);
          },
        },
      },
    });

    const server = createServer((req, res) => {
      const file = path.join(benchDist, decodeURIComponent((req.url ?? '/').split('?')[0]!));
      if (!file.startsWith(benchDist)) return void res.writeHead(403).end();
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`http://127.0.0.1:${port}/bench/index.html`);
      await page.waitForFunction(() => 'slotcastBench' in window);
      const blocks = await page.evaluate(() => window.slotcastBench.blocks());
      await page.evaluate((n) => window.slotcastBench.run(n), WARMUP);
      const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      const { commit, frame } = await page.evaluate((n) => window.slotcastBench.run(n), N);
      if (cdp) {
        // PROFILE=1 (with an unminified build): where the time goes, by function self time.
        const { profile } = await cdp.send('Profiler.stop');
        const self = new Map<string, number>();
        const dt = profile.timeDeltas ?? [];
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        (profile.samples ?? []).forEach((id, i) => {
          const n = byId.get(id)!;
          const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
          self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
        });
        console.log(
          [...self]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 25)
            .map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k}`)
            .join('\n'),
        );
      }
      if (process.env.SPLIT) {
        const by = [0, 1, 2, 3].map((k) => stats(commit.filter((_, i) => i % 4 === k)));
        console.log('by kind (3 = move):', JSON.stringify(by));
      }
      const version = browser.version();
      // Other work on the machine shows up in p95 and max: the load average says how busy it was.
      const load = loadavg()[0]!.toFixed(1);
      const result = {
        date: new Date().toISOString(),
        chromium: version,
        loadAverage1m: Number(load),
        bookingsRendered: blocks,
        updates: N,
        applyUpdateMs: stats(commit),
        untilNextFrameMs: stats(frame),
        vendorInitialJs: { gzipBytes: vendor.jsGzip, rawBytes: vendor.jsRaw, files: vendor.files.length },
      };
      console.log(
        `Chromium ${version}; schedule (week, 10 resources) rendering ${blocks} bookings; load average ${load}`,
      );
      console.log(
        `apply one live update (store → React commit → style + layout), ${N} updates: ` +
          `median ${result.applyUpdateMs.median} ms, p95 ${result.applyUpdateMs.p95} ms, max ${result.applyUpdateMs.max} ms`,
      );
      console.log(
        `until the next frame: median ${result.untilNextFrameMs.median} ms, p95 ${result.untilNextFrameMs.p95} ms`,
      );
      console.log(
        `vendor app initial JS: ${kb(vendor.jsGzip)} gzipped (${kb(vendor.jsRaw)} raw, ${vendor.files.length} files)`,
      );
      const out = path.join(webRoot, 'test-results');
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, 'bench-web.json'), `${JSON.stringify(result, null, 2)}\n`);
      await page.screenshot({ path: path.join(out, 'bench-schedule.png') });
    } finally {
      await browser.close();
      server.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
