// Drives Firefox's real DevTools toolbox from outside the browser: for the e2e tests
// (test/support/firefox-toolbox.ts) and for `npm start -- --firefox`.
//
// EVERYTHING BELOW IS FIREFOX INTERNALS, NOT A PUBLIC API: any Firefox release may change it.
// Checked against firefox-esr 153. Keep every use of these internals in this one file.
//
// - Firefox started with `--remote-allow-system-access` lets WebDriver BiDi reach the browser
//   window's chrome context: `browsingContext.getTree` with `"moz:scope": "chrome"` lists
//   chrome://browser/content/browser.xhtml, and `script.callFunction` runs there with gBrowser and
//   ChromeUtils in scope.
// - The remote agent's NavigableManager (chrome://remote/content/shared/NavigableManager.sys.mjs)
//   turns a BiDi tab context id back into the tab's <browser>.
// - DevTools' loader (resource://devtools/shared/loader/Loader.sys.mjs) gives
//   require('devtools/client/framework/devtools').gDevTools: showToolboxForTab, getToolboxForTab.
// - An extension's panel is a per-toolbox "additional tool" (toolbox.getAdditionalTools(), each
//   with its extensionId and label). Its id is `webext-devtools-panel-<extension id>-<context
//   id>-<n>` (browser/components/extensions/parent/ext-devtools-panels.js): it changes from run to
//   run, and the pref devtools.toolbox.selectedTool cannot preselect it (toolbox.js only honours
//   tools registered with gDevTools). So the panel is selected with toolbox.selectTool once the
//   extension's devtools page has added it.
// - The panel's page lives in a remote <browser> inside the tool's iframe
//   `#toolbox-panel-iframe-<tool id>` (chrome://browser/content/webext-panels.xhtml). BiDi cannot
//   address that browser (NavigableManager resolves only tabs, chrome contexts and frames that have
//   a parent), so a frame script loaded through the <browser>'s message manager runs code in the
//   panel page: in a sandbox whose prototype is the page's window, so the code sees the page's DOM
//   and globals (`browser.devtools.*` included), and the page's CSP (no eval) does not apply.
// - The docked toolbox's height is its host frame's style.height (toolbox-hosts.js, BottomHost);
//   the pref devtools.toolbox.footer.height is read only when the host is created.
// - Screenshots: BiDi's captureScreenshot refuses chrome contexts; the window's
//   WindowGlobalParent.drawSnapshot paints the whole window, remote panel included.
import WebSocket from 'ws';

/** What Firefox must be started with for any of this to work. */
export const FIREFOX_TOOLBOX_ARGS = ['--remote-allow-system-access'];

/**
 * A minimal WebDriver BiDi client over a WebSocket, for callers with no driver of their own
 * (scripts/start.mjs). `send` resolves with the whole response, as puppeteer's connection does.
 */
export async function connectBiDi(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let nextId = 1;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    const p = pending.get(msg.id);
    if (!p) return; // an event
    pending.delete(msg.id);
    if (msg.type === 'error') p.reject(new Error(`${msg.error}: ${msg.message}`));
    else p.resolve(msg);
  });
  ws.on('close', () => { for (const p of pending.values()) p.reject(new Error('BiDi connection closed')); pending.clear(); });
  const send = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  await send('session.new', { capabilities: {} });
  return {
    send,
    async close() {
      await send('session.end', {}).catch(() => {});
      ws.close();
    },
  };
}

/**
 * Helpers every chrome-side function gets as its first argument. It runs in the browser window's
 * chrome context, so it is written out as source and must not use anything from this module.
 */
function chromePrelude() {
  const { NavigableManager } = ChromeUtils.importESModule('chrome://remote/content/shared/NavigableManager.sys.mjs');
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const $ = {
    gDevTools,
    sleep,
    async waitFor(fn, what, timeoutMs) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
        await sleep(50);
      }
    },
    tab(contextId) {
      const browser = NavigableManager.getBrowserById(contextId);
      if (!browser) throw new Error(`no tab has the BiDi context ${contextId}`);
      const win = browser.ownerDocument.defaultView;
      return { win, tab: win.gBrowser.getTabForBrowser(browser) };
    },
    toolbox(contextId) {
      const toolbox = gDevTools.getToolboxForTab($.tab(contextId).tab);
      if (!toolbox) throw new Error('no toolbox is open on this tab');
      return toolbox;
    },
    /** The remote <browser> that holds the page of the extension panel `toolId`, once it has loaded it. */
    panelBrowser(toolbox, toolId) {
      const iframe = toolbox.doc.getElementById(`toolbox-panel-iframe-${toolId}`);
      const browser = iframe?.contentDocument?.querySelector('browser');
      return browser?.currentURI?.spec.startsWith('moz-extension:') ? browser : null;
    },
  };
  return $;
}

