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
 * Mode `e2e` is for test builds only: in Firefox the panel page is made web-accessible and opened
 * as a tab (see test/e2e/firefox).
 */
export default defineConfig(async ({ mode }) => {
  const browser = process.env.SOCKSCOPE_BROWSER === 'firefox' ? 'firefox' : 'chrome';
  const e2e = mode === 'e2e';
  const m = structuredClone(manifest) as Record<string, unknown>;
  // Structured-clone messaging (Chromium 148+): binary payloads cross runtime messaging as
  // ArrayBuffers, as they always have in Firefox, which has no such key. SOCKSCOPE_JSON_MESSAGING
  // builds Chrome without it (dist-e2e/chrome-json), as an older Chrome would behave: the
  // channel probe must then fall back to base64 (see src/protocol/channel-probe.ts).
  const jsonMessaging = browser === 'chrome' && process.env.SOCKSCOPE_JSON_MESSAGING === '1';
  if (browser === 'chrome' && !jsonMessaging) m.message_serialization = 'structured_clone';
  if (e2e && browser === 'firefox') m.web_accessible_resources = [{ resources: ['src/panel/panel.html'], matches: ['<all_urls>'] }];
  return {
    define: { __SOCKSCOPE_WORKER_HOOK__: JSON.stringify(await workerHookSource()) },
    plugins: [crx({ manifest: m as unknown as ManifestV3Export, browser })],
    build: {
      outDir: jsonMessaging ? 'dist-e2e/chrome-json' : e2e ? `dist-e2e/${browser}` : `dist/${browser}`,
      emptyOutDir: true,
      rollupOptions: { input: { panel: 'src/panel/panel.html' } },
      // Readable stack traces in the user's DevTools matter more than a few kilobytes.
      minify: false,
    },
    server: { cors: false },
  };
});
