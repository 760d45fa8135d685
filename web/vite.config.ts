// Vite build of the web front end: dist/ is served by the API at / (one origin: the API's cookies, CORS and CSP
// need nothing more). `npm run dev` proxies /v1 to a local API.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The dashboard's chunk carries the chart library (AntV G2, about 480 KB gzipped), loaded by the staff's dashboard only.
  build: { outDir: 'dist', sourcemap: true, manifest: true, chunkSizeWarningLimit: 1800 },
  server: { proxy: { '/v1': 'http://127.0.0.1:8081' } },
});
