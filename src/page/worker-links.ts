/**
 * The document's links to its workers' hooks, dedicated and shared alike: which link answers for
 * each socket number, and the tab's intercept rules for every live link. One per document, given
 * to both the Worker and the SharedWorker patch, so the page hook routes a command with one lookup.
 */
import type { WorkerLabel } from '../protocol/capture-events';
import type { HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import { DEFAULT_HOOK_OPTIONS, type HookOptions } from '../protocol/hook-options';
import { epochNow } from './natives';
import type { PageChannel } from './page-channel';
import { SafeMap } from './safe-collections';
import { WorkerLink } from './worker-link';

export class WorkerLinks {
  private readonly bySock = new SafeMap<number, WorkerLink>();
  private links: WorkerLink[] = [];
  private rules: InterceptRule[] = [];
  private options: HookOptions = DEFAULT_HOOK_OPTIONS;

  constructor(private readonly channel: PageChannel) {
    channel.onRules((r) => {
      this.rules = r;
      for (let i = 0; i < this.links.length; i++) channel.live ? this.links[i]!.rules(r) : this.links[i]!.stop();
    });
    channel.onOptions((o) => {
      this.options = o;
      for (let i = 0; i < this.links.length; i++) this.links[i]!.options(o);
    });
  }

  /** The page hook's end of a worker hook's private port, given the tab's rules now and later. */
  open(port: MessagePort, label: WorkerLabel, onStarted: () => void = () => { /* nothing waits */ }): WorkerLink {
    const link = new WorkerLink(port, label, this.channel, (sock, l) => this.bySock.set(sock, l), onStarted);
    this.links[this.links.length] = link;
    link.rules(this.rules);
    if (this.options.sendStacks) link.options(this.options);
    return link;
  }

  /** A worker that is gone needs no rules any more; its link stays reachable from its sockets, to answer commands. */
  forget(link: WorkerLink): void {
    link.terminated();
    // By index, not splice: a page may have replaced Array.prototype's methods.
    let j = 0;
    for (let i = 0; i < this.links.length; i++) if (this.links[i] !== link) this.links[j++] = this.links[i]!;
    this.links.length = j;
  }

  owns(sock: number): boolean { return this.bySock.has(sock); }

  run(cmd: HookCommand, done: (error: string | null) => void): void { this.bySock.get(cmd.sock)!.run(cmd, done); }

  /** The panel lists a worker that is not captured, with the reason: never a silent gap. */
  notice(label: WorkerLabel, reason: string): void {
    this.channel.emit({ k: 'notice', sock: 0, at: epochNow(), worker: label, reason }, 0);
  }
}
