import { defineConfig } from 'vite';
import { rolldown } from 'rolldown';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };

/**
 * The worker hook (src/worker), bundled on its own into one classic script and handed to the page
 * hook as text (the __SOCKSCOPE_WORKER_HOOK__ constant): the page hook writes it into the blob:
 * wrapper it starts a page's worker from. A `define`, because crxjs builds content scripts in a
 * sub-build that keeps the parent's `define` but none of its plugins. (rolldown is vite's own
 * bundler: no added dependency.)
 */
async function workerHookSource(): Promise<string> {
  const bundle = await rolldown({ input: 'src/worker/worker-hook.iife.ts', platform: 'browser', logLevel: 'silent' });
  try {
    const { output } = await bundle.generate({ format: 'iife' });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

/**
 * One manifest, built once per browser (crxjs keeps the background key each browser uses).
 * Mode `e2e` is the Firefox test build only: there the DevTools toolbox cannot be driven, so the
 * panel page is made web-accessible and opened as a tab (see test/e2e/firefox).
 */
export default defineConfig(async ({ mode }) => {
  const browser = process.env.SOCKSCOPE_BROWSER === 'firefox' ? 'firefox' : 'chrome';
  const e2e = mode === 'e2e';
  const m = structuredClone(manifest) as Record<string, unknown>;
  if (e2e) m.web_accessible_resources = [{ resources: ['src/panel/panel.html'], matches: ['<all_urls>'] }];
  return {
    define: { __SOCKSCOPE_WORKER_HOOK__: JSON.stringify(await workerHookSource()) },
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
