import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web app, built into dist/web, which the API serves on its own origin. No React plugin:
 * Vite's own transform compiles JSX (automatic runtime); the app needs no fast refresh in a build.
 */
export default defineConfig({
  root: here,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Server Components' "use client" marks mean nothing in a browser-only bundle
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm start` in another terminal serves the API; the dev server forwards to it.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
