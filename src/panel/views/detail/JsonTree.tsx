/** A collapsible JSON tree; children render only when opened, so huge documents stay cheap. */
import { useState } from 'preact/hooks';
import { copyText } from '../../clipboard';
import { copyValueText, jsonChildren, jsonPath, jsonSummary } from '../../detail/json-view-model';

const CHILDREN_PAGE = 500;

function Node({ name, value, path, depth }: { name: string; value: unknown; path: (string | number)[]; depth: number }) {
  const container = typeof value === 'object' && value !== null;
  const [open, setOpen] = useState(depth < 1);
  const [shown, setShown] = useState(CHILDREN_PAGE);
  const [copyError, setCopyError] = useState('');
  const copy = (text: string) => void copyText(text).then(() => setCopyError(''), (e: Error) => setCopyError(e.message));
  const children = container && open ? jsonChildren(value) : [];
  return (
    <li role="treeitem" aria-expanded={container ? open : undefined}>
      <div class="json-line">
        {container
          ? <button type="button" class="twisty" aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
          : <span class="twisty" />}
        <span class="json-key">{name}</span>
        <span class={`json-value ${value === null ? 'null' : typeof value}`}>{jsonSummary(value)}</span>
        <span class="json-actions">
          <button type="button" aria-label={`Copy value of ${jsonPath(path)}`} onClick={() => copy(copyValueText(value))}>Copy value</button>
          <button type="button" aria-label={`Copy path ${jsonPath(path)}`} onClick={() => copy(jsonPath(path))}>Copy path</button>
          {copyError && <span class="error" role="alert">{copyError}</span>}
        </span>
      </div>
      {children.length > 0 && (
        <ul role="group">
          {children.slice(0, shown).map((c) => <Node key={String(c.key)} name={String(c.key)} value={c.value} path={[...path, c.key]} depth={depth + 1} />)}
          {children.length > shown && (
            <li><button type="button" onClick={() => setShown(shown + CHILDREN_PAGE)}>Show {Math.min(CHILDREN_PAGE, children.length - shown)} more of {children.length - shown}</button></li>
          )}
        </ul>
      )}
    </li>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return <ul class="json-tree" role="tree" aria-label="JSON"><Node name="$" value={value} path={[]} depth={0} /></ul>;
}
