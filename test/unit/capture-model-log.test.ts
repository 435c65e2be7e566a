/**
 * The table's log: lifecycle rows inline, what a navigation does with and without "Preserve log",
 * Clear, and Record off.
 */
import { describe, expect, it } from 'vitest';
import { CaptureModel } from '../../src/panel/model/capture-model';
import type { Row } from '../../src/panel/model/types';
import { batch, closed, closingBy, created, doc, errored, opened, receivedText, sentText } from './fixtures/wire-events';

const newModel = () => new CaptureModel({ maxFrames: 1_000_000, maxBytes: 1_000_000_000 });
const describeRow = (r: Row) => (r.kind === 'frame' ? `${r.dir} ${r.data}` : r.kind === 'lifecycle' ? r.text : `navigated ${r.url}`);
const log = (m: CaptureModel) => [...m.rows].map(describeRow);

describe('the log shows lifecycle events inline, in capture order', () => {
  it('connecting, open with protocol, frames, close with the code name and who closed', () => {
    const m = newModel();
    m.ingest(batch([
      created(1, 1, 'wss://a/ws', ['v1']), opened(2, 1, 'v1', 'permessage-deflate'), sentText(3, 1, 'hi'),
      receivedText(4, 1, 'yo'), errored(5, 1), closingBy(6, 1, 'page'), closed(7, 1, 1000, 'bye'),
    ]));
    expect(log(m)).toEqual([
      'connecting wss://a/ws (v1)', 'open protocol v1 · permessage-deflate', 'sent hi', 'received yo', 'error',
      'close 1000 Normal Closure: bye (by page)',
    ]);
    expect(m.frameCount).toBe(2);
  });
});

describe('navigation', () => {
  const firstPage = () => batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'old')], { doc: doc('page-1') });
  const secondPage = batch([created(1, 1, 'wss://b/'), sentText(2, 1, 'new')], { doc: doc('page-2', { url: 'https://example.test/next' }) });

  it('without Preserve log, a new top document starts a fresh log, as in DevTools', () => {
    const m = newModel();
    m.ingest(firstPage());
    m.ingest(secondPage);
    expect(log(m)).toEqual(['connecting wss://b/', 'sent new']);
    expect(m.connections.map((c) => c.url)).toEqual(['wss://b/']);
    expect(m.page.url).toBe('https://example.test/next');
  });

  it('without Preserve log, late batches from the page navigated away from are ignored', () => {
    const m = newModel();
    m.ingest(firstPage());
    m.ingest(secondPage);
    m.ingest(batch([sentText(3, 1, 'late from the old page')], { doc: doc('page-1') }));
    expect(log(m)).toEqual(['connecting wss://b/', 'sent new']);
  });

  it('without Preserve log, a page back from the back-forward cache (its relay replays a snapshot) is live again', () => {
    const m = newModel();
    m.ingest(firstPage());
    m.ingest(secondPage);
    m.ingest(batch([created(1, 1, 'wss://a/'), sentText(2, 1, 'old'), sentText(3, 1, 'after the restore')], { doc: doc('page-1'), snapshot: true }));
    expect(log(m)).toEqual(['connecting wss://a/', 'sent old', 'sent after the restore']);
    expect(m.page.url).toBe(doc('page-1').url);
    // And now it is page 2's late batches that are ignored.
    m.ingest(batch([sentText(3, 1, 'late from page 2')], { doc: doc('page-2', { url: 'https://example.test/next' }) }));
    expect(log(m)).toEqual(['connecting wss://a/', 'sent old', 'sent after the restore']);
  });

  it('with Preserve log, everything stays and a separator row marks the navigation', () => {
    const m = newModel();
    m.preserveLog = true;
    m.ingest(firstPage());
    m.ingest(secondPage);
    expect(log(m)).toEqual([
      'connecting wss://a/', 'sent old', 'close 1001 Going Away (by page): the page was unloaded',
      'navigated https://example.test/next', 'connecting wss://b/', 'sent new',
    ]);
    expect(m.connections).toHaveLength(2);
  });

  it('with Preserve log, the old page\'s open sockets end as the browser ended them (1001), and Clear then forgets them', () => {
    const m = newModel();
    m.preserveLog = true;
    m.ingest(firstPage());
    m.ingest(secondPage);
    const [old, now] = m.connections;
    expect(old!.close).toMatchObject({ code: 1001, initiator: 'page' });
    expect(old!.states.at(-1)?.state).toBe('CLOSED');
    expect(now!.close).toBeNull();
    m.clear();
    expect(m.connections.map((c) => c.url)).toEqual(['wss://b/']);
  });

  it('an iframe document is not a navigation', () => {
    const m = newModel();
    m.ingest(firstPage());
    m.ingest(batch([created(1, 1, 'wss://frame/')], { doc: doc('iframe-1', { top: false }) }));
    expect(m.connections).toHaveLength(2);
  });
});

describe('Clear and Record', () => {
  it('Clear empties the log and forgets closed connections; open ones stay and keep logging', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://open/'), created(2, 2, 'wss://done/'), sentText(3, 1, 'a'), closed(4, 2, 1000)]));
    m.clear();
    expect(log(m)).toEqual([]);
    expect(m.frameCount).toBe(0);
    expect(m.connections.map((c) => c.url)).toEqual(['wss://open/']);
    m.ingest(batch([sentText(5, 1, 'after clear')]));
    expect(log(m)).toEqual(['sent after clear']);
  });

  it('Clear restarts the dropped count', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/')], { lost: { frames: 4, bytes: 40 } }));
    expect(m.dropped()).toEqual({ frames: 4, bytes: 40 });
    m.clear();
    expect(m.dropped()).toEqual({ frames: 0, bytes: 0 });
    m.ingest(batch([], { lost: { frames: 5, bytes: 50 } }));
    expect(m.dropped()).toEqual({ frames: 1, bytes: 10 });
  });

  it('with recording off, frames are not kept but counted, connection state still follows, and nothing is "dropped"', () => {
    const m = newModel();
    m.ingest(batch([created(1, 1, 'wss://a/')]));
    m.recording = false;
    m.ingest(batch([opened(2, 1), sentText(3, 1, 'unseen'), sentText(4, 1, 'unseen too')]));
    expect(log(m)).toEqual(['connecting wss://a/']);
    expect(m.notRecorded).toEqual({ frames: 2, bytes: 'unseenunseen too'.length });
    expect(m.connections[0]!.states.map((s) => s.state)).toEqual(['CONNECTING', 'OPEN']);
    expect(m.dropped().frames).toBe(0);
    m.recording = true;
    m.ingest(batch([sentText(5, 1, 'seen')]));
    expect(log(m)).toEqual(['connecting wss://a/', 'sent seen']);
  });
});
