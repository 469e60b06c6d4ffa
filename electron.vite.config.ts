import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

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
    plugins: [react()],
    // Minified: the renderer's JavaScript budget is 250 KB gzipped (bench/ui.ts measures it).
    build: { minify: true, rollupOptions: { input: { index: resolve('src-renderer/index.html') } } },
  },
});
