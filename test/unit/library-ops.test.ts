/** Saving, renaming, deleting and importing saved messages; and which come first for a socket. */
import { describe, expect, it } from 'vitest';
import { deleteMessage, forSocket, importMessages, renameMessage, saveMessage, type Change } from '../../src/panel/library/library-ops';
import type { SavedMessage } from '../../src/panel/library/library-format';

const msg = (name: string, urlPattern = '', text = name): SavedMessage => ({ name, mode: 'text', text, urlPattern });
const ok = (c: Change) => {
  if (!c.ok) throw new Error(c.error);
  return c;
};
const error = (c: Change) => (c.ok ? `did: ${c.said}` : c.error);

describe('saveMessage', () => {
  it('adds a new name at the end, trimmed', () => {
    const r = ok(saveMessage([msg('a')], { name: '  b ', mode: 'json', text: '{"x":1}', urlPattern: '/feed' }));
    expect(r.messages).toEqual([msg('a'), { name: 'b', mode: 'json', text: '{"x":1}', urlPattern: '/feed' }]);
    expect(r.said).toBe('Saved “b”.');
  });
  it('updates the message of the same name in place', () => {
    const r = ok(saveMessage([msg('a'), msg('b')], msg('a', 'x', 'new')));
    expect(r.messages).toEqual([msg('a', 'x', 'new'), msg('b')]);
    expect(r.said).toBe('Updated “a”.');
  });
  it('refuses a blank or long name, a broken regex, and text its format does not accept', () => {
    expect(error(saveMessage([], msg('  ')))).toBe('Not saved: a name of 1 to 200 characters is needed (this one is blank).');
    expect(error(saveMessage([], msg('n'.repeat(250))))).toBe('Not saved: a name of 1 to 200 characters is needed (this one has 250 characters).');
    expect(error(saveMessage([], msg('a', '/(/')))).toMatch(/^Not saved: the URL pattern \/\(\/ is not a valid regex \(/);
    expect(error(saveMessage([], { name: 'h', mode: 'hex', text: 'zz', urlPattern: '' }))).toBe('Not saved: Invalid hex: "z" is not a hex digit.');
  });
  it('refuses a 1,001st message and a library over 4 MB, saying the counts', () => {
    const full = Array.from({ length: 1000 }, (_, i) => msg(`m${i}`));
    expect(error(saveMessage(full, msg('one more')))).toBe('Not saved: The library would hold 1,001 messages; it holds at most 1,000.');
    expect(ok(saveMessage(full, msg('m7', '', 'changed'))).messages).toHaveLength(1000);
    const big = [msg('a', '', 'x'.repeat(3 * 1024 * 1024))];
    expect(error(saveMessage(big, msg('b', '', 'y'.repeat(1024 * 1024))))).toMatch(/^Not saved: The library would take 4\.0 MB; it holds at most 4\.0 MB\.$/);
  });
});

describe('renameMessage and deleteMessage', () => {
  it('renames, keeping the place', () => {
    const r = ok(renameMessage([msg('a'), msg('b')], 'a', ' c '));
    expect(r.messages.map((m) => m.name)).toEqual(['c', 'b']);
    expect(r.said).toBe('Renamed “a” to “c”.');
  });
  it('refuses a name another message has, or a blank one', () => {
    expect(error(renameMessage([msg('a'), msg('b')], 'a', 'b'))).toBe('Not renamed: another saved message is named “b”.');
    expect(error(renameMessage([msg('a')], 'a', ''))).toBe('Not renamed: a name of 1 to 200 characters is needed (this one is blank).');
  });
  it('renaming to the same name changes nothing and says nothing', () => {
    expect(ok(renameMessage([msg('a')], 'a', 'a '))).toEqual({ ok: true, messages: [msg('a')], said: '' });
  });
  it('deletes by name', () => {
    expect(ok(deleteMessage([msg('a'), msg('b')], 'a'))).toEqual({ ok: true, messages: [msg('b')], said: 'Deleted “a”.' });
  });
});

describe('importMessages', () => {
  const saved = [msg('a'), msg('b')];
  it('merge: new names are added, a name already saved is replaced by the file\'s', () => {
    const r = ok(importMessages(saved, [msg('b', '', 'from file'), msg('c')], 'merge', 'lib.json'));
    expect(r.messages).toEqual([msg('a'), msg('b', '', 'from file'), msg('c')]);
    expect(r.said).toBe('Imported 2 messages from lib.json: 1 new, 1 replacing saved messages of the same name.');
  });
  it('merge counts a message saved as it is apart from one it replaces', () => {
    expect(ok(importMessages(saved, [msg('a'), msg('b', 'x')], 'merge', 'f.json')).said)
      .toBe('Imported 2 messages from f.json: 0 new, 1 replacing saved messages of the same name, 1 already saved as they are.');
  });
  it('replace: the library becomes the file\'s', () => {
    const r = ok(importMessages(saved, [msg('z')], 'replace', 'lib.json'));
    expect(r.messages).toEqual([msg('z')]);
    expect(r.said).toBe('Replaced the library (2 messages) with the 1 message of lib.json.');
  });
  it('a merge over the cap imports nothing and says why', () => {
    const many = Array.from({ length: 600 }, (_, i) => msg(`f${i}`));
    const mine = Array.from({ length: 500 }, (_, i) => msg(`m${i}`));
    expect(error(importMessages(mine, many, 'merge', 'f.json'))).toBe('Nothing was imported: The library would hold 1,100 messages; it holds at most 1,000.');
    expect(ok(importMessages(mine, many, 'replace', 'f.json')).messages).toHaveLength(600);
  });
});

describe('forSocket', () => {
  const lib = [msg('zeta', '/feed'), msg('any 2'), msg('alpha', '/room=(alpha|gamma)/'), msg('other', '/chat'), msg('any 1'), msg('broken', '/(/')];
  it('lists the messages for this socket\'s URL first, then those for any socket, then the rest; each by name', () => {
    expect(forSocket(lib, 'ws://h/feed?room=alpha')).toEqual({
      mine: [msg('alpha', '/room=(alpha|gamma)/'), msg('zeta', '/feed'), msg('any 1'), msg('any 2')],
      others: [msg('broken', '/(/'), msg('other', '/chat')],
    });
  });
  it('a substring pattern is case-sensitive, as a rule\'s is', () => {
    expect(forSocket([msg('x', '/FEED')], 'ws://h/feed').mine).toEqual([]);
    expect(forSocket([msg('x', '/FEED/i')], 'ws://h/feed').mine).toEqual([msg('x', '/FEED/i')]);
  });
  it('without a socket, all in one list', () => {
    expect(forSocket(lib, null).mine.map((m) => m.name)).toEqual(['alpha', 'any 1', 'any 2', 'broken', 'other', 'zeta']);
  });
});
