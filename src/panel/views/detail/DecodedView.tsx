/** The "Decoded" tab: what the connection's protocol decoder made of the frame. */
import { useState } from 'preact/hooks';
import type { DecodedMessage } from '../../../decoders/types';
import { TOO_LARGE } from '../../../decoders/registry';
import type { FrameRecord } from '../../model/types';
import { decodeInput } from '../../model/capture-model';
import { BatchedMessages } from './BatchedMessages';
import { JsonTree } from './JsonTree';

/** A frame too large for the list is decoded here, alone, when asked. */
const decodeLarge = (frame: FrameRecord): DecodedMessage | null => frame.conn.decoding?.decodeAlone(decodeInput(frame, true)) ?? null;

export function DecodedView({ frame }: { frame: FrameRecord }) {
  const [full, setFull] = useState<DecodedMessage | null>(null);
  const msg = full ?? frame.msg;
  if (!msg) return <p class="empty">No decoder understood this frame.</p>;
  const tooLarge = !full && msg.error === TOO_LARGE;
  const fields = Object.entries(msg.fields);
  return (
    <div class="decoded-view">
      <div class="summary">{msg.summary}</div>
      <table aria-label="Decoded fields">
        <tbody>
          <tr><th>protocol</th><td>{frame.conn.decoding?.decoder?.label ?? msg.protocol}</td></tr>
          {fields.map(([k, v]) => <tr key={k}><th>{k}</th><td>{String(v)}</td></tr>)}
          {msg.heartbeat && <tr><th>heartbeat</th><td>yes: "Hide heartbeats" hides it</td></tr>}
          {msg.partial && <tr><th>partial</th><td>completed by a later frame</td></tr>}
        </tbody>
      </table>
      <BatchedMessages msg={msg} />
      {msg.error && <p class="decode-error" role="status">{msg.error}</p>}
      {tooLarge && <button type="button" onClick={() => setFull(decodeLarge(frame))}>Decode it</button>}
      {msg.body !== undefined && <JsonTree value={msg.body} />}
    </div>
  );
}
