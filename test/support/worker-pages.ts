/**
 * Pages whose sockets live in workers, shared by the Chromium and Firefox worker tests. Each
 * worker reports to the page what a script can observe of itself (self.location, its name, what
 * its relative imports and fetches loaded, the echoes its socket got), so the tests can check
 * that the wrapper left the worker's behaviour and its messages to the page unchanged.
 */
import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { SessionFileV1 } from '../../src/session/session-format';
import { exportedPayloads } from './panel';
import type { TestServer } from './test-server';

type Reports = Record<'classic' | 'module' | 'imports', Record<string, unknown>[]>;

/** Waits until /workers/page.html has every worker's first report and both error reports. */
export async function waitForWorkerPage(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const r = (window as unknown as { reports: Reports }).reports;
    return r.classic.length && r.module.length && r.imports.length && (window as unknown as { errors: unknown[] }).errors.length === 2;
    // Polled on a timer, not on animation frames: those stop while the page is hidden (its
    // DevTools window in front), and then the wait never looked again (CI p6).
  }, { timeout: 60_000 }).catch(async (e) => {
    const now = await page.evaluate(() => JSON.stringify({ visibility: document.visibilityState, reports: (window as unknown as { reports: unknown }).reports, errors: (window as unknown as { errors: unknown }).errors })).catch(() => '?');
    throw new Error(`the worker page never had every report: ${now}`, { cause: e });
  });
}

/** Each worker's messages to the page are exactly what it observes natively: its own URL, name, imports and echoes. */
export async function expectWorkerReports(page: Page, origin: string): Promise<void> {
  const r = await page.evaluate(() => (window as unknown as { reports: Reports }).reports);
  const want = expectedWorkerReports(origin);
  expect(r.classic).toEqual([want.classic]);
  expect(r.module).toEqual([want.module]);
  expect(r.imports).toEqual([want.imports]);
}

/** What each worker posts to the page once its socket has its echoes. */
function expectedWorkerReports(origin: string) {
  return {
    classic: { kind: 'classic', href: `${origin}/workers/classic.js`, pathname: '/workers/classic.js', name: '', got: ['go-classic'], echoes: ['classic hello', '010203'] },
    module: { kind: 'module', href: `${origin}/workers/module.mjs`, metaUrl: `${origin}/workers/module.mjs`, name: 'mod', dep: 'dep-ok', echoes: ['module hello'] },
    imports: { kind: 'imports', href: `${origin}/workers/sub/imports.js`, helper: 'helper-ok', fetched: 'data-ok', echoes: ['imports hello'] },
  };
}

/** The three worker sockets of /workers/page.html are in the export with their workers, frame for frame as the server saw them. */
export function expectWorkerExport(session: SessionFileV1, server: TestServer): void {
  const conn = (path: string) => {
    const c = session.connections.find((x) => x.url.endsWith(path));
    if (!c) throw new Error(`no connection for ${path} in the export`);
    return c;
  };
  expect(conn('/workers/w-classic').worker).toEqual({ kind: 'dedicated', type: 'classic', url: `${server.origin}/workers/classic.js` });
  expect(conn('/workers/w-module').worker).toEqual({ kind: 'dedicated', type: 'module', url: `${server.origin}/workers/module.mjs`, name: 'mod' });
  expect(conn('/workers/w-imports').worker).toEqual({ kind: 'dedicated', type: 'classic', url: `${server.origin}/workers/sub/imports.js` });
  for (const path of ['/workers/w-classic', '/workers/w-module', '/workers/w-imports']) {
    const onServer = server.sockets.find((s) => s.path === path)!.received.map((x) => x.data.toString('hex'));
    expect(exportedPayloads(session, conn(path).id, 'sent').map((f) => f.bytes.toString('hex'))).toEqual(onServer);
    // The server echoes: what the worker received is what it sent.
    expect(exportedPayloads(session, conn(path).id, 'received').map((f) => f.bytes.toString('hex'))).toEqual(onServer);
  }
  expect(session.notices).toBeUndefined();
}

