/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { serviceWorker } from './sw/vite-plugin';

export default defineConfig({
  plugins: [react(), tailwindcss(), serviceWorker()],
  server: {
    // Tests only: src/features/admin/audit/serverActions.test.ts reads the server's sources
    // (every action it writes to the journal must have a French label).
    ...(process.env.VITEST ? { fs: { allow: ['.', '../server/src'] } } : {}),
    proxy: {
      '/api': { target: process.env.ESSAIM_DEV_API ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // Page tests render whole routes; on a busy 2-core CI machine 5 s is too tight.
    testTimeout: 20_000,
  },
});
