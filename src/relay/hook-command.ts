/** A panel command in the form the hook runs: binary payloads decoded to bytes here, not in the page. */
import { base64ToBytes } from '../protocol/bytes';
import type { HookCommand, SocketCommand } from '../protocol/commands';

export function toHookCommand(cmd: SocketCommand): { ok: true; cmd: HookCommand } | { ok: false; error: string } {
  if (cmd.op === 'close') return { ok: true, cmd };
  let data: string | ArrayBuffer;
  if (cmd.payload.type === 'text') data = cmd.payload.text;
  else {
    try {
      const bytes = base64ToBytes(cmd.payload.base64);
      data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } catch {
      return { ok: false, error: 'The binary payload is not valid base64.' };
    }
  }
  return cmd.op === 'send' ? { ok: true, cmd: { op: 'send', sock: cmd.sock, data, origin: cmd.origin } } : { ok: true, cmd: { op: 'inject', sock: cmd.sock, data } };
}
