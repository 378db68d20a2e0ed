import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A full-page PNG of an HTML report, with headless Chromium through playwright-core (the web app's end-to-end tests
 * use the same pair). Resolves to null, with the reason, when either is missing: the report itself does not need it.
 */
export async function screenshot(
  htmlFile: string,
  pngFile: string,
): Promise<{ ok: true } | { ok: false; why: string }> {
  if (!existsSync(CHROMIUM)) return { ok: false, why: `no Chromium at ${CHROMIUM}` };
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return { ok: false, why: 'playwright-core is not installed' };
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 60_000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
    await page.goto(pathToFileURL(htmlFile).href, { timeout: 60_000 });
    await page.screenshot({ path: pngFile, fullPage: true, timeout: 60_000 });
    return { ok: true };
  } finally {
    await browser.close();
  }
}

// `tsx bench/load/screenshot.ts report.html report.png`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [html, png] = process.argv.slice(2);
  if (!html || !png) {
    process.stderr.write('usage: tsx bench/load/screenshot.ts REPORT.html OUT.png\n');
    process.exit(2);
  }
  screenshot(html, png).then(
    (r) => {
      process.stdout.write(r.ok ? `wrote ${png}\n` : `no screenshot: ${r.why}\n`);
      process.exit(r.ok ? 0 : 1);
    },
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
