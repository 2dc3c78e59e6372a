import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The admin server embeds dist/ into the binary: hashed files under /assets/
// (cached for a year) and index.html (never cached). Everything is bundled;
// nothing is loaded from another host. No inline scripts (strict CSP).
export default defineConfig({
  plugins: [preact()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
    target: 'es2020',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3333' },
  },
});
