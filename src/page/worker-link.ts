/**
 * The page hook's end of one worker's private port. The worker numbers its sockets itself; here
 * they get numbers in the document's sequence (sock-ids.ts), are labelled with their worker, and
 * go on to the relay through the page channel, as if the page had opened them. Panel commands
 * for them come back here and go on to the worker.
 */
import type { HookEvent, WorkerLabel } from '../protocol/capture-events';
import type { HookCommand } from '../protocol/commands';
import type { InterceptRule } from '../protocol/intercept-rules';
import type { HookOptions } from '../protocol/hook-options';
import type { PageToWorkerMessage } from '../protocol/messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import { binaryKind, byteSize } from './binary-kind';
import { epochNow, natives } from './natives';
import type { PageChannel } from './page-channel';
import { nextSockId } from './sock-ids';
import { SafeMap } from './safe-collections';

export const WORKER_GONE = 'The worker that opened this socket has been terminated.';

export class WorkerLink {
  /** The worker's socket number → the document's. */
  private readonly docSock = new SafeMap<number, number>();
  /** The document's socket number → the worker's. */
  readonly workerSock = new SafeMap<number, number>();
  private readonly open = new SafeMap<number, true>();
  private readonly waiting = new SafeMap<number, (error: string | null) => void>();
  private nextId = 0;
  private gone = false;

  constructor(
    private readonly port: MessagePort,
    private readonly label: WorkerLabel,
    private readonly channel: PageChannel,
    private readonly onSocket: (docSock: number, link: WorkerLink) => void,
    private readonly onStarted: () => void,
  ) {
    natives.apply(natives.addEventListener, port, ['message', (e: MessageEvent) => {
      try { this.receive(natives.apply(natives.messageData, e, []) as Record<string, unknown> | null); } catch { /* never into the page */ }
    }]);
    natives.apply(natives.portStart, port, []);
  }

  private receive(data: Record<string, unknown> | null): void {
    if (!data || data.v !== PROTOCOL_VERSION) return;
    if (data.t === 'events' && natives.isArray(data.events)) {
      const dropped = data.dropped as { frames: number; bytes: number } | undefined;
      if (dropped && dropped.frames > 0) this.channel.lost(dropped);
      const events = data.events as HookEvent[];
      for (let i = 0; i < events.length; i++) this.forward(events[i]!);
    } else if (data.t === 'started') {
      this.onStarted();
    } else if (data.t === 'result' && typeof data.id === 'number') {
      const done = this.waiting.get(data.id);
      this.waiting.delete(data.id);
      done?.(data.ok === true ? null : typeof data.error === 'string' ? data.error : 'The worker refused the command.');
    }
  }

  private forward(ev: HookEvent): void {
    if (ev.k === 'notice') { this.channel.emit(ev, 0); return; }
    let sock = this.docSock.get(ev.sock);
    if (sock === undefined) {
      sock = nextSockId();
      this.docSock.set(ev.sock, sock);
      this.workerSock.set(sock, ev.sock);
      this.onSocket(sock, this);
    }
    ev.sock = sock;
    if (ev.k === 'create') { ev.worker = this.label; this.open.set(sock, true); }
    if (ev.k === 'close') this.open.delete(sock);
    let bytes = 0;
    if (ev.k === 'frame') bytes = typeof ev.data === 'string' ? ev.data.length : binaryKind(ev.data) ? byteSize(ev.data as ArrayBuffer | Blob) : 0;
    this.channel.emit(ev, bytes);
  }

  run(cmd: HookCommand, done: (error: string | null) => void): void {
    const sock = this.workerSock.get(cmd.sock);
    if (this.gone || sock === undefined) { done(WORKER_GONE); return; }
    const id = ++this.nextId;
    this.waiting.set(id, done);
    this.post({ v: PROTOCOL_VERSION, t: 'command', id, cmd: { ...cmd, sock } });
  }

  rules(rules: InterceptRule[]): void {
    this.post({ v: PROTOCOL_VERSION, t: 'rules', rules });
  }

  options(options: HookOptions): void {
    this.post({ v: PROTOCOL_VERSION, t: 'options', options: { sendStacks: options.sendStacks } });
  }

  stop(): void {
    this.post({ v: PROTOCOL_VERSION, t: 'stop' });
  }

  /**
   * The page terminated the worker: its sockets are gone without a close event inside the
   * worker (none runs any more), so the panel is told here, and waiting commands are answered.
   */
  terminated(): void {
    if (this.gone) return;
    this.gone = true;
    const at = epochNow();
    this.open.forEach((_, sock) => this.channel.emit({ k: 'close', sock, at, code: 1006, reason: '', wasClean: false }, 0));
    this.open.clear();
    this.waiting.forEach((done) => done(WORKER_GONE));
    this.waiting.clear();
  }

  private post(msg: PageToWorkerMessage): void {
    if (this.gone) return;
    try { natives.apply(natives.postMessage, this.port, [msg]); } catch { /* a closed port: nothing to tell */ }
  }
}
