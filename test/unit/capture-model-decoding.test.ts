/** The model decodes frames as they arrive: by subprotocol, by the first frames' shape, or as the user chooses. */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import type { FrameRecord } from '../../src/panel/model/types';
import { batch, created, opened, receivedText, sentText } from './fixtures/wire-events';

const model = () => new CaptureModel({ maxFrames: 1000, maxBytes: 1e9 });
const summaries = (m: CaptureModel) => m.allFrames().map((f: FrameRecord) => f.msg?.summary ?? null);
const rpc = (method: string, id: number) => JSON.stringify({ jsonrpc: '2.0', method, params: [], id });
const result = (id: number) => JSON.stringify({ jsonrpc: '2.0', result: '0x1', id });

describe('CaptureModel decoding', () => {
  it('a negotiated subprotocol picks the decoder before any frame', () => {
    const m = model();
    m.ingest(batch([created(1, 1, 'wss://b/', ['v12.stomp']), opened(2, 1, 'v12.stomp'), sentText(3, 1, 'SUBSCRIBE\nid:0\ndestination:/topic/orders\n\n\0')]));
    expect(m.connections[0]!.decoding?.decoder?.id).toBe('stomp');
    expect(m.connections[0]!.decoding?.by).toBe('subprotocol');
    expect(summaries(m)).toEqual(['SUBSCRIBE /topic/orders']);
  });

  it('without one, the first frames are sniffed, and frames seen before detection are decoded too, in order', () => {
    const m = model();
    // Plain text first (no decoder claims it), then JSON-RPC: the request's method names the later result.
    m.ingest(batch([created(1, 1, 'wss://rpc/'), opened(2, 1), sentText(3, 1, 'hello'), sentText(4, 1, rpc('eth_call', 7)), receivedText(5, 1, result(7))]));
    expect(m.connections[0]!.decoding?.decoder?.id).toBe('json-rpc');
    expect(m.connections[0]!.decoding?.by).toBe('frames');
    const [hello, call, res] = summaries(m);
    expect(hello).toBeNull();
    expect(call).toContain('eth_call');
    expect(res).toContain('eth_call');
    expect(m.decodeEpoch).toBe(1);
  });

  it('the user can switch decoding off, choose a protocol, and go back to automatic', () => {
    const m = model();
    m.ingest(batch([created(1, 1, 'wss://rpc/'), opened(2, 1), sentText(3, 1, rpc('a', 1)), receivedText(4, 1, result(1))]));
    const id = m.connections[0]!.id;
    m.setDecodeMode(id, 'off');
    expect(summaries(m)).toEqual([null, null]);
    m.ingest(batch([sentText(5, 1, rpc('b', 2))]));
    expect(summaries(m)).toEqual([null, null, null]);
    m.setDecodeMode(id, 'auto');
    expect(summaries(m).every((s) => s !== null)).toBe(true);
    expect(m.connections[0]!.decoding?.by).toBe('frames');
    m.setDecodeMode(id, 'stomp');
    expect(m.connections[0]!.decoding?.by).toBe('user');
    expect(m.allFrames().every((f) => !f.msg || f.msg.protocol === 'stomp')).toBe(true);
  });

  it('gives up sniffing after a few frames nobody claims', () => {
    const m = model();
    m.ingest(batch([created(1, 1, 'wss://plain/'), opened(2, 1), ...Array.from({ length: 12 }, (_, i) => sentText(3 + i, 1, `plain ${i}`))]));
    expect(m.connections[0]!.decoding?.decoder).toBeNull();
    expect(m.connections[0]!.decoding?.sniffing).toBe(false);
    // Later JSON-RPC is not looked at: detection is about how a connection starts.
    m.ingest(batch([sentText(20, 1, rpc('late', 1))]));
    expect(summaries(m).at(-1)).toBeNull();
  });
});
