/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Element Plus is imported on demand (components and their styles, as templates use them), so the bundle
// carries only what the console shows. Everything lives under /console/: no API path starts with it.
export default defineConfig({
  base: '/console/',
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
  ],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  // `npm exec vite` for development against `scripts/start`'s API on :8000.
  server: {
    proxy: Object.fromEntries(
      ['/auth', '/cases', '/inbox', '/process', '/supervision', '/calendar', '/deadline-rules', '/statements',
        '/service-items', '/providers', '/divisions', '/assignees', '/exports', '/settlement', '/agreements']
        .map((p) => [p, 'http://127.0.0.1:8000']),
    ),
  },
  test: { environment: 'happy-dom', include: ['src/**/*.test.ts'] },
})
