// Compares the cold first paint of two or more renderer builds: one world (sandbox, core, ten
// roles), a web bridge per build, and N rounds of one load per build, each in a new Chromium, the
// builds' order reversed every other round. A single cold load varies by 100 ms and more from one
// new Chromium to the next, which hides a 20-50 ms change in bench/ui.ts's few cold loads.
//
//   npx electron-vite build && cp -r out/renderer /tmp/after     (and /tmp/before from the older commit)
//   bash build/with-keyring.sh node_modules/.bin/tsx bench/ui-compare.ts /tmp/before /tmp/after
//
// Per build: medians of the first row in the DOM, the end of the frame that painted it (a timer
// after its animation frame, as bench/ui.ts measures), and Chromium's own presentation time of
// the row's text (Element Timing). ROUNDS (default 10) and ACCOUNTS (default 1) change the run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startWebBridge } from '../src-main/web/server';
import { CHROMIUM_ARGS } from '../test/helpers/chromium';
import { startUiWorld } from '../test/integration/web/ui-harness';
import { giveNameHelper, ROLES, seed } from './ui-world';

const DONE = 'rolecall-bench: first row presented';

interface Load {
  inDom: number;
  painted: number;
  presented: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function coldLoad(url: string): Promise<Load> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    await giveNameHelper(page);
    await page.addInitScript((DONE) => {
      const g = globalThis as unknown as { __load?: Partial<Load> };
      const load: Partial<Load> = (g.__load = {});
      const report = () => load.painted !== undefined && load.presented !== undefined && console.debug(DONE);
      new MutationObserver((_m, obs) => {
        const row = document.querySelector('.profile');
        if (!row) return;
        obs.disconnect();
        load.inDom = performance.now();
        // Element Timing reports text of the elements that hold it directly.
        for (const el of row.querySelectorAll('*')) if ([...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) el.setAttribute('elementtiming', 'row');
        new PerformanceObserver((list) => {
          load.presented ??= (list.getEntries()[0] as PerformanceEntry & { renderTime: number }).renderTime;
          report();
        }).observe({ type: 'element', buffered: true });
        requestAnimationFrame(() =>
          setTimeout(() => {
            load.painted = performance.now();
            report();
          }, 0),
        );
      }).observe(document, { childList: true, subtree: true });
    }, DONE);
    const done = page.waitForEvent('console', { predicate: (m) => m.text() === DONE, timeout: 30_000 });
    await page.goto(url);
    await done;
    return (await page.evaluate(() => (globalThis as unknown as { __load: Load }).__load)) as Load;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const builds = process.argv.slice(2).map((d) => path.resolve(d));
  if (builds.length < 2 || builds.some((d) => !existsSync(path.join(d, 'index.html')))) {
    console.error('usage: tsx bench/ui-compare.ts <renderer build> <renderer build> [...]  (each a copy of out/renderer)');
    process.exit(2);
  }
  const rounds = Number(process.env.ROUNDS ?? 10);
  const accounts = Number(process.env.ACCOUNTS ?? 1);
  const w = await startUiWorld();
  try {
    await seed(w, accounts);
    const bridges = await Promise.all(builds.map((rendererDir) => startWebBridge({ api: w.api, rendererDir })));
    try {
      const loads: Load[][] = builds.map(() => []);
      for (let r = 0; r < rounds; r++) {
        const order = builds.map((_, i) => i);
        if (r % 2) order.reverse();
        for (const i of order) loads[i]!.push(await coldLoad(`${bridges[i]!.url}#token=${bridges[i]!.token}`));
      }
      console.log(`cold first paint, ${accounts * ROLES.length} roles, ${rounds} rounds, each load in a new Chromium (medians, ms from navigation):`);
      builds.forEach((d, i) => {
        const ls = loads[i]!;
        const m = (k: keyof Load) => median(ls.map((l) => l[k])).toFixed(0);
        console.log(`  ${d}: row in the DOM ${m('inDom')}, frame painted ${m('painted')}, presented ${m('presented')} (all presented: ${ls.map((l) => l.presented.toFixed(0)).join(' ')})`);
      });
    } finally {
      await Promise.all(bridges.map((b) => b.close()));
    }
  } finally {
    await w.close();
  }
}

main().catch((err: unknown) => {
  console.error(`bench ui-compare: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
