/** Status-bar totals and chart buckets. */
import { describe, expect, it } from 'vitest';
import { throughput, totalsOf } from '../../src/panel/model/stats';
import type { Connection, Row } from '../../src/panel/model/types';

const conn = (id: string, o: Partial<Connection> = {}): Connection => ({
  id, docId: 'd', sock: 1, frameId: 0, frameUrl: '', url: `wss://x/${id}`, requestedProtocols: [], protocol: '', extensions: '',
  states: [], close: null, closingInitiator: null, errors: [], framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, ...o,
});
const frame = (c: Connection, at: number, dir: 'sent' | 'received', size = 10): Row =>
  ({ kind: 'frame', conn: c, connId: c.id, seq: 1, dir, type: 'text', at, size, data: 'x' });

describe('totalsOf', () => {
  it('adds up all connections, or only the selected ones', () => {
    const a = conn('a', { framesOut: 1, bytesOut: 10, framesIn: 2, bytesIn: 20 });
    const b = conn('b', { framesOut: 3, bytesOut: 30 });
    expect(totalsOf([a, b], new Set())).toEqual({ framesOut: 4, framesIn: 2, bytesOut: 40, bytesIn: 20 });
    expect(totalsOf([a, b], new Set(['b']))).toEqual({ framesOut: 3, framesIn: 0, bytesOut: 30, bytesIn: 0 });
  });
});

describe('throughput', () => {
  const a = conn('a');
  const b = conn('b');
  it('counts frames and bytes per second, sent and received, with empty seconds in between', () => {
    const rows = [frame(a, 1000, 'sent'), frame(a, 1500, 'received', 5), frame(a, 3200, 'received')];
    expect(throughput(rows, new Set(), 1000, 60)).toEqual([
      { at: 1000, sent: 1, received: 1, sentBytes: 10, receivedBytes: 5 },
      { at: 2000, sent: 0, received: 0, sentBytes: 0, receivedBytes: 0 },
      { at: 3000, sent: 0, received: 1, sentBytes: 0, receivedBytes: 10 },
    ]);
  });
  it('keeps only the newest maxBuckets seconds', () => {
    const rows = [frame(a, 0, 'sent'), frame(a, 5000, 'sent'), frame(a, 9000, 'sent')];
    expect(throughput(rows, new Set(), 1000, 3).map((x) => x.at)).toEqual([7000, 8000, 9000]);
  });
  it('only counts the selected connections, and no lifecycle rows', () => {
    const rows: Row[] = [frame(a, 0, 'sent'), frame(b, 0, 'sent'), { kind: 'lifecycle', conn: a, connId: 'a', event: 'open', at: 0, text: 'open' }];
    expect(throughput(rows, new Set(['b']), 1000, 60)).toEqual([{ at: 0, sent: 1, received: 0, sentBytes: 10, receivedBytes: 0 }]);
  });
  it('is empty without frames', () => {
    expect(throughput([], new Set(), 1000, 60)).toEqual([]);
  });
});