/** A missing script gives the page a plain error Event; a throwing one an ErrorEvent naming the script (the message is each browser's own). */
export function expectWorkerErrors(errors: unknown[], origin: string, thrownMessage: string): void {
  expect(errors).toHaveLength(2);
  expect(errors).toContainEqual({ which: 'missing', type: 'error', isErrorEvent: false });
  expect(errors).toContainEqual({ which: 'throws', type: 'error', message: thrownMessage, filename: `${origin}/workers/throws.js`, lineno: 1 });
}

const ECHO_REPORT = `
  const echoes = [];
  const report = (extra, want) => (m) => {
    const d = m.data;
    echoes.push(typeof d === 'string' ? d : [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    if (echoes.length === want) postMessage({ ...extra(), echoes: [...echoes] });
    else if (echoes.length > want) postMessage({ later: echoes.at(-1) });
  };`;

export function serveWorkerPages(server: TestServer): void {
  server.page('/workers/page.html', `<!doctype html><html><head><script>
    window.reports = { classic: [], module: [], imports: [] };
    window.errors = [];
    const w1 = new Worker('classic.js');
    w1.onmessage = (e) => reports.classic.push(e.data);
    // Posted at once, while the worker is still starting: it must arrive, once, in order.
    w1.postMessage('go-classic');
    const w2 = new Worker('module.mjs', { type: 'module', name: 'mod' });
    w2.addEventListener('message', (e) => reports.module.push(e.data));
    const w3 = new Worker('sub/imports.js');
    w3.onmessage = (e) => reports.imports.push(e.data);
    // A script that does not exist, and one that throws: the page sees what native shows.
    const missing = new Worker('missing.js');
    missing.onerror = (e) => errors.push({ which: 'missing', type: e.type, isErrorEvent: e instanceof ErrorEvent });
    missing.onmessage = () => errors.push({ which: 'missing', message: true });
    const thrower = new Worker('throws.js');
    thrower.onerror = (e) => { errors.push({ which: 'throws', type: e.type, message: e.message, filename: e.filename, lineno: e.lineno }); e.preventDefault(); };
    window.workers = { w1, w2, w3 };
  </script></head><body>workers</body></html>`);
  server.page('/workers/classic.js', `${ECHO_REPORT}
    const got = [];
    onmessage = (e) => {
      got.push(e.data);
      const ws = new WebSocket('ws://' + location.host + '/workers/w-classic');
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => { ws.send('classic hello'); ws.send(new Uint8Array([1, 2, 3])); };
      ws.onmessage = report(() => ({ kind: 'classic', href: location.href, pathname: location.pathname, name: self.name, got: [...got] }), 2);
      ws.onclose = (c) => postMessage({ closed: [c.code, c.reason, c.wasClean] });
    };`);
  server.page('/workers/module.mjs', `import { dep } from './dep.mjs';
    ${ECHO_REPORT}
    const ws = new WebSocket(location.href.replace(/^http/, 'ws').replace('module.mjs', 'w-module'));
    ws.onopen = () => ws.send('module hello');
    ws.onmessage = report(() => ({ kind: 'module', href: location.href, metaUrl: import.meta.url, name: self.name, dep }), 1);`);
  server.page('/workers/dep.mjs', `export const dep = 'dep-ok';`);
  server.page('/workers/sub/imports.js', `${ECHO_REPORT}
    importScripts('helper.js');
    fetch('data.txt').then((r) => r.text()).then((fetched) => {
      // A relative socket URL resolves against the worker's script, as native.
      const ws = new WebSocket('../w-imports');
      ws.onopen = () => ws.send('imports hello');
      ws.onmessage = report(() => ({ kind: 'imports', href: location.href, helper: self.helperValue, fetched }), 1);
    });`);
  server.page('/workers/sub/helper.js', `self.helperValue = 'helper-ok';`);
  server.page('/workers/sub/data.txt', 'data-ok');
  server.page('/workers/throws.js', `throw new Error('boom from the worker');`);

  // A strict worker-src: the browser refuses blob: workers, so the wrapper cannot start.
  server.page('/workers/csp.html', `<!doctype html><html><head><script>
    window.reports = [];
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI + ' ' + e.effectiveDirective));
    const w = new Worker('csp-worker.js');
    w.onmessage = (e) => reports.push(e.data);
    w.postMessage('go-csp');
  </script></head><body>strict CSP</body></html>`, { 'content-security-policy': "worker-src 'self'; script-src 'self' 'unsafe-inline'" });
  server.page('/workers/csp-worker.js', `${ECHO_REPORT}
    // A capturing listener runs first at the target: a message of Sockscope's would show up here.
    let marks = 0;
    addEventListener('message', (e) => { if (e.ports.length || JSON.stringify(e.data).includes('sockscope')) marks++; }, true);
    onmessage = (e) => {
      const ws = new WebSocket('ws://' + location.host + '/workers/w-csp');
      ws.onopen = () => ws.send('csp hello ' + e.data);
      ws.onmessage = report(() => ({ kind: 'csp', href: location.href, ...(marks && { marks }) }), 1);
    };`);

  // A worker started by an iframe, which itself starts a worker (relative to its own script).
  server.page('/workers/framed.html', `<!doctype html><html><body>
    <script>window.fromFrame = []; addEventListener('message', (e) => fromFrame.push(e.data));</script>
    <iframe src="frame-inner.html"></iframe></body></html>`);
  server.page('/workers/frame-inner.html', `<!doctype html><script>
    const w = new Worker('inner-worker.js');
    w.onmessage = (e) => parent.postMessage(e.data, '*');
  </script>`);
  server.page('/workers/inner-worker.js', `${ECHO_REPORT}
    const nested = new Worker('nested.js');
    nested.onmessage = (e) => postMessage({ nested: e.data });
    const ws = new WebSocket('ws://' + location.host + '/workers/w-inner');
    ws.onopen = () => ws.send('inner hello');
    ws.onmessage = report(() => ({ kind: 'inner', href: location.href }), 1);`);
  server.page('/workers/nested.js', `postMessage(location.href);`);

  // Workers from blob: URLs the page revokes at once, as bundlers' inline workers do.
  server.page('/workers/blob.html', `<!doctype html><script>
    window.blobReports = [];
    const source = (kind) => \`
      const ws = new WebSocket('ws://${'${location.host}'}/workers/w-blob-\${kind}');
      ws.onopen = () => ws.send('blob hello \${kind}');
      ws.onmessage = (m) => postMessage({ kind: '\${kind}', echo: m.data, protocol: location.protocol });\`;
    for (const type of ['classic', 'module']) {
      const url = URL.createObjectURL(new Blob([source(type)], { type: 'text/javascript' }));
      const w = new Worker(url, { type });
      URL.revokeObjectURL(url);
      w.onmessage = (e) => blobReports.push(e.data);
    }
    // A revoked URL is revoked: the page's own fetch of it fails, as native.
    const gone = URL.createObjectURL(new Blob(['x']));
    URL.revokeObjectURL(gone);
    fetch(gone).then(() => { window.goneFetch = 'loaded'; }, () => { window.goneFetch = 'failed'; });
  </script>`);

  // A page that spies on every builtin the hooks could use at run time, hoping to be handed the
  // private port to a worker (from which it could forge commands), then starts and ends a worker.
  server.page('/workers/spy.html', `<!doctype html><script>
    window.seen = [];
    const look = (x, where) => {
      try {
        if (x instanceof MessagePort) seen.push(where);
        else if (x && typeof x === 'object') for (const k of Object.keys(x)) if (x[k] instanceof MessagePort) seen.push(where + '.' + k);
      } catch { /* a revoked proxy, say */ }
    };
    const mapForEach = Map.prototype.forEach;
    for (const n of ['get', 'set', 'has', 'delete', 'forEach']) {
      const o = Map.prototype[n];
      Map.prototype[n] = function (...a) { mapForEach.call(this, (v, k) => { look(v, 'Map.' + n); look(k, 'Map.' + n); }); return o.apply(this, a); };
    }
    for (const n of ['get', 'set', 'has', 'delete']) {
      const o = WeakMap.prototype[n];
      WeakMap.prototype[n] = function (...a) { const r = o.apply(this, a); look(r, 'WeakMap.' + n); return r; };
    }
    for (const n of ['splice', 'push', 'indexOf', 'forEach', 'filter', 'map']) {
      const o = Array.prototype[n];
      Array.prototype[n] = function (...a) { for (let i = 0; i < this.length; i++) look(this[i], 'Array.' + n); return o.apply(this, a); };
    }
    for (const p of ['port1', 'port2']) {
      const d = Object.getOwnPropertyDescriptor(MessageChannel.prototype, p);
      Object.defineProperty(MessageChannel.prototype, p, { ...d, get() { seen.push('MessageChannel.' + p); return d.get.call(this); } });
    }
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (...a) { seen.push('MessagePort.postMessage'); return post.apply(this, a); };
    const listen = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (t, f, o) { if (this instanceof MessagePort) seen.push('MessagePort.addEventListener'); return listen.call(this, t, f, o); };
    window.reports = [];
    const w = new Worker('csp-worker.js');
    // A capturing listener runs first at the target: it must still see nothing of ours.
    w.addEventListener('message', (e) => { if (JSON.stringify(e.data).includes('sockscope')) seen.push('a mark on the Worker'); }, true);
    w.onmessage = (e) => { reports.push(e.data); w.terminate(); };
    w.postMessage('go-spy');
  </script>`);

  // One SharedWorker for every tab of the page, classic and module: each counts its connections,
  // and answers each tab's message once its own socket has echoed it.
  const sharedPage = (script: string, options: string) => `<!doctype html><script>
    window.replies = [];
    window.violations = [];
    addEventListener('securitypolicyviolation', (e) => violations.push(e.blockedURI));
    const sw = new SharedWorker('${script}', ${options});
    window.sameObject = sw instanceof SharedWorker && Object.getPrototypeOf(sw) === SharedWorker.prototype && sw.port === sw.port && sw.port instanceof MessagePort;
    sw.onerror = () => replies.push('error');
    sw.port.onmessage = (e) => replies.push(e.data);
    sw.port.postMessage('hello ' + ${JSON.stringify(script)});
  </script>`;
  const sharedWorker = (socket: string, extra: string) => `
    let connections = 0;
    // A capturing listener runs first at the target: it must see each page's connection once, and only it.
    let connectEvents = 0;
    addEventListener('connect', () => { connectEvents++; }, true);
    const ws = new WebSocket('ws://' + location.host + '/workers/${socket}');
    const opened = new Promise((r) => ws.addEventListener('open', r));
    onconnect = (e) => {
      const port = e.ports[0];
      const n = ++connections;
      const sameSource = e.source === port;
      // Read now: the capturing listener has just counted this connection's event.
      const seen = connectEvents;
      port.onmessage = async (m) => {
        await opened;
        const sent = m.data + ' ' + n;
        ws.addEventListener('message', function echo(ev) {
          if (ev.data !== sent) return;
          ws.removeEventListener('message', echo);
          port.postMessage({ n, connectEvents: seen, got: m.data, echo: ev.data, href: location.href, name: self.name, sameSource, ${extra} });
        });
        ws.send(sent);
      };
    };`;
  server.page('/workers/shared.html', sharedPage('shared.js', "{ name: 'hub' }"));
  server.page('/workers/shared.js', sharedWorker('w-shared', 'imported: self.helperValue') + `
    importScripts('sub/helper.js');`);
  // One page, two SharedWorker objects for the same worker: one instance, two connections.
  server.page('/workers/shared-twice.html', `<!doctype html><script>
    window.replies = [];
    for (const i of [1, 2]) {
      const sw = new SharedWorker('shared-twice.js', { name: 'twice' });
      sw.port.onmessage = (e) => replies.push(e.data);
      sw.port.postMessage('hello ' + i);
    }
  </script>`);
  server.page('/workers/shared-twice.js', sharedWorker('w-shared-twice', 'twice: true'));
  server.page('/workers/shared-module.html', sharedPage('shared-module.mjs', "{ type: 'module', name: 'mhub' }"));
  server.page('/workers/shared-module.mjs', `import { dep } from './dep.mjs';` + sharedWorker('w-shared-module', 'metaUrl: import.meta.url, dep'));
  // worker-src 'self' refuses Sockscope's blob: wrapper; the worker must still run.
  server.page('/workers/shared-csp.html', sharedPage('shared-csp.js', "'strict'"), { 'Content-Security-Policy': "worker-src 'self'" });
  server.page('/workers/shared-csp.js', sharedWorker('w-shared-csp', "csp: true"));
}

