import { describe, expect, it } from '@jest/globals';
import { mountFolderName } from '../../src/host/picker/keep-target.js';

describe('folder names of kept copies', () => {
  it('drop bidirectional controls, so "/trip\u202Egpj.exe" cannot display as something else on disk', () => {
    expect(mountFolderName('/trip\u202Egpj.exe')).toBe('tripgpj.exe');
    expect(mountFolderName('/a\u2066\u2069\u200e\u200f\u061cb')).toBe('ab');
    expect(mountFolderName('/photos/2024')).toBe('photos-2024');
  });
});
