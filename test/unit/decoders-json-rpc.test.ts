/**
 * JSON-RPC 2.0 decoder. Fixtures are the examples of the JSON-RPC 2.0 specification
 * (jsonrpc.org/specification, section 7 "Examples": positional and named parameters,
 * notifications, non-existent method, invalid JSON, invalid request, batches, empty batch), plus the
 * Ethereum JSON-RPC API's published examples (eth_getBalance, eth_call reverting with -32000
 * "execution reverted", eth_subscribe "newHeads" and its eth_subscription notifications) for the
 * request ↔ response matching over a WebSocket.
 */
import { describe, expect, it } from 'vitest';
import { jsonRpcDecoder } from '../../src/decoders/protocols/json-rpc';
import type { DecodeInput } from '../../src/decoders/types';

const sent = (text: string): DecodeInput => ({ dir: 'sent', type: 'text', text });
const received = (text: string): DecodeInput => ({ dir: 'received', type: 'text', text });
const one = (f: DecodeInput) => {
  const m = jsonRpcDecoder.session().decode(f);
  if (!m) throw new Error('expected a message');
  return m;
};

describe('JSON-RPC 2.0 specification examples', () => {
  it('matches a positional-parameter call to its result', () => {
    const s = jsonRpcDecoder.session();
    const call = s.decode(sent('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'));
    expect(call?.summary).toBe('call subtract #1');
    expect(call?.fields).toMatchObject({ type: 'request', method: 'subtract', id: 1 });
    expect(call?.body).toEqual([42, 23]);
    const result = s.decode(received('{"jsonrpc": "2.0", "result": 19, "id": 1}'));
    expect(result?.summary).toBe('result #1 subtract');
    expect(result?.fields).toMatchObject({ type: 'result', method: 'subtract', id: 1 });
    expect(result?.body).toBe(19);
    expect(result?.heartbeat).toBe(false);
  });

  it('decodes named parameters', () => {
    const m = one(sent('{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}'));
    expect(m.summary).toBe('call subtract #3');
    expect(m.body).toEqual({ subtrahend: 23, minuend: 42 });
  });

  it('decodes notifications', () => {
    const m = one(sent('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}'));
    expect(m.summary).toBe('notify update');
    expect(m.fields).toMatchObject({ type: 'notification', method: 'update' });
    expect(m.fields.id).toBeUndefined();
    expect(one(sent('{"jsonrpc": "2.0", "method": "foobar"}')).summary).toBe('notify foobar');
  });

  it('matches a string id error response (method not found)', () => {
    const s = jsonRpcDecoder.session();
    s.decode(sent('{"jsonrpc": "2.0", "method": "foobar", "id": "1"}'));
    const e = s.decode(received('{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}'));
    expect(e?.summary).toBe('error #1 foobar: -32601 Method not found');
    expect(e?.fields).toMatchObject({ type: 'error', code: -32601, message: 'Method not found', method: 'foobar', id: '1' });
    expect(e?.error).toBeUndefined();
  });

  it('keeps numeric and string ids apart', () => {
    const s = jsonRpcDecoder.session();
    s.decode(sent('{"jsonrpc":"2.0","method":"a","id":1}'));
    s.decode(sent('{"jsonrpc":"2.0","method":"b","id":"1"}'));
    expect(s.decode(received('{"jsonrpc":"2.0","result":0,"id":"1"}'))?.summary).toBe('result #1 b');
    expect(s.decode(received('{"jsonrpc":"2.0","result":0,"id":1}'))?.summary).toBe('result #1 a');
  });

  it('decodes the parse-error and invalid-request responses (id null)', () => {
    expect(one(received('{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}')).summary)
      .toBe('error #null: -32700 Parse error');
    expect(one(received('{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}')).summary)
      .toBe('error #null: -32600 Invalid Request');
  });

  it('flags the spec\'s invalid JSON and invalid request', () => {
    expect(one(sent('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')).error).toMatch(/invalid JSON/);
    expect(one(sent('{"jsonrpc": "2.0", "method": 1, "params": "bar"}')).error).toMatch(/neither a request/);
    expect(one(sent('[]')).error).toMatch(/empty batch/);
  });

  it('decodes the spec batch and its batched responses', () => {
    const s = jsonRpcDecoder.session();
    const req = s.decode(sent(`[
      {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
      {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
      {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
      {"foo": "boo"},
      {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
      {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
    ]`));
    expect(req?.summary.startsWith('batch[6]: call sum #1; notify notify_hello; call subtract #2; (not a JSON-RPC message)')).toBe(true);
    expect(req?.fields).toMatchObject({ batch: true, count: 6, method: 'sum' });
    expect(req?.error).toMatch(/message 4/);
    const res = s.decode(received(`[
      {"jsonrpc": "2.0", "result": 7, "id": "1"},
      {"jsonrpc": "2.0", "result": 19, "id": "2"},
      {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
      {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
      {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ]`));
    expect(res?.summary).toBe('batch[5]: result #1 sum; result #2 subtract; error #null: -32600 Invalid Request; error #5 foo.get: -32601 Method not found; result #9 get_data');
    expect(res?.error).toBeUndefined();
  });

  it('sniffs "jsonrpc":"2.0" as certain, and nothing else', () => {
    expect(jsonRpcDecoder.sniff(sent('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'))).toBe(1);
    expect(jsonRpcDecoder.sniff(received('{"result":19,"jsonrpc":"2.0","id":1}'))).toBe(1);
    expect(jsonRpcDecoder.sniff(sent('[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"}]'))).toBe(1);
    expect(jsonRpcDecoder.sniff(sent('{"method":"subtract","params":[42,23],"id":1}'))).toBe(0);
    // Nested inside another protocol's payload is not JSON-RPC.
    expect(jsonRpcDecoder.sniff(sent('[null,"1","room:x","msg",{"jsonrpc":"2.0","method":"x"}]'))).toBe(0);
    expect(jsonRpcDecoder.sniff(sent('{"type":1,"target":"x","arguments":[{"jsonrpc":"2.0"}]}\x1e'))).toBe(0);
    expect(jsonRpcDecoder.sniff(sent('hello'))).toBe(0);
  });

  it('sniffs a large frame from its start without parsing it', () => {
    const big = `{"jsonrpc":"2.0","method":"eth_subscription","params":{"result":"${'a'.repeat(100_000)}"}}`;
    expect(jsonRpcDecoder.sniff(received(big))).toBe(1);
  });

  it('has no subprotocol', () => {
    expect(jsonRpcDecoder.subprotocols).toEqual([]);
  });
});