/** What a shared worker tells each tab, in the order the tabs connected. */
export function expectedSharedReplies(origin: string, kind: 'classic' | 'module' | 'csp') {
  const script = { classic: 'shared.js', module: 'shared-module.mjs', csp: 'shared-csp.js' }[kind];
  const href = `${origin}/workers/${script}`;
  const name = { classic: 'hub', module: 'mhub', csp: 'strict' }[kind];
  const extra = { classic: { imported: 'helper-ok' }, module: { metaUrl: href, dep: 'dep-ok' }, csp: { csp: true } }[kind];
  return [1, 2].map((n) => ({ n, connectEvents: n, got: `hello ${script}`, echo: `hello ${script} ${n}`, href, name, sameSource: true, ...extra }));
}

/** What /workers/shared-twice.html's two SharedWorker objects hear: one instance, two connections. */
export function expectedTwiceReplies(origin: string) {
  return [1, 2].map((n) => ({ n, connectEvents: n, got: `hello ${n}`, echo: `hello ${n} ${n}`, href: `${origin}/workers/shared-twice.js`, name: 'twice', sameSource: true, twice: true }));
}

/**
 * Both tabs' replies show one instance (the second tab is its second connection), unchanged, and
 * the server saw one socket. Returns that socket and the worker's script URL and file name.
 */
