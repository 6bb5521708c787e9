import { describe, expect, it } from '@jest/globals';
import { sanitizeName, uniqueNames, withIdSuffix } from '../../src/driver/google-photos/names.js';

describe('names', () => {
  it('puts the id before the extension, or at the end without one', () => {
    expect(withIdSuffix('IMG_0001.jpg', 'AB')).toBe('IMG_0001 {AB}.jpg');
    expect(withIdSuffix('archive.tar.gz', 'AB')).toBe('archive.tar {AB}.gz');
    expect(withIdSuffix('README', 'AB')).toBe('README {AB}');
    expect(withIdSuffix('.hidden', 'AB')).toBe('.hidden {AB}');
  });

  it('gives the same names whatever the order of the listing', () => {
    const entries = [
      { id: 'X', name: 'a.jpg', fallback: 'Untitled' },
      { id: 'Y', name: 'a.jpg', fallback: 'Untitled' },
      { id: 'Z', name: 'b.jpg', fallback: 'Untitled' },
    ];
    const forward = uniqueNames(entries);
    const backward = uniqueNames([...entries].reverse()).reverse();
    expect(forward).toEqual(['a {X}.jpg', 'a {Y}.jpg', 'b.jpg']);
    expect(backward).toEqual(forward);
  });

  it('stays unique when a real filename looks like a suffixed one', () => {
    const names = uniqueNames([
      { id: 'X', name: 'a.jpg', fallback: 'Untitled' },
      { id: 'Y', name: 'a.jpg', fallback: 'Untitled' },
      { id: 'W', name: 'a {X}.jpg', fallback: 'Untitled' },
    ]);
    expect(new Set(names).size).toBe(3);
    expect(names).toEqual(['a {X}.jpg', 'a {Y}.jpg', 'a {X} {W}.jpg']);
  });

  it('sanitizes separators, control characters and dot names', () => {
    expect(sanitizeName('a/b\\c')).toBe('a／b＼c');
    expect(sanitizeName('tab\there\u0085\u2028')).toBe('tabhere');
    expect(sanitizeName('..')).toBe('．．');
    expect(sanitizeName('  ')).toBe('');
    expect(sanitizeName(undefined)).toBe('');
  });

  it('drops bidirectional controls, so a name cannot display as something else ("photo\u202Egpj.exe" is not "photoexe.jpg")', () => {
    expect(sanitizeName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    const every = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
    expect(sanitizeName(`a${every.join('')}b.jpg`)).toBe('ab.jpg');
    expect(sanitizeName('\u202E\u2066')).toBe('');
  });
});
