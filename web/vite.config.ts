import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

// In `vite dev`, mimic the server's history-mode fallback for the mobile and public report entries:
// /m/anything and /r/anything (no file extension) -> /m/index.html, /r/index.html. Other paths fall back to index.html.
function entryFallback(): Plugin {
  return {
    name: 'huoyan-entry-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const url = req.url ?? ''
        const path = url.split('?')[0]
        for (const entry of ['m', 'r']) {
          if ((path === `/${entry}` || path.startsWith(`/${entry}/`)) && !/\.[a-z0-9]+$/i.test(path) && !path.startsWith(`/${entry}/@`)) {
            req.url = `/${entry}/index.html`
          }
        }
        next()
      })
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), entryFallback()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        console: here('./index.html'),
        mobile: here('./m/index.html'),
        report: here('./r/index.html'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: process.env.HUOYAN_URL ?? 'http://127.0.0.1:18080', changeOrigin: false },
    },
  },
})
