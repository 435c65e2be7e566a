/**
 * The built extension, as users install it (dist/chrome and dist/firefox, which `npm test` builds
 * before the unit tests): no eval, no code from the network, the browser's default CSP, and only
 * the permissions it needs. The network side of privacy is tested live in
 * test/e2e/chrome/privacy.e2e.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILDS = ['dist/chrome', 'dist/firefox'].map((d) => resolve(d));

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesOf(p) : [p];
  });
}

/** Code that would compile a string, or load code from elsewhere. */
const FORBIDDEN: [string, RegExp][] = [
  ['eval(', /(?<![\w$.])eval\s*\(/],
  ['new Function(', /\bnew\s+Function\s*\(/],
  ['Function( as a call', /(?<![\w$.])Function\s*\(\s*['"`]/],
  ['setTimeout/setInterval with a string', /\b(setTimeout|setInterval)\s*\(\s*['"`]/],
  ['importScripts(', /\bimportScripts\s*\(/],
  ['document.write', /\bdocument\.write(ln)?\s*\(/],
  ['import() of a URL', /\bimport\s*\(\s*['"`](https?:)?\/\//],
  ['a static import from a URL', /\bfrom\s*['"](https?:)?\/\//],
  ['a script loaded from a URL', /<script[^>]*\bsrc\s*=\s*['"]?(https?:)?\/\//i],
  ['a stylesheet or preload from a URL', /<link[^>]*\bhref\s*=\s*['"]?(https?:)?\/\//i],
  ['inspectedWindow.eval', /inspectedWindow\s*\.\s*eval/],
  ['chrome.scripting / tabs.executeScript', /\b(scripting\s*\.\s*executeScript|tabs\s*\.\s*executeScript)\b/],
];

/** The only absolute URLs in the built code: XML namespaces preact uses to create elements. */
const KNOWN_URLS = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/1999/xlink']);

it('the patterns catch what they look for, and not look-alikes', () => {
  const caught = (src: string) => FORBIDDEN.filter(([, re]) => re.test(src)).map(([what]) => what);
  for (const src of ['eval("1")', 'window.x=1;eval (s)', 'new Function("a", "return a")', 'Function("return this")()', 'setTimeout("go()", 1)',
    'setInterval(`tick()`)', 'importScripts("x.js")', 'document.write("<p>")', 'import("https://cdn.test/m.js")', 'import x from "https://cdn.test/m.js"',
    '<script src="https://cdn.test/a.js"></script>', '<script src=//cdn.test/a.js>', '<link rel="stylesheet" href="https://cdn.test/a.css">',
    'chrome.devtools.inspectedWindow.eval("1")', 'chrome.scripting.executeScript({})']) expect(caught(src), src).not.toEqual([]);
  for (const src of ['new BlockedFunction("")', 'wrapAsyncFunction(prop)', 'x.eval(1)', 'setTimeout(fn, 1)', 'import("./chunk.js")', '<script type="module" src="/assets/a.js">', 'evaluate(x)'])
    expect(caught(src), src).toEqual([]);
});

describe.each(BUILDS)('%s', (dist) => {
  const code = () => filesOf(dist).filter((f) => /\.(js|mjs|html)$/.test(f));

  it('is built', () => {
    expect(existsSync(join(dist, 'manifest.json')), `${dist} is missing: run npm run build`).toBe(true);
    expect(code().length).toBeGreaterThan(5);
  });

  it('has no eval, no string-compiled code and loads no code from the network', () => {
    const found: string[] = [];
    for (const file of code()) {
      const text = readFileSync(file, 'utf8');
      for (const [what, re] of FORBIDDEN) {
        const m = re.exec(text);
        if (m) found.push(`${relative(dist, file)}: ${what}: …${text.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
      }
    }
    expect(found).toEqual([]);
  });

  it('names no remote address except the XML namespaces', () => {
    const urls = new Set<string>();
    for (const file of code()) for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:https?|wss?):\/\/[^\s"'`)<>\\]+/g)) urls.add(m[0]);
    // The code-snippet and README-style strings in the panel build use template URLs, never a fixed host.
    expect([...urls].filter((u) => !KNOWN_URLS.has(u))).toEqual([]);
  });

  it('keeps the browser\'s default content security policy, and exposes nothing to pages or other extensions', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    // MV3's default CSP is script-src 'self'; wasm-unsafe-eval aside, no key may loosen it.
    expect(manifest.content_security_policy).toBeUndefined();
    expect(manifest.sandbox).toBeUndefined();
    // The release build exposes no file to web pages (only the Firefox test build does, for the panel tab).
    expect(manifest.web_accessible_resources).toBeUndefined();
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.update_url).toBeUndefined();
  });

  it('asks for no permission but storage, and reads pages only through its two content scripts', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    // Why none is needed:
    // - runtime.connect / onConnect (relay ↔ router ↔ panel) and tabs.sendMessage to our own
    //   content scripts need no permission;
    // - the DevTools panel comes from the "devtools_page" key, not a permission;
    // - the panel saves exports with an <a download> link, not the "downloads" API, and keeps its
    //   settings in its own localStorage;
    // - nothing is fetched, so no host permission is needed for requests.
    // "storage" (storage.local) keeps the composer's saved messages in the extension's own storage,
    // shared by every panel of the profile; neither browser warns about it at install.
    expect(manifest.permissions ?? []).toEqual(['storage']);
    expect(manifest.optional_permissions ?? []).toEqual([]);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.optional_host_permissions ?? []).toEqual([]);
    expect(manifest.devtools_page).toBe('src/devtools/devtools.html');
    // <all_urls>, every frame, about:blank and opaque-origin frames: a WebSocket can be opened in
    // any page and any frame, and must be captured from the first script. One script patches
    // WebSocket in the page's own world (MAIN); the other, isolated, relays to the extension.
    const scripts = manifest.content_scripts as { matches: string[]; js: string[]; world?: string; run_at: string; all_frames: boolean; match_about_blank: boolean; match_origin_as_fallback: boolean }[];
    expect(scripts.map((s) => ({ ...s, js: s.js.map((j) => j.replace(/\.js$/, '')) }))).toEqual([
      { matches: ['<all_urls>'], js: ['src/page/hook.iife'], run_at: 'document_start', all_frames: true, match_about_blank: true, match_origin_as_fallback: true, world: 'MAIN' },
      { matches: ['<all_urls>'], js: ['src/relay/relay.iife'], run_at: 'document_start', all_frames: true, match_about_blank: true, match_origin_as_fallback: true },
    ]);
    // Chrome's build also turns on structured-clone messaging (binary crosses as ArrayBuffers, not
    // base64): a serialization setting, not a permission. Firefox always clones and has no such key.
    const chrome = dist.endsWith('chrome');
    expect(Object.keys(manifest).sort()).toEqual(
      ['background', 'browser_specific_settings', 'content_scripts', 'description', 'devtools_page', 'icons', 'manifest_version',
        ...(chrome ? ['message_serialization'] : []), 'name', 'permissions', 'version'],
    );
    expect(manifest.message_serialization).toBe(chrome ? 'structured_clone' : undefined);
  });

  it('declares to Firefox that it collects no data', () => {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as { browser_specific_settings: { gecko: { data_collection_permissions: unknown } } };
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'] });
  });
});
