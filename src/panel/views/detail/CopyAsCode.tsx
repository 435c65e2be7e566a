/**
 * "Copy as": a frame as a JavaScript snippet that opens its socket and sends its payload, or as a
 * websocat command line. A whole connection's snippet is in the connection list.
 */
import { useState } from 'preact/hooks';
import { jsSnippet, websocatCommand } from '../../../session/copy-as-code';
import { toSessionConnection, toSessionFrame } from '../../../session/encode-session';
import { copyText } from '../../clipboard';
import type { FrameRecord } from '../../model/types';

export function CopyAsCode({ frame }: { frame: FrameRecord }) {
  const [copied, setCopied] = useState('');
  const conn = toSessionConnection(frame.conn);
  // The snippet sends what the frame carried, whichever way it went.
  const sent = { ...toSessionFrame(frame), direction: 'sent' as const };
  const copy = (what: string, text: string) => void copyText(text).then(() => setCopied(`Copied as ${what}`), (e: Error) => setCopied(e.message));
  return (
    <>
      <button type="button" title="A JavaScript snippet that opens this socket's URL with its protocols and sends this payload"
        onClick={() => copy('JavaScript', jsSnippet(conn, [sent]))}>Copy as JS</button>
      <button type="button" title="A websocat command line that sends this payload to the socket's URL"
        onClick={() => copy('websocat', websocatCommand(conn, sent))}>Copy as websocat</button>
      {copied && <span class="copied" role="status">{copied}</span>}
    </>
  );
}
