/** Hex dump (offset, hex, ASCII), virtualized by line so a multi-megabyte frame opens at once. */
import { useState } from 'preact/hooks';
import { hexDumpLineCount, hexDumpLines } from '../../detail/hex-dump';

const LINE_PX = 16;
const VIEW_LINES = 40;

export function HexView({ bytes }: { bytes: Uint8Array }) {
  const [top, setTop] = useState(0);
  const total = hexDumpLineCount(bytes.length);
  const first = Math.floor(top / LINE_PX);
  const lines = hexDumpLines(bytes, first, VIEW_LINES + 2);
  return (
    <div class="hex-view" role="region" aria-label="Hex dump" tabIndex={0} onScroll={(e) => setTop(e.currentTarget.scrollTop)}>
      <div style={{ height: `${total * LINE_PX}px`, position: 'relative' }}>
        {lines.map((l, i) => (
          <div class="hex-line" key={first + i} style={{ top: `${(first + i) * LINE_PX}px` }}>
            <span class="hex-offset">{l.offset}</span><span class="hex-bytes">{l.hex}</span><span class="hex-ascii">{l.ascii}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