describe('Ethereum JSON-RPC over WebSocket', () => {
  it('names the method in results and errors', () => {
    const s = jsonRpcDecoder.session();
    const call = s.decode(sent('{"jsonrpc":"2.0","method":"eth_getBalance","params":["0x407d73d8a49eeb85d32cf465507dd71d507100c1","latest"],"id":4}'));
    expect(call?.summary).toBe('call eth_getBalance #4');
    const r = s.decode(received('{"jsonrpc":"2.0","id":4,"result":"0x0234c8a3397aab58"}'));
    expect(r?.summary).toBe('result #4 eth_getBalance');
    s.decode(sent('{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x6b175474e89094c44da98b954eedeac495271d0f","data":"0x70a08231"},"latest"],"id":5}'));
    const e = s.decode(received('{"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"execution reverted"}}'));
    expect(e?.summary).toBe('error #5 eth_call: -32000 execution reverted');
    expect(e?.fields).toMatchObject({ method: 'eth_call', code: -32000 });
  });

  it('names subscription notifications after what eth_subscribe asked for', () => {
    const s = jsonRpcDecoder.session();
    s.decode(sent('{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}'));
    expect(s.decode(received('{"jsonrpc":"2.0","id":1,"result":"0x9cef478923ff08bf67fde6c64013158d"}'))?.summary).toBe('result #1 eth_subscribe');
    const n = s.decode(received('{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0x9cef478923ff08bf67fde6c64013158d","result":{"number":"0x1b4"}}}'));
    expect(n?.summary).toBe('notify eth_subscription newHeads');
    expect(n?.fields).toMatchObject({ type: 'notification', method: 'eth_subscription', subscription: '0x9cef478923ff08bf67fde6c64013158d' });
    expect(n?.body).toMatchObject({ result: { number: '0x1b4' } });
    expect(one(received('{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"0xabc","result":{}}}')).summary)
      .toBe('notify eth_subscription');
  });

  it('decodes JSON-RPC carried in binary frames as UTF-8', () => {
    const bytes = new TextEncoder().encode('{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":83}');
    const f: DecodeInput = { dir: 'sent', type: 'binary', bytes };
    expect(jsonRpcDecoder.sniff(f)).toBe(1);
    expect(one(f).summary).toBe('call eth_blockNumber #83');
  });
});

describe('JSON-RPC robustness', () => {
  it('returns null for frames that are not JSON', () => {
    const s = jsonRpcDecoder.session();
    expect(s.decode(sent('hello'))).toBeNull();
    expect(s.decode({ dir: 'sent', type: 'binary', bytes: Uint8Array.from([0x91, 0x06]) })).toBeNull();
  });

  it('flags messages without "jsonrpc": "2.0" and ill-typed errors', () => {
    expect(one(sent('{"method":"x","id":1}')).error).toMatch(/jsonrpc/);
    expect(one(received('{"jsonrpc":"2.0","error":"boom","id":1}')).error).toMatch(/numeric code/);
    expect(one(received('{"jsonrpc":"2.0","result":1}')).error).toMatch(/without an id/);
  });

  it('never throws on truncations and random input', () => {
    const texts = [
      '[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"},{"jsonrpc":"2.0","method":"notify_hello","params":[7]}]',
      '{"jsonrpc":"2.0","id":5,"error":{"code":-32000,"message":"execution reverted","data":{"x":[1,2]}}}',
    ];
    const s = jsonRpcDecoder.session();
    for (const t of texts) {
      for (let cut = 0; cut <= t.length; cut++) {
        const f = received(t.slice(0, cut));
        expect(() => jsonRpcDecoder.sniff(f)).not.toThrow();
        expect(() => s.decode(f)).not.toThrow();
      }
    }
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 200; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(rnd() * 40) }, (_, j) => (j === 0 ? 0x7b : Math.floor(rnd() * 256)));
      const f: DecodeInput = { dir: 'received', type: 'binary', bytes };
      expect(() => jsonRpcDecoder.sniff(f)).not.toThrow();
      expect(() => s.decode(f)).not.toThrow();
    }
  });
});
