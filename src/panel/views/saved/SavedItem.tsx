/**
 * One saved message in the composer's list: its name (renamed in place), its format and URL
 * pattern, Send and Inject on the chosen socket, Load into the editor, and a menu to rename or
 * delete it.
 */
import { useRef, useState } from 'preact/hooks';
import type { SavedMessage } from '../../library/library-format';
import { Menu, useMenuButton } from '../common/Menu';

export interface SavedItemActions {
  /** Send to the server, or inject as incoming; null when there is no socket to do it on. */
  act: ((m: SavedMessage, op: 'send' | 'inject') => void) | null;
  load(m: SavedMessage): void;
  rename(m: SavedMessage, to: string): boolean;
  remove(m: SavedMessage): void;
}

const PREVIEW_CHARS = 200;

export function SavedItem({ m, actions }: { m: SavedMessage; actions: SavedItemActions }) {
  const [renaming, setRenaming] = useState(false);
  // Set once Enter or Escape ended the rename: the input's blur as it goes must not rename again.
  const ended = useRef(false);
  const menu = useMenuButton();
  const preview = m.text.length > PREVIEW_CHARS ? `${m.text.slice(0, PREVIEW_CHARS)}…` : m.text;
  const start = () => { ended.current = false; setRenaming(true); };
  const end = () => { ended.current = true; setRenaming(false); };
  const commit = (to: string) => { if (!ended.current && actions.rename(m, to)) end(); };
  return (
    <li class="saved-item" data-name={m.name}>
      {renaming
        ? <input type="text" class="saved-rename" aria-label={`New name for ${m.name}`} value={m.name} ref={(el) => el?.focus()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') { e.preventDefault(); commit(e.currentTarget.value); }
              if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); end(); }
            }}
            onBlur={(e) => commit(e.currentTarget.value)} />
        : <span class="saved-name" title={`${m.name}\n${m.mode}, ${m.urlPattern ? `for sockets matching ${m.urlPattern}` : 'for any socket'}\n\n${preview}`}>{m.name}</span>}
      <span class="saved-meta">{m.mode}{m.urlPattern ? ` · ${m.urlPattern}` : ''}</span>
      <span class="saved-buttons">
        <button type="button" aria-label={`Send ${m.name}`} title="Send to the server on the chosen socket" disabled={!actions.act}
          onClick={() => actions.act?.(m, 'send')}>Send</button>
        <button type="button" aria-label={`Inject ${m.name}`} title="Deliver to the page as if the server had sent it" disabled={!actions.act}
          onClick={() => actions.act?.(m, 'inject')}>Inject</button>
        <button type="button" aria-label={`Load ${m.name}`} title="Load into the editor" onClick={() => actions.load(m)}>Load</button>
        <button type="button" class="more" aria-label={`More for ${m.name}`} {...menu.props}>⋮</button>
      </span>
      {menu.open && (
        <Menu anchor={menu.anchor.current} align="end" label={`Saved message ${m.name}`} onClose={menu.close} entries={[
          { label: 'Rename…', onSelect: start },
          { label: 'Delete', onSelect: () => actions.remove(m) },
        ]} />
      )}
    </li>
  );
}
