import { defineConfig } from 'vite';

// The kernel serves the built app from dist/ and owns /api; in development Vite proxies /api to it so the
// session cookie stays same-origin, exactly as in production.
const apiProxy = { '/api': { target: 'http://localhost:8080', changeOrigin: false } };

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { proxy: apiProxy },
  preview: { proxy: apiProxy },
});
