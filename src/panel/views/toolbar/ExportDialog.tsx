/**
 * "Export…": the format (our session JSON, or HAR for Chrome DevTools), everything or only what
 * the filter shows, and masking of secrets. The choices are remembered for next time. It opens
 * in a Popover, so it stays inside the panel at any dock size; its buttons stay in view while the
 * options scroll.
 */
import { useState } from 'preact/hooks';
import { Popover } from '../common/Popover';
import { DEFAULT_REDACT_KEYS } from '../../../session/redact';
import { exportSession, filterActive } from '../../export-session';
import { describeFilter } from '../../filter/describe-filter';
import type { Store } from '../../store';
import type { Workspace } from '../../workspace';

const parseKeys = (text: string) => [...new Set(text.split(/[\s,]+/).map((k) => k.trim()).filter(Boolean))];

export function ExportDialog({ ws, store, anchor, onDone }: { ws: Workspace; store: Store; anchor: HTMLElement | null; onDone: (message: string) => void }) {
  const opts = ws.exportOptions.value;
  const [keysText, setKeysText] = useState(opts.redactKeys.join(', '));
  const canFilter = filterActive(store);
  const onlyFiltered = opts.onlyFiltered && canFilter;
  const shown = store.view.frameMatches;
  const all = store.model.frameCount;
  const save = () => {
    const redactKeys = parseKeys(keysText);
    ws.setExportOptions({ redactKeys });
    const file = exportSession(store, { ...ws.exportOptions.value, onlyFiltered, redactKeys });
    onDone(`Saved ${file.frames} frame${file.frames === 1 ? '' : 's'} to ${file.name}${ws.exportOptions.value.redact ? ` · ${file.redactedValues} value${file.redactedValues === 1 ? '' : 's'} redacted` : ''}`);
  };
  return (
    <Popover anchor={anchor} align="end" role="dialog" label="Export" class="export-dialog" initialFocus="input[type=radio]:checked" onClose={() => onDone('')}>
      <fieldset>
        <legend>Format</legend>
        <label><input type="radio" name="export-format" checked={opts.format === 'session'} onChange={() => ws.setExportOptions({ format: 'session' })} /> Sockscope session (.json)</label>
        <label><input type="radio" name="export-format" checked={opts.format === 'har'} onChange={() => ws.setExportOptions({ format: 'har' })} /> HAR 1.2 (.har): the format Chrome DevTools' Network panel saves</label>
      </fieldset>
      <fieldset>
        <legend>Frames</legend>
        <label><input type="radio" name="export-scope" checked={!onlyFiltered} onChange={() => ws.setExportOptions({ onlyFiltered: false })} /> All {all} frames</label>
        <label class={canFilter ? '' : 'disabled'}>
          <input type="radio" name="export-scope" disabled={!canFilter} checked={onlyFiltered} onChange={() => ws.setExportOptions({ onlyFiltered: true })} />
          {canFilter ? ` Only the ${shown} frames the filter shows (${describeFilter(store.filter.value)})` : ' Only what the filter shows (no filter set)'}
        </label>
      </fieldset>
      <fieldset>
        <legend>Secrets</legend>
        <label><input type="checkbox" checked={opts.redact} onChange={(e) => ws.setExportOptions({ redact: e.currentTarget.checked })} /> Redact secrets: their values become "[redacted]" in URLs and JSON frames</label>
        {opts.redact && (
          <div class="redact-keys">
            <label>Keys <input type="text" aria-label="Keys to redact" value={keysText} onInput={(e) => setKeysText(e.currentTarget.value)} spellcheck={false} /></label>
            <button type="button" onClick={() => setKeysText(DEFAULT_REDACT_KEYS.join(', '))}>Defaults</button>
          </div>
        )}
      </fieldset>
      <div class="dialog-buttons">
        <button type="button" class="primary" onClick={save}>Save export</button>
        <button type="button" onClick={() => onDone('')}>Cancel</button>
      </div>
    </Popover>
  );
}
