/**
 * The composer's input, checked as the user types: text, JSON, hex or base64 into a payload a
 * socket can send, or a specific error. Pure, so the rules are unit-tested.
 */
import { base64ToBytes, bytesToBase64 } from '../../protocol/bytes';
import type { CommandPayload } from '../../protocol/commands';

export type ComposeMode = 'text' | 'json' | 'hex' | 'base64';

export type Built = { ok: true; payload: CommandPayload; size: number } | { ok: false; error: string };

export function buildPayload(mode: ComposeMode, input: string): Built {
  switch (mode) {
    case 'text':
      return { ok: true, payload: { type: 'text', text: input }, size: new TextEncoder().encode(input).length };
    case 'json':
      try {
        JSON.parse(input);
      } catch (e) {
        return { ok: false, error: `Invalid JSON: ${(e as Error).message}` };
      }
      return { ok: true, payload: { type: 'text', text: input }, size: new TextEncoder().encode(input).length };
    case 'hex': {
      const digits = input.replace(/0x/gi, '').replace(/[\s,:]/g, '');
      const bad = /[^0-9a-f]/i.exec(digits);
      if (bad) return { ok: false, error: `Invalid hex: "${bad[0]}" is not a hex digit` };
      if (digits.length % 2) return { ok: false, error: 'Invalid hex: an odd number of digits (each byte takes two)' };
      const bytes = new Uint8Array(digits.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
      return { ok: true, payload: { type: 'binary', base64: bytesToBase64(bytes) }, size: bytes.length };
    }
    case 'base64': {
      const clean = input.replace(/\s/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
        return { ok: false, error: 'Invalid base64: use A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters' };
      }
      try {
        return { ok: true, payload: { type: 'binary', base64: clean }, size: base64ToBytes(clean).length };
      } catch {
        return { ok: false, error: 'Invalid base64' };
      }
    }
  }
}

/** The composer's starting point for "Edit and resend": JSON stays JSON, binary opens as hex. */
export function composeFromFrame(f: { data: string | Uint8Array }): { mode: ComposeMode; text: string } {
  if (typeof f.data !== 'string') {
    return { mode: 'hex', text: Array.from(f.data, (b) => b.toString(16).padStart(2, '0')).join(' ') };
  }
  try {
    JSON.parse(f.data);
    return { mode: 'json', text: f.data };
  } catch {
    return { mode: 'text', text: f.data };
  }
}

/** Pretty-prints valid JSON; leaves anything else as it is. */
export function prettyJson(input: string): string {
  try {
    return JSON.stringify(JSON.parse(input), null, 2);
  } catch {
    return input;
  }
}
