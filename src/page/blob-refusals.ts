/**
 * A CSP refusal of a wrapper's blob: URL reaches the document only as a `securitypolicyviolation`
 * event, just before the worker's error. One capturing listener per document, shared by the
 * Worker and SharedWorker patches (two listeners would each stop the event before the other saw
 * it): while any wrapper is starting, such a report is Sockscope's, the page does not see it, and
 * every wrapper then starting is marked as refused by the CSP.
 */
import { natives } from './natives';
import { workerNatives as wn } from './worker-natives';

export interface Starting { refused: boolean }

export class BlobRefusals {
  private starting: Starting[] = [];

  constructor(win: Window) {
    if (!wn.violationBlockedURI) return;
    natives.apply(natives.addEventListener, win, ['securitypolicyviolation', (e: Event) => {
      if (this.starting.length === 0) return;
      try {
        const blocked = natives.apply(wn.violationBlockedURI!, e, []) as string;
        if (blocked !== 'blob' && !blocked.startsWith('blob:')) return;
      } catch { return; }
      for (let i = 0; i < this.starting.length; i++) this.starting[i]!.refused = true;
      natives.apply(natives.stopImmediatePropagation, e, []);
    }, true]);
  }

  /** A wrapper starts: its `refused` turns true if a refusal is reported before `end`. */
  begin(): Starting {
    const s: Starting = { refused: false };
    this.starting[this.starting.length] = s;
    return s;
  }

  /** The wrapper ran, or failed: reports from now on are not its. Safe to call more than once. */
  end(s: Starting): void {
    let j = 0;
    for (let i = 0; i < this.starting.length; i++) if (this.starting[i] !== s) this.starting[j++] = this.starting[i]!;
    this.starting.length = j;
  }
}
