import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

/**
 * One manifest, built once per browser (crxjs keeps the background key each browser uses).
 * Mode `e2e` is the Firefox test build only: there the DevTools toolbox cannot be driven, so the
 * panel page is made web-accessible and opened as a tab (see test/e2e/firefox).
 */
export default defineConfig(({ mode }) => {
  const browser = process.env.SOCKSCOPE_BROWSER === 'firefox' ? 'firefox' : 'chrome';
  const e2e = mode === 'e2e';
  const m = structuredClone(manifest) as Record<string, unknown>;
  if (e2e) m.web_accessible_resources = [{ resources: ['src/panel/panel.html'], matches: ['<all_urls>'] }];
  return {
    plugins: [crx({ manifest: m as unknown as ManifestV3Export, browser })],
    build: {
      outDir: e2e ? `dist-e2e/${browser}` : `dist/${browser}`,
      emptyOutDir: true,
      rollupOptions: { input: { panel: 'src/panel/panel.html' } },
      // Readable stack traces in the user's DevTools matter more than a few kilobytes.
      minify: false,
    },
    server: { cors: false },
  };
});
