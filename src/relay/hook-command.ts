/** A panel command in the form the hook runs: binary payloads decoded to bytes here, not in the page. */
import { base64ToBytes } from '../protocol/bytes';
import type { HookCommand, SocketCommand } from '../protocol/commands';

export function toHookCommand(cmd: SocketCommand): { ok: true; cmd: HookCommand } | { ok: false; error: string } {
  if (cmd.op === 'close') return { ok: true, cmd };
  if (cmd.op === 'release' && !cmd.payload) return { ok: true, cmd: { op: 'release', sock: cmd.sock, holdId: cmd.holdId, forward: cmd.forward } };
  const payload = cmd.payload!;
  let data: string | ArrayBuffer;
  if (payload.type === 'text') data = payload.text;
  else {
    try {
      const bytes = base64ToBytes(payload.base64);
      data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } catch {
      return { ok: false, error: 'The binary payload is not valid base64.' };
    }
  }
  if (cmd.op === 'release') return { ok: true, cmd: { op: 'release', sock: cmd.sock, holdId: cmd.holdId, forward: cmd.forward, data } };
  return cmd.op === 'send' ? { ok: true, cmd: { op: 'send', sock: cmd.sock, data, origin: cmd.origin } } : { ok: true, cmd: { op: 'inject', sock: cmd.sock, data, ...(cmd.origin && { origin: cmd.origin }) } };
}
