// Renders the icons from their SVGs with Debian's headless Chromium (through playwright-core):
// build/icon.png (512 px, electron-builder's source for .icns/.ico) and the tray's images in
// build/tray: tray.png/@2x (Linux, Windows) and trayTemplate.png/@2x (macOS: black on transparent,
// which the menu bar recolours). Run: node build/icons/render-icons.mjs (the PNGs are committed).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.dirname(here);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

const icon = await readFile(path.join(here, 'icon.svg'), 'utf8');
const tray = await readFile(path.join(here, 'tray.svg'), 'utf8');
const jobs = [
  { svg: icon, size: 512, file: 'icon.png' },
  // Blue on the light and dark trays of Linux desktops and Windows alike.
  { svg: tray.replaceAll('COLOR', '#2563eb'), size: 16, file: 'tray/tray.png' },
  { svg: tray.replaceAll('COLOR', '#2563eb'), size: 32, file: 'tray/tray@2x.png' },
  { svg: tray.replaceAll('COLOR', '#000000'), size: 16, file: 'tray/trayTemplate.png' },
  { svg: tray.replaceAll('COLOR', '#000000'), size: 32, file: 'tray/trayTemplate@2x.png' },
];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
try {
  await mkdir(path.join(buildDir, 'tray'), { recursive: true });
  for (const { svg, size, file } of jobs) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const sized = svg.replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`);
    await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await writeFile(path.join(buildDir, file), png);
    await page.close();
    console.log(`${file}: ${size}x${size}, ${png.length} bytes`);
  }
} finally {
  await browser.close();
}
