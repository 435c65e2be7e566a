/** How values read in the panel. Pure, so the wording is unit-tested. */
import { hexPreview } from '../protocol/bytes';
import { PREVIEW_CHARS } from '../protocol/limits';
import type { DecodedMessage } from '../decoders/types';
import type { FrameRecord } from './model/types';

export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  // Compare the rounded value, so 1,048,575 B reads "1.0 MB", not "1024.0 KB".
  const kb = Math.round((n / 1024) * 10) / 10;
  if (kb < 1024) return `${kb.toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Messages of a batch the Message cell's tooltip lists, one a line, before it says how many more. */
export const TITLE_MESSAGES_MAX = 32;

/**
 * The Message cell's tooltip: the summary the cell cuts to its width, each message of a batch on
 * a line of its own (the summary itself is cut at SUMMARY_MAX_CHARS), then the protocol and the
 * error, if any.
 */
export function messageTitle(msg: DecodedMessage): string {
  const lines = [msg.summary];
  const list = msg.messages;
  if (list) {
    for (const m of list.slice(0, TITLE_MESSAGES_MAX)) lines.push(`· ${m.summary}`);
    const more = list.length - Math.min(list.length, TITLE_MESSAGES_MAX) + (msg.messagesNotKept ?? 0);
    if (more > 0) lines.push(`· +${more} more`);
  }
  lines.push(msg.error ? `${msg.protocol}: ${msg.error}` : msg.protocol);
  return lines.join('\n');
}

/** One line: the start of the text, or the first bytes in hex. */
export function framePreview(f: Pick<FrameRecord, 'type' | 'data'>): string {
  const d = f.data;
  if (typeof d === 'string') {
    // Collapse whitespace before cutting, so indented JSON still shows content; bound the work
    // for huge payloads by looking at a few times the preview length only.
    const line = d.slice(0, PREVIEW_CHARS * 8).replace(/\s+/g, ' ');
    return line.length > PREVIEW_CHARS || d.length > PREVIEW_CHARS * 8 ? `${line.slice(0, PREVIEW_CHARS)} …` : line;
  }
  return hexPreview(d, 24);
}

const CLOSE_CODES: Record<number, string> = {
  1000: 'Normal Closure', 1001: 'Going Away', 1002: 'Protocol Error', 1003: 'Unsupported Data',
  1005: 'No Status Received', 1006: 'Abnormal Closure', 1007: 'Invalid Frame Payload Data',
  1008: 'Policy Violation', 1009: 'Message Too Big', 1010: 'Mandatory Extension',
  1011: 'Internal Error', 1012: 'Service Restart', 1013: 'Try Again Later', 1014: 'Bad Gateway',
  1015: 'TLS Handshake',
};

export function closeCodeName(code: number): string {
  if (CLOSE_CODES[code]) return CLOSE_CODES[code];
  if (code >= 4000 && code <= 4999) return 'Application';
  if (code >= 3000 && code <= 3999) return 'Registered';
  return 'Unknown';
}

/** "+1.234 s" after a reference time (the connection's open), or "−0.012 s" before it. */
export function formatRelative(at: number, ref: number | undefined): string {
  if (ref === undefined) return '—';
  const d = (at - ref) / 1000;
  return `${d < 0 ? '−' : '+'}${Math.abs(d).toFixed(3)} s`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatRate(count: number, ms: number): string {
  if (ms <= 0) return '—';
  return `${(count / (ms / 1000)).toFixed(1)} msg/s`;
}
