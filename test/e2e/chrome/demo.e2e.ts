import { test } from 'vitest';
import { launchChrome, newInspectedPage, showPanel } from '../../support/chrome';
const DEMO_SERVER = new URL('../../../scripts/demo-server.mjs', import.meta.url).href;
test('visibility diag', async () => {
  const { startDemoServer } = (await import(DEMO_SERVER)) as { startDemoServer(): Promise<{ url: string; close(): Promise<void> }> };
  const demo = await startDemoServer();
  for (let i = 0; i < 15; i++) {
    const chrome = await launchChrome({ devtools: true });
    const { page, devtools } = await newInspectedPage(chrome.browser);
    const vis = async () => [await devtools.evaluate(() => document.visibilityState), await page.evaluate(() => document.visibilityState)].join('/');
    const log: string[] = ['new:' + await vis()];
    await page.goto(demo.url);
    log.push('goto:' + await vis());
    const panel = await showPanel(devtools);
    log.push('panel:' + await vis() + ',' + await panel.evaluate(() => document.visibilityState));
    for (let j = 0; j < 4; j++) { await new Promise((r) => setTimeout(r, 1000)); log.push(`t${j}:` + await vis()); }
    console.log('VIS', i, log.join(' '));
    if (log.join(' ').includes('hidden')) {
      for (const t of chrome.browser.targets()) console.log('TARGET', t.type(), t.url().slice(0, 80));
      for (const p of await chrome.browser.pages()) console.log('PAGE', p.url().slice(0, 60), await p.evaluate(() => document.visibilityState).catch((e) => 'err ' + e.message));
      await devtools.bringToFront();
      await new Promise((r) => setTimeout(r, 300));
      console.log('AFTER devtools.bringToFront', await vis(), await panel.evaluate(() => document.visibilityState));
    }
    await chrome.close();
  }
  await demo.close();
}, 600_000);