/** Runs in the panel's own process as a frame script: evaluates what the test sends, in the panel page. */
function panelFrameScript() {
  const sandboxes = new WeakMap();
  const sandboxFor = (win) => {
    let sb = sandboxes.get(win);
    if (!sb) {
      sb = Cu.Sandbox(win, { sandboxPrototype: win, wantXrays: false, sameZoneAs: win });
      sandboxes.set(win, sb);
    }
    return sb;
  };
  addMessageListener('sockscope-test:eval', async ({ data }) => {
    let reply;
    try {
      const sb = sandboxFor(content);
      const fn = Cu.evalInSandbox(`(${data.src})`, sb);
      const args = Cu.cloneInto(JSON.parse(data.args), sb);
      let value;
      if (data.poll) {
        const end = Date.now() + data.poll.timeout;
        while (!(value = await fn(...args))) {
          if (Date.now() > end) throw new Error(`waitForFunction timed out after ${data.poll.timeout} ms`);
          await new Promise((r) => content.setTimeout(r, data.poll.interval));
        }
      } else {
        value = await fn(...args);
      }
      reply = { ok: true, json: value === undefined ? undefined : JSON.stringify(value) };
    } catch (e) {
      // The stack's frames in this script are its whole data: URL; keep only the caller's.
      const stack = String(e?.stack ?? '').split('\n').filter((l) => l && !l.includes('data:,')).join('\n');
      reply = { ok: false, error: `${e?.message ?? e}${stack ? `\n${stack}` : ''}` };
    }
    sendAsyncMessage('sockscope-test:reply', { id: data.id, ...reply });
  });
}

/**
 * Returns call(fn, ...args): runs `fn($, ...args)` in the browser window's chrome context, where
 * `$` is chromePrelude()'s helpers. Arguments and the result travel as JSON.
 * `send(method, params)` is a BiDi command sender: puppeteer's `browser.connection.send` or
 * connectBiDi's `send`.
 */
export function chromeCaller(send) {
  let context = null;
  return async function call(fn, ...args) {
    if (!context) {
      const { result } = await send('browsingContext.getTree', { 'moz:scope': 'chrome' });
      const win = result.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
      if (!win) {
        throw new Error('WebDriver BiDi shows no chrome context: was Firefox started with --remote-allow-system-access?');
      }
      context = win.context;
    }
    const functionDeclaration = `async function (argsJson) {
      const value = await (${fn})((${chromePrelude})(), ...JSON.parse(argsJson));
      return value === undefined ? undefined : JSON.stringify(value);
    }`;
    const { result } = await send('script.callFunction', {
      functionDeclaration,
      arguments: [{ type: 'string', value: JSON.stringify(args) }],
      target: { context },
      awaitPromise: true,
    });
    if (result.type !== 'success') throw new Error(`in Firefox's chrome context: ${result.exceptionDetails?.text ?? JSON.stringify(result)}`);
    return result.result.type === 'string' ? JSON.parse(result.result.value) : undefined;
  };
}

/**
 * Opens the toolbox docked on the tab of BiDi context `tabContext`, waits for the panel that
 * extension `extensionId` adds, and selects it. Resolves once the panel's page has loaded.
 */
export async function openToolboxOnPanel(call, tabContext, extensionId, timeoutMs = 60_000) {
  return call(async ($, ctx, extId, timeout) => {
    const { win, tab } = $.tab(ctx);
    win.gBrowser.selectedTab = tab;
    const toolbox = await $.gDevTools.showToolboxForTab(tab);
    const def = await $.waitFor(() => toolbox.getAdditionalTools().find((d) => d.extensionId === extId),
      () => `the panel of ${extId} in the toolbox (its extension panels: ${toolbox.getAdditionalTools().map((d) => d.id).join(', ') || 'none'})`, timeout);
    await toolbox.selectTool(def.id);
    const browser = await $.waitFor(() => $.panelBrowser(toolbox, def.id), 'the panel page to load', timeout);
    return { toolId: def.id, label: def.label, hostType: toolbox.hostType, selectedToolId: toolbox.currentToolId, url: browser.currentURI.spec };
  }, tabContext, extensionId, timeoutMs);
}

/**
 * Evaluates `fn(...args)` in the page of the panel selected in the tab's toolbox and returns its
 * JSON-able result. With `poll`, calls it every `poll.interval` ms until it returns something
 * truthy, for at most `poll.timeout` ms.
 */
