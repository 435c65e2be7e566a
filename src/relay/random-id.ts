/**
 * 128 random bits as hex: a document's id, or a secret shared with the hook over the private port.
 * getRandomValues, not randomUUID: the latter exists only in secure contexts, and plain-http pages are not.
 */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
