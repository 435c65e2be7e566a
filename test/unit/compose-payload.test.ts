/** What the composer accepts, and the errors it gives for what it does not. */
import { describe, expect, it } from 'vitest';
import { buildPayload, composeFromFrame, prettyJson } from '../../src/panel/compose/compose-payload';

describe('buildPayload', () => {
  it('text is sent as typed, sized in UTF-8 bytes', () => {
    expect(buildPayload('text', 'héllo')).toEqual({ ok: true, payload: { type: 'text', text: 'héllo' }, size: 6 });
  });
  it('JSON must parse, and is sent as typed', () => {
    expect(buildPayload('json', '{"a": 1}')).toEqual({ ok: true, payload: { type: 'text', text: '{"a": 1}' }, size: 8 });
    const bad = buildPayload('json', '{"a": }');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Invalid JSON: /);
  });
  it('hex accepts spaces, colons, commas and 0x prefixes', () => {
    expect(buildPayload('hex', '0xde ad:BE,ef')).toEqual({ ok: true, payload: { type: 'binary', base64: '3q2+7w==' }, size: 4 });
    expect(buildPayload('hex', '')).toEqual({ ok: true, payload: { type: 'binary', base64: '' }, size: 0 });
  });
  it('hex names the bad digit, and refuses an odd count', () => {
    expect(buildPayload('hex', 'de zz')).toEqual({ ok: false, error: 'Invalid hex: "z" is not a hex digit' });
    expect(buildPayload('hex', 'abc')).toEqual({ ok: false, error: 'Invalid hex: an odd number of digits (each byte takes two)' });
  });
  it('base64 must be well formed and padded', () => {
    expect(buildPayload('base64', '3q2+ 7w==')).toEqual({ ok: true, payload: { type: 'binary', base64: '3q2+7w==' }, size: 4 });
    expect(buildPayload('base64', '3q2+7w=').ok).toBe(false);
    expect(buildPayload('base64', 'not*base64!').ok).toBe(false);
  });
});

describe('composeFromFrame (Edit and resend)', () => {
  it('JSON text opens in JSON mode, other text in text mode, binary (the bytes the panel keeps) as spaced hex', () => {
    expect(composeFromFrame({ data: '{"x":1}' })).toEqual({ mode: 'json', text: '{"x":1}' });
    expect(composeFromFrame({ data: 'hello' })).toEqual({ mode: 'text', text: 'hello' });
    expect(composeFromFrame({ data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) })).toEqual({ mode: 'hex', text: 'de ad be ef' });
    expect(composeFromFrame({ data: new Uint8Array(0) })).toEqual({ mode: 'hex', text: '' });
  });
  it('text that happens to look like base64 is still text', () => {
    expect(composeFromFrame({ data: '3q2+7w==' })).toEqual({ mode: 'text', text: '3q2+7w==' });
  });
  it('round-trips: what opens for editing sends the same bytes unchanged', () => {
    const { mode, text } = composeFromFrame({ data: Uint8Array.of(0x00, 0x01, 0x02, 0xff) });
    expect(buildPayload(mode, text)).toMatchObject({ ok: true, payload: { type: 'binary', base64: 'AAEC/w==' }, size: 4 });
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const all = composeFromFrame({ data: every });
    expect(buildPayload(all.mode, all.text)).toMatchObject({ ok: true, payload: { type: 'binary', base64: Buffer.from(every).toString('base64') }, size: 256 });
  });
});

it('prettyJson indents valid JSON and leaves other text alone', () => {
  expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
  expect(prettyJson('{oops')).toBe('{oops');
});
