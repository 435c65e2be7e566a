/**
 * A connection's protocol decoder as a compact badge ("STOMP ▾", "none ▾") that opens a menu:
 * Auto (with what it found), None, or any decoder. The badge's name says the whole choice and how
 * the protocol was found, for screen readers and on hover.
 */
import { DECODERS } from '../../../decoders/registry';
import type { DecodeMode } from '../../../decoders/connection-decoding';
import type { Connection } from '../../model/types';
import { Menu, useMenuButton, type MenuEntry } from '../common/Menu';

const HOW = { subprotocol: 'from the negotiated subprotocol', frames: 'detected from the first frames', user: 'chosen by you' } as const;

export function DecoderBadge({ c, onChoose }: { c: Connection; onChoose: (mode: DecodeMode) => void }) {
  const menu = useMenuButton();
  const d = c.decoding;
  if (!d) return null;
  const auto = d.mode === 'auto' ? (d.decoder ? `Auto: ${d.decoder.label}` : 'Auto: none found') : 'Auto';
  const choice = d.mode === 'auto' ? auto : d.mode === 'off' ? 'None' : d.decoder?.label ?? d.mode;
  const how = d.decoder && d.by ? `, ${HOW[d.by]}` : '';
  const entries: MenuEntry[] = [
    { label: auto, kind: 'radio', checked: d.mode === 'auto', onSelect: () => onChoose('auto') },
    { label: 'None', kind: 'radio', checked: d.mode === 'off', onSelect: () => onChoose('off') },
    ...DECODERS.map((x, i): MenuEntry => ({ label: x.label, kind: 'radio', checked: d.mode === x.id, group: i === 0, onSelect: () => onChoose(x.id) })),
  ];
  return (
    <>
      <button type="button" class={`decoder-badge ${d.decoder ? 'decoded' : ''}`} {...menu.props}
        aria-label={`Protocol decoder for ${c.url}: ${choice}${how}`} title={`Decoder: ${choice}${how}`}
        onKeyDown={(e) => { e.stopPropagation(); menu.props.onKeyDown(e); }}>
        {d.decoder ? d.decoder.label : d.mode === 'auto' ? 'auto' : 'none'} ▾
      </button>
      {menu.open && <Menu anchor={menu.anchor.current} label={`Protocol decoder for ${c.url}`} entries={entries} onClose={menu.close} />}
    </>
  );
}
