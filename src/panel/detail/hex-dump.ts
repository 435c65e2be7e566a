/** Lines of the binary detail view, computed on demand so a large frame renders only what is visible. */

export interface HexDumpLine {
  offset: string;
  hex: string;
  ascii: string;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** Bytes between the wider gaps, as in xxd and hexdump -C. */
const GROUP = 8;
// ignoreBOM: a leading U+FEFF is part of the payload and must be shown, not silently eaten.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export function hexDumpLineCount(byteLength: number, bytesPerLine = 16): number {
  checkBytesPerLine(bytesPerLine);
  return Math.ceil(Math.max(0, byteLength) / bytesPerLine);
}

export function hexDumpLines(bytes: Uint8Array, startLine: number, lineCount: number, bytesPerLine = 16): HexDumpLine[] {
  const total = hexDumpLineCount(bytes.length, bytesPerLine);
  const first = Math.max(0, Math.floor(startLine));
  const end = Math.min(total, first + Math.max(0, Math.floor(lineCount)));
  const width = hexWidth(bytesPerLine);
  const lines: HexDumpLine[] = [];
  for (let line = first; line < end; line++) {
    const from = line * bytesPerLine;
    const to = Math.min(bytes.length, from + bytesPerLine);
    let hex = '';
    let ascii = '';
    for (let i = from; i < to; i++) {
      const b = bytes[i] as number;
      const col = i - from;
      if (col > 0) hex += col % GROUP === 0 ? '  ' : ' ';
      hex += HEX_PAIRS[b];
      ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
    }
    // Padding keeps the ASCII column of the last, shorter line under the others.
    lines.push({ offset: from.toString(16).padStart(8, '0'), hex: hex.padEnd(width), ascii });
  }
  return lines;
}

/** Characters of a full line's hex column: pairs, single spaces, and one more per group gap. */
function hexWidth(bytesPerLine: number): number {
  return bytesPerLine * 3 - 1 + Math.floor((bytesPerLine - 1) / GROUP);
}

function checkBytesPerLine(n: number): void {
  // Zero or a fraction would yield endless empty lines or offsets between bytes.
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bytesPerLine must be a positive integer, got ${n}`);
}

export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
