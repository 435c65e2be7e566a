/**
 * What is really on screen in the panel, measured as a user would see it: an element's box cut by
 * the viewport and by every ancestor that clips it, and hit-tested at its centre with
 * elementFromPoint (so a covered element does not count). Everything here runs in the panel
 * frame, as functions (the extension's CSP forbids eval), so each is self-contained.
 */
import type { ElementHandle, Frame } from 'puppeteer-core';

export interface ScreenReport {
  /** Frame rows fully in view and not covered. */
  rows: number;
  /** The Data column's visible width in a row in view (px). */
  dataPx: number;
  /** Interactive controls looked at. */
  controls: number;
  /** Controls that overlap another, or are cut off with no scrolling container to bring them into view. */
  problems: string[];
}

/**
 * Rows, Data width and every interactive control of the panel (buttons, inputs, selects,
 * separators, focusable elements): none may overlap another (one inside the other is fine), and
 * none may be cut off unless a scrolling container around it can bring it into view.
 */
export function measureScreen(panel: Frame): Promise<ScreenReport> {
  return panel.evaluate(() => {
    type Box = { left: number; top: number; right: number; bottom: number };
    const clipping = (el: Element) => {
      const out: Element[] = [];
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX !== 'visible' || s.overflowY !== 'visible') out.push(a);
      }
      return out;
    };
    const cut = (b: Box, c: Box): Box => ({ left: Math.max(b.left, c.left), top: Math.max(b.top, c.top), right: Math.min(b.right, c.right), bottom: Math.min(b.bottom, c.bottom) });
    const visibleBox = (el: Element): Box => {
      let b: Box = el.getBoundingClientRect();
      b = cut(b, { left: 0, top: 0, right: innerWidth, bottom: innerHeight });
      for (const a of clipping(el)) b = cut(b, a.getBoundingClientRect());
      return b;
    };
    const area = (b: Box) => Math.max(0, b.right - b.left) * Math.max(0, b.bottom - b.top);
    const hits = (el: Element, b: Box) => {
      const at = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2);
      return at !== null && (at === el || el.contains(at));
    };
    const name = (el: Element) => {
      const label = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.trim().slice(0, 30) ?? '';
      return `<${el.localName}${el.getAttribute('role') ? ` role=${el.getAttribute('role')}` : ''}${el.className && typeof el.className === 'string' ? ` .${el.className.trim().replace(/\s+/g, '.')}` : ''}> "${label}"`;
    };
    const scrollsToward = (el: Element) => clipping(el).some((a) => {
      const s = getComputedStyle(a);
      const scrolls = (o: string) => o === 'auto' || o === 'scroll';
      return (scrolls(s.overflowY) && a.scrollHeight > a.clientHeight) || (scrolls(s.overflowX) && a.scrollWidth > a.clientWidth);
    });

    let rows = 0;
    let dataPx = 0;
    for (const r of document.querySelectorAll('.frame-canvas .row')) {
      const full = r.getBoundingClientRect();
      const b = visibleBox(r);
      if (b.bottom - b.top < full.height - 0.5 || b.right - b.left < 1 || !hits(r, b)) continue;
      rows++;
      const cell = r.querySelector('.preview');
      if (cell) dataPx = Math.max(dataPx, Math.round(visibleBox(cell).right - visibleBox(cell).left));
    }

    const selector = 'button, input:not([type=hidden]), select, textarea, [role=separator], [tabindex]:not([tabindex="-1"]), [role=tab]';
    // Not drawn (display: none, visibility: hidden, like the JSON tree's hover-only buttons) is not on screen.
    const controls = [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible');
    const problems: string[] = [];
    const shown: { el: Element; b: Box }[] = [];
    for (const el of controls) {
      const full = el.getBoundingClientRect();
      const b = visibleBox(el);
      const whole = area(b) >= area(full) - 1;
      if (whole && hits(el, b)) { shown.push({ el, b }); continue; }
      if (scrollsToward(el)) continue;
      problems.push(`${name(el)} is ${whole ? `covered by ${name(document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2) ?? document.body)}` : `cut off (${Math.round(full.left)},${Math.round(full.top)} ${Math.round(full.width)}×${Math.round(full.height)}, ${Math.round(area(b))} of ${Math.round(area(full))} px² in view)`}`);
    }
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const [p, q] = [shown[i]!, shown[j]!];
        if (p.el.contains(q.el) || q.el.contains(p.el)) continue;
        const o = cut(p.b, q.b);
        // Segmented buttons share their 1 px border: that is not one covering the other.
        if (o.right - o.left > 1 && o.bottom - o.top > 1) problems.push(`${name(p.el)} overlaps ${name(q.el)}`);
      }
    }
    return { rows, dataPx, controls: controls.length, problems };
  });
}

/**
 * Scrolls `el` into view within its scrolling containers (as a user would scroll the pane), then
 * says whether it is wholly in view and the topmost thing at its centre; else why not.
 */
export function bringIntoView(el: ElementHandle<Element>): Promise<string | null> {
  return el.evaluate((e) => {
    e.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    let b = e.getBoundingClientRect();
    const full = { w: b.width, h: b.height };
    let box = { left: Math.max(0, b.left), top: Math.max(0, b.top), right: Math.min(innerWidth, b.right), bottom: Math.min(innerHeight, b.bottom) };
    for (let a = e.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      b = a.getBoundingClientRect();
      box = { left: Math.max(box.left, b.left), top: Math.max(box.top, b.top), right: Math.min(box.right, b.right), bottom: Math.min(box.bottom, b.bottom) };
    }
    const w = box.right - box.left, h = box.bottom - box.top;
    const label = e.getAttribute('aria-label') ?? (e as HTMLElement).innerText;
    if (w < full.w - 0.5 || h < full.h - 0.5) return `"${label}" is cut off: ${Math.round(w)}×${Math.round(h)} of ${Math.round(full.w)}×${Math.round(full.h)} in view`;
    const at = document.elementFromPoint((box.left + box.right) / 2, (box.top + box.bottom) / 2);
    if (!at || !(at === e || e.contains(at))) return `"${label}" is covered by <${at?.localName}.${at?.className}>`;
    return null;
  });
}
