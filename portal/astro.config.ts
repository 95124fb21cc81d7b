import node from '@astrojs/node';
import react from '@astrojs/react';
import { defineConfig } from 'astro/config';
import { allowedDomainsFor } from './src/lib/origin';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [react()],
  security: {
    // Replaced by the runtime check in src/middleware.ts (see src/lib/origin.ts for why): it also
    // accepts PORTAL_URL's origin, which is only known when the server starts.
    checkOrigin: false,
    // Forwarded headers from these hosts are trusted, so Astro.url is right behind a proxy.
    allowedDomains: allowedDomainsFor(process.env.PORTAL_URL),
  },
  // One small stylesheet: inlining saves a blocking request on every page.
  build: { inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  vite: {
    // Sätteri is a native (N-API) module: Node loads it at run time, Vite must not bundle it.
    ssr: { external: ['satteri'] },
  },
});
