/** The binary detail view: offsets, byte columns and the ASCII gutter. */
import { describe, expect, it } from 'vitest';
import { hexDumpLineCount, hexDumpLines, utf8Text } from '../../src/panel/detail/hex-dump';

const range = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 255);

describe('hexDumpLines', () => {
  it('formats a full line: offset, hex with a gap after 8 bytes, printable ASCII', () => {
    const bytes = new TextEncoder().encode('Hello, WebSocket');
    expect(hexDumpLines(bytes, 0, 1)).toEqual([{
      offset: '00000000',
      hex: '48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74',
      ascii: 'Hello, WebSocket',
    }]);
  });

  it('shows bytes outside 0x20–0x7e as dots in the ASCII column', () => {
    const [line] = hexDumpLines(Uint8Array.from([0x00, 0x1f, 0x20, 0x7e, 0x7f, 0xff]), 0, 1);
    expect(line?.ascii).toBe('.. ~..');
  });

  it('pads the hex of a partial last line so the columns align', () => {
    const lines = hexDumpLines(range(20), 0, 2);
    expect(lines[1]).toEqual({
      offset: '00000010',
      hex: '10 11 12 13'.padEnd(48),
      ascii: '....',
    });
    expect(lines[1]?.hex.length).toBe(lines[0]?.hex.length);
  });

  it('pads a partial line past the middle gap too', () => {
    const [line] = hexDumpLines(range(9), 0, 1);
    expect(line?.hex).toBe('00 01 02 03 04 05 06 07  08'.padEnd(48));
  });

  it('starts at the requested line and writes offsets in lowercase hex', () => {
    const lines = hexDumpLines(range(0x1000), 0xab, 2);
    expect(lines.map((l) => l.offset)).toEqual(['00000ab0', '00000ac0']);
    expect(lines[0]?.hex.startsWith('b0 b1')).toBe(true);
  });

  it('stops at the end of the data', () => {
    expect(hexDumpLines(range(40), 2, 10)).toHaveLength(1);
    expect(hexDumpLines(range(40), 3, 10)).toEqual([]);
    expect(hexDumpLines(new Uint8Array(0), 0, 10)).toEqual([]);
  });

  it('supports other line widths', () => {
    const [line] = hexDumpLines(range(8), 0, 1, 4);
    expect(line).toEqual({ offset: '00000000', hex: '00 01 02 03', ascii: '....' });
    expect(hexDumpLines(range(8), 1, 1, 4)[0]?.offset).toBe('00000004');
  });

  it('rejects a non-positive line width', () => {
    expect(() => hexDumpLines(range(8), 0, 1, 0)).toThrow(RangeError);
  });
});

describe('hexDumpLineCount', () => {
  it.each([[0, 0], [1, 1], [16, 1], [17, 2], [1024, 64]])('has %i bytes on %i lines', (n, lines) => {
    expect(hexDumpLineCount(n)).toBe(lines);
  });

  it('counts with another line width', () => {
    expect(hexDumpLineCount(9, 8)).toBe(2);
  });
});

describe('utf8Text', () => {
  it('decodes UTF-8 and replaces invalid bytes instead of failing', () => {
    expect(utf8Text(Uint8Array.from([0x68, 0xc3, 0xa9, 0xff]))).toBe('hé\ufffd');
  });
});
