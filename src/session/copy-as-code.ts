/** "Copy as code": a captured connection as a JavaScript snippet, or one frame as a websocat command. */
import type { SessionConnection, SessionFrame } from './session-format';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function binaryExpression(b64: string): string {
  const literal = BASE64.test(b64) ? `'${b64}'` : JSON.stringify(b64);
  return `Uint8Array.from(atob(${literal}), (c) => c.charCodeAt(0))`;
}

/**
 * A self-contained snippet for the DevTools console: opens the same URL with the same requested
 * protocols, sends the connection's sent frames in order once open, and logs what comes back.
 */
export function jsSnippet(conn: SessionConnection, frames: readonly SessionFrame[]): string {
  const protocols = conn.requestedProtocols.length > 0 ? `, ${JSON.stringify(conn.requestedProtocols)}` : '';
  const sends = frames
    .filter((f) => f.connectionId === conn.id && f.direction === 'sent')
    .map((f) => `  ws.send(${f.type === 'text' ? JSON.stringify(f.text ?? '') : binaryExpression(f.base64 ?? '')});`);
  return [
    `const ws = new WebSocket(${JSON.stringify(conn.url)}${protocols});`,
    `ws.binaryType = 'arraybuffer';`,
    `ws.addEventListener('open', () => {`,
    ...sends,
    `});`,
    `ws.addEventListener('message', (e) => console.log('received', e.data));`,
    `ws.addEventListener('close', (e) => console.log('closed', e.code, e.reason));`,
    '',
  ].join('\n');
}

/** POSIX sh single-quoting: everything literal; an embedded ' becomes '\''. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One frame sent with websocat. The negotiated protocol is asked for (or, when none was agreed,
 * the ones the page asked for). Note websocat sends text line by line: a text with newlines goes
 * out as its first line only (-1 = one message).
 */
export function websocatCommand(conn: SessionConnection, frame: SessionFrame): string {
  const proto = conn.protocol || conn.requestedProtocols.join(', ');
  const protocolArg = proto ? ` --protocol ${shQuote(proto)}` : '';
  if (frame.type === 'text') {
    return `printf '%s\\n' ${shQuote(frame.text ?? '')} | websocat -n1${protocolArg} ${shQuote(conn.url)}`;
  }
  return `printf '%s' ${shQuote(frame.base64 ?? '')} | base64 -d | websocat -n1 --binary${protocolArg} ${shQuote(conn.url)}`;
}
