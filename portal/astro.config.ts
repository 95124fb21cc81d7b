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
    // Scripts and styles only from this build (hashed by Astro); images only from the portal itself
    // (/media) or https (a cloud upload provider). A second line of defence behind the Markdown
    // sanitising in src/lib/markdown.ts.
    csp: {
      directives: ["default-src 'self'", "img-src 'self' https: data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"],
    },
  },
  // Collateral Markdown is rendered at request time by src/lib/markdown.ts; there are no Markdown
  // pages, and Shiki's inline styles would not pass the CSP.
  markdown: { syntaxHighlight: false },
  // One small stylesheet: inlining saves a blocking request on every page.
  build: { inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  vite: {
    ssr: {
      // Bundle the server's dependencies: in this npm workspace Node would otherwise resolve Astro's
      // own `cookie` 2 and `picomatch` 4 from portal/dist to the older copies Strapi hoisted to the root.
      noExternal: true,
      // Native (N-API) modules are loaded by Node at run time, never bundled.
      external: ['satteri', 'sharp'],
    },
  },
});
