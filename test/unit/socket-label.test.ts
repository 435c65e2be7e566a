/**
 * The composer's socket picker: the select shows about 38 characters of each line (40ch wide, its
 * arrow included), so sockets that differ must differ there.
 */
import { describe, expect, it } from 'vitest';
import { socketLabels } from '../../src/panel/compose/socket-label';
import type { Connection } from '../../src/session/capture-model-types';

/** What the select shows of a line. */
const VISIBLE = 38;
const T0 = new Date(2026, 10, 22, 10, 42, 1, 250).getTime();

let next = 1;
function conn(url: string, more: Partial<Connection> = {}): Connection {
  const sock = next++;
  return {
    id: `d1:${sock}`, docId: 'd1', sock, frameId: 0, frameUrl: 'https://app.example/', url, requestedProtocols: [], protocol: '', extensions: '',
    states: [{ state: 'CONNECTING', at: T0 }, { state: 'OPEN', at: T0 + 20 }], close: null, closingInitiator: null, errors: [],
    framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, ...more,
  };
}

const visible = (labels: string[]) => labels.map((l) => l.slice(0, VISIBLE));
const distinct = (xs: string[]) => new Set(xs).size === xs.length;

describe('socketLabels', () => {
  it('two sockets on one host with different paths differ within the visible part', () => {
    const labels = socketLabels([conn('wss://app.example.com:8443/realtime/v2/feed'), conn('wss://app.example.com:8443/realtime/v2/chat')]);
    expect(distinct(visible(labels))).toBe(true);
    expect(labels[0]).toMatch(/^open #\d+ · \/realtime\/v2\/feed · 10:42:01 · wss:\/\/app\.example\.com:8443\/realtime\/v2\/feed$/);
    expect(visible(labels)[1]).toContain('v2/chat');
  });

  it('two sockets on one host with different queries differ within the visible part', () => {
    const labels = socketLabels([conn('ws://127.0.0.1:4000/feed?room=alpha'), conn('ws://127.0.0.1:4000/feed?room=beta')]);
    expect(visible(labels)[0]).toContain('/feed?room=alpha');
    expect(visible(labels)[1]).toContain('/feed?room=beta');
  });

  it('a difference early in a long URL is shown, not the end they share', () => {
    const long = (ch: string) => `wss://api.example.com/stream/${ch}/updates?format=json&token=0123456789abcdef`;
    const labels = socketLabels([conn(long('orders')), conn(long('trades')), conn(long('quotes'))]);
    const shown = visible(labels);
    expect(distinct(shown)).toBe(true);
    expect(shown[0]).toContain('orders');
    expect(shown[1]).toContain('trades');
    expect(shown[2]).toContain('quotes');
  });

  it('a long URL whose end no other socket shares shows its end, wherever the difference starts', () => {
    const labels = socketLabels([conn('ws://h:1/feed?room=alpha'), conn('ws://h:1/api/v2/realtime/stream?channel=orders&token=abcdef0123')]);
    expect(labels[1]).toMatch(/^open #\d+ · …[^ ]*token=abcdef0123 · /);
  });

  it('a difference only at the very end of a long query is shown', () => {
    const labels = socketLabels([
      conn('wss://api.example.com/stream/updates?format=json&token=0123456789abcdef&shard=1'),
      conn('wss://api.example.com/stream/updates?format=json&token=0123456789abcdef&shard=2'),
    ]);
    expect(visible(labels).map((l) => l.includes('shard=1') || l.includes('shard=2'))).toEqual([true, true]);
    expect(distinct(visible(labels))).toBe(true);
  });

  it('the same URL twice: told apart by the socket number, and the whole URL ends the line', () => {
    const [a, b] = [conn('wss://app.example/socket'), conn('wss://app.example/socket')];
    const labels = socketLabels([a!, b!]);
    expect(visible(labels)[0]).toContain(`#${a!.sock}`);
    expect(visible(labels)[1]).toContain(`#${b!.sock}`);
    expect(distinct(visible(labels))).toBe(true);
    expect(labels.every((l) => l.endsWith(' · wss://app.example/socket'))).toBe(true);
  });

  it('says the state first, and when the socket opened', () => {
    const closed = conn('wss://app.example/a', { states: [{ state: 'CONNECTING', at: T0 }, { state: 'CLOSED', at: T0 + 5 }] });
    const [label] = socketLabels([closed]);
    expect(label).toMatch(/^closed #\d+ · \/a · 10:42:01 · /);
  });

  it('names a worker\'s socket with its worker, before the URL', () => {
    const w = conn('wss://app.example/feed', { worker: { kind: 'dedicated', type: 'module', url: 'https://app.example/js/feed-worker.js' } });
    const [label] = socketLabels([w, conn('wss://app.example/feed')]);
    expect(label).toMatch(/ · Worker feed-worker\.js · wss:\/\/app\.example\/feed$/);
  });

  it('sockets on different hosts: the host leads, cut short when long', () => {
    const labels = socketLabels([conn('wss://eu.example.com/socket'), conn('wss://us.example.com/socket'), conn('wss://a-very-long-host-name.example.com/socket')]);
    const shown = visible(labels);
    expect(distinct(shown)).toBe(true);
    expect(shown[0]).toContain('eu.example.…/socket');
    expect(shown[1]).toContain('us.example.…/socket');
    expect(shown[2]).toContain('a-very-long…/socket');
  });

  it('an imported URL that is not a URL is shown as it is', () => {
    const [label] = socketLabels([conn('not a url at all')]);
    expect(label).toMatch(/^open #\d+ · not a url at all · /);
  });

  it('a hundred sockets on one host, each its own room: every visible part differs', () => {
    const conns = Array.from({ length: 100 }, (_, i) => conn(`wss://chat.example.com/rooms/general/socket?room=${i}&client=web`));
    expect(distinct(visible(socketLabels(conns)))).toBe(true);
  });
});