export function expectOneSharedInstance(replies: unknown[], server: TestServer, kind: 'classic' | 'module' | 'csp', socket: string) {
  const want = expectedSharedReplies(server.origin, kind);
  const looks = { sameObject: true, violations: [] };
  expect(replies).toEqual([want[0], looks, want[1], looks]);
  const onServer = server.sockets.filter((x) => x.path === `/workers/${socket}`);
  expect(onServer).toHaveLength(1);
  return { sock: onServer[0]!, script: want[0]!.href, file: want[0]!.href.replace(/.*\//, '') };
}

/** A tab's export has the shared worker's socket, labelled with its worker, frame for frame as the server saw them (it echoes). */
export function expectSharedExport(session: SessionFileV1, socket: string, worker: Record<string, unknown>, sent: string[]): void {
  const c = session.connections.find((x) => x.url.endsWith(`/workers/${socket}`));
  if (!c) throw new Error(`no connection for ${socket} in the export`);
  expect(c.worker).toEqual(worker);
  expect(exportedPayloads(session, c.id, 'sent').map((f) => f.bytes.toString())).toEqual(sent);
  expect(exportedPayloads(session, c.id, 'received').map((f) => f.bytes.toString())).toEqual(sent);
  expect(session.notices).toBeUndefined();
}

/** A tab of a shared-worker page: its replies once it has `count`, and that its SharedWorker looked native. */
export async function sharedReplies(page: Page, count: number): Promise<unknown[]> {
  // Polled by time: a tab in the background runs no animation frames.
  await page.waitForFunction((n) => (window as unknown as { replies: unknown[] }).replies.length >= n, { timeout: 60_000, polling: 100 }, count);
  return page.evaluate(() => {
    const w = window as unknown as { replies: unknown[]; sameObject: boolean; violations: string[] };
    return [...w.replies, { sameObject: w.sameObject, violations: w.violations }];
  });
}

/** What the iframe's worker and the worker it started tell the top page. */
export function expectedFrameReports(origin: string) {
  return [{ nested: `${origin}/workers/nested.js` }, { kind: 'inner', href: `${origin}/workers/inner-worker.js`, echoes: ['inner hello'] }];
}
