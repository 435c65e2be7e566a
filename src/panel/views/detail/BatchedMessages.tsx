/** The messages of a frame that carries several, each with its own fields: what a field filter matches. */
import type { DecodedMessage } from '../../../decoders/types';

export function BatchedMessages({ msg }: { msg: DecodedMessage }) {
  const list = msg.messages;
  if (!list) return null;
  return (
    <table class="batched" aria-label="Messages in the frame">
      <tbody>
        {list.map((m, i) => (
          <tr key={i}>
            <th>{i + 1}</th>
            <td>
              {m.summary}
              <div class="batched-fields">{Object.entries(m.fields).map(([k, v]) => `${k}=${String(v)}`).join('  ')}</div>
              {m.error && <div class="decode-error">{m.error}</div>}
            </td>
          </tr>
        ))}
        {msg.messagesNotKept ? <tr><th>…</th><td>{msg.messagesNotKept} more, not kept: the filter does not see them</td></tr> : null}
      </tbody>
    </table>
  );
}
