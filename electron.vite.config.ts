import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * The entry script loads the window's code (start.tsx) only after it has asked for the profile
 * list; a modulepreload link makes the page fetch that code while it fetches the entry, instead of
 * one after the other.
 */
function preloadStart(): Plugin {
  return {
    name: 'rolecall-preload-start',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const start = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'start');
        if (!start) return html;
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${start.fileName}` }, injectTo: 'head' }];
      },
    },
  };
}

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: resolve('src-main/app/main.ts') } } },
  },
  preload: {
    // A sandboxed preload must be CommonJS.
    build: { rollupOptions: { input: { index: resolve('src-main/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react(), preloadStart()],
    // Minified: the renderer's JavaScript budget is 250 KB gzipped (bench/ui.ts measures it).
    build: { minify: true, rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
  },
});
