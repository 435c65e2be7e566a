#!/usr/bin/env node
// `npm start`: build the extension, start the demo server, and open Chromium on the demo page with
// the extension loaded and DevTools open on the WebSockets panel. Flags: --headless, --no-build,
// --firefox (Firefox instead, through web-ext, with the toolbox open on the WebSockets panel: see
// start-firefox.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.mjs';
import { connectOverPipe } from './cdp-pipe.mjs';
import { panelFirstPreferences, showPanelScript, unpackedExtensionId } from './devtools-panel.mjs';
import { FIREFOX_CANDIDATES, findFirefox, runFirefox } from './start-firefox.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromeDist = join(root, 'dist', 'chrome');
const firefoxDist = join(root, 'dist', 'firefox');
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--headless' && a !== '--no-build' && a !== '--firefox') {
    console.error(`Unknown option ${a}. Usage: npm start [-- --headless] [-- --no-build] [-- --firefox]`);
    process.exit(2);
  }
}
const headless = args.has('--headless');
const useFirefox = args.has('--firefox');
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const serverOnly = !headless && !hasDisplay;

function findBrowser() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ?? null;
}

function run(cmd, cmdArgs) {
  return new Promise((resolve, reject) => {
    // npm is npm.cmd on Windows, which only a shell can run.
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${cmdArgs.join(' ')} failed (${signal ?? code})`))));
  });
}

async function listen() {
  const port = Number(process.env.PORT ?? 8787);
  try {
    return await startDemoServer({ port });
  } catch (e) {
    if (e.code !== 'EADDRINUSE') throw e;
    console.warn(`Port ${port} is busy; using a free port instead.`);
    return startDemoServer({ port: 0 });
  }
}

// Fail before the (slow) build when there is nothing to launch.
const browser = serverOnly ? null : useFirefox ? findFirefox() : findBrowser();
if (!serverOnly && !browser && useFirefox) {
  console.error(process.env.FIREFOX_PATH
    ? `FIREFOX_PATH=${process.env.FIREFOX_PATH} does not exist.`
    : `No Firefox found (looked at $FIREFOX_PATH, ${FIREFOX_CANDIDATES.join(', ')}).\n` +
      'Install it with: sudo apt-get install firefox-esr   (or set FIREFOX_PATH to a Firefox binary).');
  process.exit(1);
}
if (!serverOnly && !browser) {
  console.error(process.env.CHROME_PATH
    ? `CHROME_PATH=${process.env.CHROME_PATH} does not exist.`
    : 'No Chromium found (looked at $CHROME_PATH, /usr/lib/chromium/chromium, /usr/bin/chromium, /usr/bin/google-chrome).\n' +
      'Install it with: sudo apt-get install chromium   (or set CHROME_PATH to a Chrome/Chromium binary).');
  process.exit(1);
}

if (!args.has('--no-build')) {
  try {
    await run('npm', ['run', 'build']);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
const dist = useFirefox ? firefoxDist : chromeDist;
if (!existsSync(join(dist, 'manifest.json'))) {
  console.error(`${dist} has no manifest.json: run without --no-build (or npm run build) first.`);
  process.exit(1);
}

const server = await listen();
console.log(`
Sockscope demo page: ${server.url}
  In DevTools, open the "WebSockets" panel to see the page's sockets.
  Chrome/Chromium, by hand: chrome://extensions → Developer mode → Load unpacked → ${chromeDist}
  Firefox: about:debugging → This Firefox → Load Temporary Add-on… → ${join(firefoxDist, 'manifest.json')}
`);

let profile = null;
let child = null;
let firefox = null; // web-ext's Firefox, with --firefox
let stopping = false;
let interrupted = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  await server.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}

// The browser gets to shut down first, so its profile is no longer in use when it is removed.
const interrupt = () => {
  interrupted = true;
  if (child) child.kill('SIGTERM');
  else if (firefox) firefox.stop().catch(() => stop(0)); // its exit calls stop()
  else stop(0);
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

if (serverOnly) {
  console.log('No display ($DISPLAY and $WAYLAND_DISPLAY are unset), so no browser is launched.\n' +
    `Load the extension in your own browser (above) and open the demo page, or run \`npm start -- ${useFirefox ? '--firefox ' : ''}--headless\`.\n` +
    'The demo server keeps running; press Ctrl-C to stop it.');
} else if (useFirefox) {
  console.log(`Launching ${browser} through web-ext${headless ? ' (headless)' : ''}; close it or press Ctrl-C to stop.`);
  try {
    firefox = await runFirefox({ firefox: browser, dist, url: server.url, headless, onExit: () => stop(0) });
  } catch (e) {
    console.error(`Could not start ${browser} with web-ext: ${e.message}`);
    await stop(1);
  }
} else {
  profile = mkdtempSync(join(tmpdir(), 'sockscope-demo-profile-'));
  // A fresh profile: put the WebSockets panel first in DevTools' tab strip, so it is in view.
  const extensionId = await unpackedExtensionId(realpathSync(chromeDist));
  mkdirSync(join(profile, 'Default'));
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(panelFirstPreferences(extensionId, 'WebSockets')));
  const flags = [
    `--user-data-dir=${profile}`,
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-quic', '--auto-open-devtools-for-tabs', '--remote-debugging-pipe',
    `--disable-extensions-except=${chromeDist}`, `--load-extension=${chromeDist}`,
    // Chromium refuses to start as root with its sandbox on (containers, CI).
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(headless ? ['--headless=new'] : []),
    server.url,
  ];
  console.log(`Launching ${browser}${headless ? ' (headless)' : ''}; close it or press Ctrl-C to stop.`);
  child = spawn(browser, flags, { stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'] });
  child.on('error', (e) => { console.error(`Could not start ${browser}: ${e.message}`); child = null; stop(1); });
  child.on('exit', (code) => { child = null; stop(interrupted || code === 0 ? 0 : code ?? 1); });
  showWebSocketsPanel(child).catch((e) => console.warn(`Could not switch DevTools to the WebSockets panel (${e.message}); pick it in DevTools' tab strip.`));
}

/** Brings DevTools' WebSockets panel to the front, once DevTools has opened on the demo page. */
async function showWebSocketsPanel(browserProcess) {
  const b = await connectOverPipe(browserProcess);
  const target = await b.waitForTarget((t) => t.url().startsWith('devtools://devtools/bundled/devtools_app.html'), { timeout: 60_000 });
  const devtools = await target.asPage();
  const shown = await devtools.evaluate(showPanelScript());
  if (!String(shown).endsWith('WebSockets')) throw new Error(`DevTools shows ${shown}`);
  console.log('DevTools is open on the WebSockets panel.');
}
