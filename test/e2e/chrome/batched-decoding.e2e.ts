/**
 * Chromium, real DevTools panel: a frame that carries several messages. A page using the browser
 * build of mqtt.js publishes eight messages in one tick, one of them to alerts/fire; mqtt.js sends
 * them as one WebSocket frame to a real broker (aedes). A decoded-field filter must find that frame
 * by any of its packets, and only by terms that hold in one packet; the Message cell's tooltip
 * and the Decoded tab list every packet. Everything waits on what the panel shows, never on time.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel, type ChromeSession } from '../../support/chrome';
import { setPanelFilter } from '../../support/panel';
import { startAedes } from '../../support/real-library-scenarios';
import { startTestServer, type TestServer } from '../../support/test-server';

/** The batch: eight publishes, the fourth to alerts/fire at QoS 2. */
const BATCH: [string, number][] = [
  ['sensors/1/temp', 1], ['sensors/1/hum', 1], ['sensors/2/temp', 0], ['alerts/fire', 2],
  ['sensors/2/hum', 0], ['sensors/3/temp', 1], ['status/gw', 0], ['sensors/3/hum', 1],
];

let server: TestServer;
let broker: Awaited<ReturnType<typeof startAedes>>;
let chrome: ChromeSession;
let panel: Frame;

const counts = () => panel.evaluate(() => document.querySelector('[data-testid=counts]')?.textContent ?? '');

/** Puts `query` in the filter box and waits for the counts to say `shown` of all the frames. */
async function expectShown(query: string, shown: number): Promise<void> {
  await setPanelFilter(panel, query);
  await panel.waitForFunction((n: number) => new RegExp(`^${n} of \\d+ frames$`).test(document.querySelector('[data-testid=counts]')?.textContent ?? ''), { timeout: 60_000, polling: 100 }, shown)
    .catch(async (e) => { throw new Error(`"${query}": the counts read "${await counts()}", not ${shown} of all`, { cause: e }); });
}

beforeAll(async () => {
  broker = await startAedes();
  server = await startTestServer();
  server.page('/lib/mqtt.min.js', readFileSync(resolve('node_modules/mqtt/dist/mqtt.min.js'), 'utf8'));
  server.page('/batch', `<!doctype html><title>batch</title><script src="/lib/mqtt.min.js"></script><script>
    const client = mqtt.connect('ws://127.0.0.1:${broker.port}', { protocolVersion: 4, clientId: 'batch-page', reconnectPeriod: 0 });
    client.on('connect', () => {
      let acked = 0;
      // One tick: mqtt.js's browser transport sends all eight as one frame.
      for (const [topic, qos] of ${JSON.stringify(BATCH)}) {
        client.publish(topic, topic + ' reading', { qos }, () => { if (++acked === ${BATCH.length}) window.allAcknowledged = true; });
      }
    });
  </script>`);
  chrome = await launchChrome({ devtools: true });
  const { page, devtools } = await newInspectedPage(chrome.browser);
  await page.goto(`${server.origin}/batch`);
  await page.waitForFunction(() => (window as unknown as { allAcknowledged?: boolean }).allAcknowledged === true, { timeout: 60_000 });
  panel = await showPanel(devtools);
  // The connection is decoded as MQTT once the panel knows its subprotocol.
  await panel.waitForFunction(() => /: Auto: MQTT\b/.test(document.querySelector('button[aria-label^="Protocol decoder for"]')?.getAttribute('aria-label') ?? ''), { timeout: 60_000, polling: 100 });
});

afterAll(async () => {
  await chrome?.close();
  await server?.close();
  await broker?.close();
});

describe('Chromium: a frame of several MQTT packets in the panel', () => {
  test('topic:alerts/# shows the frame the page published in one tick', async () => {
    await expectShown('topic:alerts/#', 1);
    await expectShown('topic:alerts/# qos:2', 1);
    await expectShown('topic:status/gw', 1);
    await expectShown('topic:sensors/3/hum', 1);
  });

  test('every term must hold in one packet of the frame', async () => {
    await expectShown('topic:alerts/# qos:1', 0);
    await expectShown('topic:sensors/# qos:2', 0);
    await expectShown('', await panel.evaluate(() => Number(/of (\d+) frames/.exec(document.querySelector('[data-testid=counts]')?.textContent ?? '')?.[1])));
  });

  test('hovering the Message cell shows every packet, not only the protocol', async () => {
    await expectShown('topic:alerts/#', 1);
    const title = await panel.waitForFunction(() => document.querySelector('.frame-canvas .row.frame .message')?.getAttribute('title') ?? false, { timeout: 60_000, polling: 100 });
    const lines = String(await title.jsonValue()).split('\n');
    expect(lines[0]).toMatch(/^PUBLISH sensors\/1\/temp qos1 \+ PUBLISH sensors\/1\/hum qos1 \+/);
    expect(lines.slice(1)).toEqual([...BATCH.map(([t, q]) => `· PUBLISH ${t} qos${q}`), 'mqtt']);
    await setPanelFilter(panel, '');
  });

  test('the Decoded tab lists each packet with its own fields', async () => {
    await expectShown('topic:alerts/#', 1);
    await panel.waitForSelector('.frame-canvas .row.frame');
    await panel.evaluate(() => document.querySelector('.frame-canvas .row.frame')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    const table = await panel.waitForSelector('.decoded-view table[aria-label="Messages in the frame"]', { timeout: 60_000 });
    const rows = await table!.evaluate((t) => [...t.querySelectorAll('tr')].map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(rows).toHaveLength(BATCH.length);
    expect(rows[3]).toMatch(/^4 PUBLISH alerts\/fire qos2 type=PUBLISH topic=alerts\/fire qos=2 retain=false dup=false id=\d+$/);
    await setPanelFilter(panel, '');
  });
});
