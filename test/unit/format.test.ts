/** How values read in the panel's tables. */
import { describe, expect, it } from 'vitest';
import { closeCodeName, formatBytes, framePreview, messageTitle, TITLE_MESSAGES_MAX } from '../../src/panel/format';
import { PREVIEW_CHARS } from '../../src/protocol/limits';

describe('closeCodeName', () => {
  it.each([
    [1000, 'Normal Closure'],
    [1001, 'Going Away'],
    [1006, 'Abnormal Closure'],
    [1011, 'Internal Error'],
    [4001, 'Application'],
    [4999, 'Application'],
    [3000, 'Registered'],
    [3999, 'Registered'],
    [999, 'Unknown'],
    [1004, 'Unknown'],
    [2000, 'Unknown'],
    [5000, 'Unknown'],
  ])('names close code %i "%s"', (code, name) => {
    expect(closeCodeName(code)).toBe(name);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [1024 * 1024, '1.0 MB'],
    [5.25 * 1024 * 1024, '5.3 MB'],
    [3 * 1024 * 1024 * 1024, '3072.0 MB'],
  ])('shows %i bytes as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  // Fails against the current src: 1,048,575 bytes is 1023.999 KB, which toFixed(1) rounds to
  // "1024.0 KB" although 1024 KB is shown as "1.0 MB" one byte later.
  it('never shows "1024.0 KB" just below one megabyte', () => {
    expect(formatBytes(1024 * 1024 - 1)).not.toBe('1024.0 KB');
  });
});

describe('framePreview', () => {
  const text = (data: string) => framePreview({ type: 'text', data });
  /** A binary frame as the panel keeps it: its bytes. */
  const binary = (bytes: number[]) => framePreview({ type: 'binary', data: Uint8Array.from(bytes) });

  it('shows short text as it is', () => {
    expect(text('{"op":"ping"}')).toBe('{"op":"ping"}');
  });

  it('collapses newlines, tabs and runs of spaces into single spaces', () => {
    expect(text('{\n\t"a":  1,\r\n  "b": 2\n}')).toBe('{ "a": 1, "b": 2 }');
  });

  it(`keeps at most PREVIEW_CHARS (${PREVIEW_CHARS}) characters of long text, and marks the cut`, () => {
    const long = 'x'.repeat(PREVIEW_CHARS + 50);
    expect(text(long)).toBe(`${'x'.repeat(PREVIEW_CHARS)} …`);
    expect(text('x'.repeat(PREVIEW_CHARS))).toBe('x'.repeat(PREVIEW_CHARS));
  });

  it('collapses whitespace before cutting, so heavily indented text still shows its content', () => {
    expect(text(`a${' '.repeat(300)}b`)).toBe('a b');
  });

  it('shows binary as hex of all bytes when short', () => {
    expect(binary([0x0a, 0xff, 0x10])).toBe('0a ff 10');
  });

  it('shows 24 bytes in full without a marker', () => {
    const bytes = Array.from({ length: 24 }, (_, i) => i);
    expect(binary(bytes)).toBe(bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '));
  });

  it('shows the first 24 bytes of longer binary, then …', () => {
    const bytes = Array.from({ length: 1000 }, (_, i) => i % 256);
    const preview = binary(bytes);
    expect(preview).toBe(bytes.slice(0, 24).map((b) => b.toString(16).padStart(2, '0')).join(' ') + ' …');
  });

  it('shows an empty binary frame as nothing, without throwing', () => {
    expect(binary([])).toBe('');
  });

  it('shows the bytes of the frame only, when they are a view into a larger buffer', () => {
    const buffer = Uint8Array.from({ length: 100 }, (_, i) => i).buffer;
    expect(framePreview({ type: 'binary', data: new Uint8Array(buffer, 10, 3) })).toBe('0a 0b 0c');
  });
});

describe('messageTitle (the Message cell\'s tooltip)', () => {
  it('is the whole summary and the protocol, with the error when there is one', () => {
    const summary = `PUBLISH ${'sensors/'.repeat(30)}1 qos1`;
    expect(messageTitle({ protocol: 'mqtt', summary, fields: {}, heartbeat: false })).toBe(`${summary}\nmqtt`);
    expect(messageTitle({ protocol: 'stomp', summary: '(not STOMP)', fields: {}, heartbeat: false, error: 'not a STOMP frame' })).toBe('(not STOMP)\nstomp: not a STOMP frame');
  });

  it('lists each message of a batch on a line, up to a limit, then how many more', () => {
    const messages = Array.from({ length: TITLE_MESSAGES_MAX + 2 }, (_, i) => ({ summary: `call m${i}`, fields: {}, heartbeat: false }));
    const lines = messageTitle({ protocol: 'json-rpc', summary: 'batch[40]: …', fields: {}, heartbeat: false, messages, messagesNotKept: 3 }).split('\n');
    expect(lines[0]).toBe('batch[40]: …');
    expect(lines[1]).toBe('· call m0');
    expect(lines.at(-2)).toBe('· +5 more');
    expect(lines.at(-1)).toBe('json-rpc');
    expect(lines).toHaveLength(TITLE_MESSAGES_MAX + 3);
  });
});
