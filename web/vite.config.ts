/**
 * The dashboards' build (SYS-006, SYS-007): two pages, the client dashboard (/app) and the admin
 * console (/admin), Preact components bundled by Vite into web/dist, which the API serves with
 * @fastify/static (api/web-ui.ts). `npm start` and `npm test` build it when a source changed
 * (scripts/build-web.sh).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    // No inline scripts or styles: the pages run under a Content-Security-Policy of 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { app: resolve(root, 'app/index.html'), admin: resolve(root, 'admin/index.html') },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
