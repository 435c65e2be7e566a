// `npm start -- --firefox`: Firefox on the demo page, with dist/firefox loaded as a temporary add-on
// by `web-ext run`, and the toolbox open on the WebSockets panel.
//
// Firefox cannot be told which extension panel to open: an extension panel's tool id changes from
// run to run, and devtools.toolbox.selectedTool only names Firefox's own tools. So Firefox starts
// with its toolbox open (--devtools), and, over WebDriver BiDi with system access, the panel is
// selected once the extension has added it (scripts/firefox-toolbox.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { FIREFOX_TOOLBOX_ARGS, chromeCaller, connectBiDi, openToolboxOnPanel, waitForTab } from './firefox-toolbox.mjs';

export const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** $FIREFOX_PATH, else the usual paths; null when there is none. */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return FIREFOX_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts Firefox through web-ext. Resolves once the add-on is installed and the panel selected
 * (or selecting it failed, which is only reported: the toolbox is open either way).
 * `onExit` runs when Firefox exits; `stop()` closes Firefox and removes its temporary profile.
 */
export async function runFirefox({ firefox, dist, url, headless, onExit }) {
  const extensionId = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
  const bidiPort = await freePort();
  // web-ext's dependencies take over Ctrl-C and SIGTERM: firefox-profile exits at once with 130,
  // and when-exit (loaded with web-ext) raises the signal again. start.mjs has its own handlers,
  // which stop Firefox through web-ext (that removes its profile) and close the demo server, so
  // the handlers web-ext brings are removed again.
  const signals = ['SIGINT', 'SIGTERM'];
  const ours = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: webExt } = await import('web-ext');
  const runner = await webExt.cmd.run({
    sourceDir: dist,
    firefox,
    startUrl: [url],
    noInput: true,
    // Like the Chromium path: run what was built. (A reload would also drop the panel's selection.)
    noReload: true,
    args: [
      '--devtools',
      `--remote-debugging-port=${bidiPort}`,
      ...FIREFOX_TOOLBOX_ARGS,
      ...(headless ? ['--headless'] : []),
    ],
  }, { shouldExitProgram: false });
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!ours.get(s).has(l)) process.removeListener(s, l);
  }
  runner.registerCleanup(onExit);

  let bidi = null;
  try {
    bidi = await connectBiDi(`ws://127.0.0.1:${bidiPort}/session`);
    const tab = await waitForTab(bidi.send, url);
    const panel = await openToolboxOnPanel(chromeCaller(bidi.send), tab, extensionId);
    console.log(`Firefox: the toolbox is open on the "${panel.label}" panel.`);
  } catch (e) {
    console.warn(`Firefox runs, but the WebSockets panel could not be selected (${e.message}).\n` +
      'Pick "WebSockets" in the toolbox\'s tab strip.');
  } finally {
    await bidi?.close();
  }
  return { stop: () => runner.exit() };
}
