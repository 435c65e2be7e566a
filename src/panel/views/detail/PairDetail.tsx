/**
 * The selected frame's place in a request/response exchange: what it answers or what answered
 * it, the latency, and buttons to jump to the other side. A batch (several calls in one frame)
 * lists each of its exchanges.
 */
import { useState } from 'preact/hooks';
import type { Exchange, FrameRecord } from '../../model/types';
import type { Store } from '../../store';
import { exchangeName, formatLatency } from '../frames/latency-cell';

/** Exchanges listed for one frame; a bigger batch says how many more it has. */
const SHOWN_MAX = 8;

function requestState(x: Exchange): string {
  if (x.replies > 0) {
    const first = `first reply after ${formatLatency(x.firstAt! - x.at)}`;
    const count = x.stream || x.replies > 1 ? ` · ${x.replies} repl${x.replies === 1 ? 'y' : 'ies'}` : '';
    const end = x.endAt !== null ? (x.stream ? ` · completed after ${formatLatency(x.endAt - x.at)}` : '') : x.stream ? ' · still open' : '';
    return `${first}${count}${end}${x.error ? ' · failed' : ''}`;
  }
  if (x.untracked) return 'no longer tracked (the pending table was full)';
  if (x.noResponse === 'timeout') return 'no response within the timeout';
  if (x.noResponse === 'closed') return 'no response: the socket closed first';
  if (x.noResponse === 'reused') return 'no response: its id was used again';
  if (x.cancelled) return 'cancelled before any reply';
  return 'waiting for a reply…';
}

function One({ x, frame, go }: { x: Exchange; frame: FrameRecord; go: (abs: number) => void }) {
  const isRequest = x.request === frame;
  return (
    <div class="pair-line">
      {isRequest ? (
        <span>Request <b>{exchangeName(x)}</b> · {requestState(x)}</span>
      ) : (
        <span>Reply to <b>{exchangeName(x)}</b> · {formatLatency(frame.at - x.at)} after the request{x.error ? ' · failed' : ''}</span>
      )}
      {!isRequest && <button type="button" onClick={() => go(x.requestAbs)}>Go to request</button>}
      {isRequest && x.firstAbs >= 0 && <button type="button" onClick={() => go(x.firstAbs)}>Go to response</button>}
      {isRequest && x.endAbs >= 0 && x.endAbs !== x.firstAbs && <button type="button" onClick={() => go(x.endAbs)}>Go to last reply</button>}
    </div>
  );
}

export function PairDetail({ store, frame }: { store: Store; frame: FrameRecord }) {
  const [problem, setProblem] = useState<string | null>(null);
  const all = frame.pair ? [frame.pair, ...(frame.pairsMore ?? [])] : [];
  if (all.length === 0 && !frame.unpaired) return null;
  const go = (abs: number) => setProblem(store.goToRow(abs));
  return (
    <div class="pair-detail" data-testid="pair-detail">
      {frame.unpaired && <div class="pair-line">A reply whose request was not seen (sent before the capture, or no longer tracked).</div>}
      {all.slice(0, SHOWN_MAX).map((x, i) => <One key={i} x={x} frame={frame} go={go} />)}
      {all.length > SHOWN_MAX && <div class="pair-line">…and {all.length - SHOWN_MAX} more exchanges in this frame.</div>}
      {problem && <div class="pair-line problem" role="alert">{problem}</div>}
    </div>
  );
}