export async function evaluateInPanel(call, tabContext, fn, args, poll = null) {
  return call(async ($, ctx, frameScript, src, argsJson, pollOpts) => {
    const toolbox = $.toolbox(ctx);
    const browser = $.panelBrowser(toolbox, toolbox.currentToolId);
    if (!browser) throw new Error(`the selected tool (${toolbox.currentToolId}) is not a loaded extension panel`);
    const mm = browser.messageManager;
    if (!browser.hasAttribute('data-sockscope-test-bridge')) {
      browser.setAttribute('data-sockscope-test-bridge', '');
      mm.loadFrameScript(`data:,(${encodeURIComponent(frameScript)})()`, true);
    }
    const id = `${Date.now()}-${Math.random()}`;
    // No reply comes if the panel's <browser> goes away meanwhile (the toolbox closed, say).
    const waitMs = (pollOpts?.timeout ?? 60_000) + 10_000;
    const reply = await new Promise((resolve) => {
      const done = (r) => {
        clearTimeout(timer);
        mm.removeMessageListener('sockscope-test:reply', onReply);
        resolve(r);
      };
      const onReply = (m) => { if (m.data.id === id) done(m.data); };
      const timer = setTimeout(() => done({ ok: false, error: `no answer within ${waitMs} ms` }), waitMs);
      mm.addMessageListener('sockscope-test:reply', onReply);
      mm.sendAsyncMessage('sockscope-test:eval', { id, src, args: argsJson, poll: pollOpts });
    });
    if (!reply.ok) throw new Error(`in the panel page: ${reply.error}`);
    return reply.json === undefined ? undefined : JSON.parse(reply.json);
  }, tabContext, panelFrameScript.toString(), fn.toString(), JSON.stringify(args), poll);
}

/**
 * Sets the docked toolbox's height as dragging its splitter does, and waits until the panel page
 * has the new size. Resolves with the toolbox's and the panel's sizes.
 */
export async function setToolboxHeight(call, tabContext, px, timeoutMs = 60_000) {
  return call(async ($, ctx, height, timeout) => {
    const toolbox = $.toolbox(ctx);
    const host = toolbox.win.browsingContext.embedderElement;
    host.style.height = `${height}px`;
    const panel = $.panelBrowser(toolbox, toolbox.currentToolId);
    await $.waitFor(() => Math.round(host.getBoundingClientRect().height) === height, `the toolbox to be ${height} px high`, timeout);
    const r = panel?.getBoundingClientRect();
    return { toolboxHeight: height, panel: r ? { width: Math.round(r.width), height: Math.round(r.height) } : null };
  }, tabContext, px, timeoutMs);
}

/** Resizes the browser window (outer size) and waits until it has that size. */
export async function setWindowSize(call, tabContext, width, height, timeoutMs = 60_000) {
  return call(async ($, ctx, w, h, timeout) => {
    const { win } = $.tab(ctx);
    win.resizeTo(w, h);
    await $.waitFor(() => win.outerWidth === w && win.outerHeight === h, `the window to be ${w}×${h}`, timeout);
    return { outer: [win.outerWidth, win.outerHeight], inner: [win.innerWidth, win.innerHeight] };
  }, tabContext, width, height, timeoutMs);
}

/**
 * A PNG (base64) of the whole browser window, toolbox and panel included, as Firefox paints it.
 * BiDi's browsingContext.captureScreenshot refuses chrome contexts, so the window global's
 * drawSnapshot paints it (across processes) onto a canvas. Seen in headless Firefox 153: with a
 * second tab open, the background tab covers the capture's top left with a white 800×600 box, so
 * capture a window with one tab.
 */
export async function captureWindow(call, tabContext) {
  return call(async ($, ctx) => {
    const { win } = $.tab(ctx);
    const [w, h] = [win.innerWidth, win.innerHeight];
    const bitmap = await win.browsingContext.currentWindowGlobal.drawSnapshot(new win.DOMRect(0, 0, w, h), 1, 'white');
    const canvas = win.document.createElementNS('http://www.w3.org/1999/xhtml', 'canvas');
    canvas.width = w;
    canvas.height = h;
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    return canvas.toDataURL('image/png').split(',')[1];
  }, tabContext);
}

/** Closes the toolbox of the tab, if one is open. */
export async function closeToolbox(call, tabContext) {
  return call(async ($, ctx) => {
    const toolbox = $.gDevTools.getToolboxForTab($.tab(ctx).tab);
    if (toolbox) await toolbox.destroy();
  }, tabContext);
}

/** Resolves with the BiDi context id of the first top-level tab whose URL starts with `prefix`. */
export async function waitForTab(send, prefix, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { result } = await send('browsingContext.getTree', { maxDepth: 0 });
    const tab = result.contexts.find((c) => c.url.startsWith(prefix));
    if (tab) return tab.context;
    if (Date.now() > end) throw new Error(`no tab opened ${prefix} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
