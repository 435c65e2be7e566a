/** "Copy as code" output is pasted into a console or a shell: it must be valid, and payloads must stay literal. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jsSnippet, websocatCommand } from '../../src/session/copy-as-code';
import type { SessionConnection, SessionFrame } from '../../src/session/session-format';

const conn = (over: Partial<SessionConnection> = {}): SessionConnection => ({
  id: 'c1', url: 'wss://chat.test/ws?room=1', frameUrl: 'https://chat.test/', requestedProtocols: ['v2', 'v1'],
  protocol: 'v2', extensions: '', states: [], close: null, errors: [], ...over,
});
const text = (t: string, over: Partial<SessionFrame> = {}): SessionFrame => ({ connectionId: 'c1', direction: 'sent', type: 'text', at: 1, size: t.length, text: t, ...over });
const binary = (b64: string, over: Partial<SessionFrame> = {}): SessionFrame => ({ connectionId: 'c1', direction: 'sent', type: 'binary', at: 1, size: 0, base64: b64, ...over });

const TRICKY = [`it's "quoted"`, '$(rm -rf /)', '`touch /tmp/x` ${HOME} $HOME \\n %s %%', 'line 1\nline 2\n', "''''", '-n', 'snow ☃ 😀', ''];

describe('jsSnippet', () => {
  const frames = [text('hello'), text('from another socket', { connectionId: 'c2' }), binary('AAEC/w=='), text('not sent by the page', { direction: 'received' }), ...TRICKY.map((t) => text(t))];

  it('is valid JavaScript, even with tricky payloads and URLs', () => {
    expect(() => new Function(jsSnippet(conn(), frames))).not.toThrow();
    expect(() => new Function(jsSnippet(conn({ url: "wss://x.test/'\"\u2028`${a}`" }), frames))).not.toThrow();
  });

  it('opens the URL with the requested protocols, or with none when there were none', () => {
    expect(jsSnippet(conn(), [])).toContain('new WebSocket("wss://chat.test/ws?room=1", ["v2","v1"]);');
    expect(jsSnippet(conn({ requestedProtocols: [], protocol: '' }), [])).toContain('new WebSocket("wss://chat.test/ws?room=1");');
    expect(jsSnippet(conn(), [])).toContain(`ws.binaryType = 'arraybuffer';`);
  });

  it('sends only the sent frames of this connection, in order, text as literals and binary via atob', () => {
    const sends = jsSnippet(conn(), frames).split('\n').filter((l) => l.includes('ws.send('));
    expect(sends[0]).toBe('  ws.send("hello");');
    expect(sends[1]).toBe(`  ws.send(Uint8Array.from(atob('AAEC/w=='), (c) => c.charCodeAt(0)));`);
    expect(sends.slice(2)).toEqual(TRICKY.map((t) => `  ws.send(${JSON.stringify(t)});`));
  });

  // Runs the snippet against a fake WebSocket (no network) to check what it would send.
  it('sends exactly the captured payloads when run against a fake WebSocket', () => {
    const sent: unknown[] = [];
    const opened: unknown[][] = [];
    class FakeWebSocket {
      binaryType = 'blob';
      private listeners = new Map<string, () => void>();
      constructor(...args: unknown[]) { opened.push(args); }
      addEventListener(type: string, fn: () => void) { this.listeners.set(type, fn); }
      send(data: unknown) { sent.push(data); }
      fireOpen() { this.listeners.get('open')!(); }
    }
    const sockets: FakeWebSocket[] = [];
    const Tracked = class extends FakeWebSocket { constructor(...args: unknown[]) { super(...args); sockets.push(this); } };
    new Function('WebSocket', jsSnippet(conn(), frames))(Tracked);
    sockets[0]!.fireOpen();
    expect(opened).toEqual([['wss://chat.test/ws?room=1', ['v2', 'v1']]]);
    expect(sockets[0]!.binaryType).toBe('arraybuffer');
    expect(sent).toEqual(['hello', new Uint8Array([0, 1, 2, 255]), ...TRICKY]);
  });
});

/** The shell part before `| websocat`, run by /bin/sh: its output is what websocat would read. */
function feed(cmd: string): Buffer {
  const cut = cmd.lastIndexOf(' | websocat ');
  expect(cut).toBeGreaterThan(0);
  return execFileSync('sh', ['-c', cmd.slice(0, cut)]);
}

describe('websocatCommand', () => {
  it('writes the documented command lines, with the negotiated protocol', () => {
    expect(websocatCommand(conn(), text('hi'))).toBe(`printf '%s\\n' 'hi' | websocat -n1 --protocol 'v2' 'wss://chat.test/ws?room=1'`);
    expect(websocatCommand(conn({ requestedProtocols: [], protocol: '' }), binary('AQI='))).toBe(`printf '%s' 'AQI=' | base64 -d | websocat -n1 --binary 'wss://chat.test/ws?room=1'`);
  });

  it.each(TRICKY)('keeps the text payload literal in sh: %j', (payload) => {
    expect(feed(websocatCommand(conn(), text(payload))).toString('utf8')).toBe(payload + '\n');
  });

  it('keeps a binary payload byte-exact through base64 -d', () => {
    const bytes = Buffer.from([0, 0x27, 0x24, 0x60, 0x0a, 0xff, 0x80, 0x7f]);
    expect(feed(websocatCommand(conn(), binary(bytes.toString('base64'))))).toEqual(bytes);
  });

  it('quotes a hostile URL and protocol so that the command stays one pipeline', () => {
    const url = `wss://x.test/?q=';echo pwned;'`;
    const cmd = websocatCommand(conn({ url, protocol: `v1'$(id)` }), text('x'));
    const argv = execFileSync('sh', ['-c', `printf '%s\\n' ${cmd.slice(cmd.indexOf('websocat -n1') + 'websocat -n1'.length)}`]).toString('utf8');
    expect(argv).toBe(`--protocol\nv1'$(id)\n${url}\n`);
  });
});
