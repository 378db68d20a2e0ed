/**
 * Renders the app's PNG icons from public/icons/icon.svg (run after changing it: `npx tsx scripts/make-icons.ts`).
 * The PNGs are committed: installability needs a 192 and a 512 PNG, a maskable one keeps its drawing inside the
 * central 80% safe zone on a full-bleed background, iOS wants a 180 apple-touch-icon, and a notification badge is
 * a white shape on transparency (Android paints it).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const dir = path.resolve(import.meta.dirname, '../public/icons');
const THEME = '#1d4ed8';

const svg = await readFile(path.join(dir, 'icon.svg'));
const square = (size: number) => sharp(svg, { density: 384 }).resize(size, size).png({ compressionLevel: 9 });

await square(192).toFile(path.join(dir, 'icon-192.png'));
await square(512).toFile(path.join(dir, 'icon-512.png'));
await sharp(svg, { density: 384 })
  .resize(180, 180)
  .flatten({ background: THEME })
  .png()
  .toFile(path.join(dir, 'apple-touch-icon.png'));
// Maskable: the rounded icon shrunk to 70% and centred on the theme colour, so any mask shape keeps it whole.
const inner = await square(358).toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: THEME } })
  .composite([{ input: inner, gravity: 'centre' }])
  .png({ compressionLevel: 9 })
  .toFile(path.join(dir, 'maskable-512.png'));
// Badge: only the alpha channel counts; the white strokes of the drawing on transparency.
const badgeSvg = svg.toString().replace('<rect width="512" height="512" rx="96" fill="#1d4ed8"/>', '');
await sharp(Buffer.from(badgeSvg), { density: 384 }).resize(96, 96).png().toFile(path.join(dir, 'badge-96.png'));
console.log('icons written to', dir);
