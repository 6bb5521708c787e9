/**
 * The access helpers other routes (and WebDAV) build on: AList's bit names, and base paths joined and taken off
 * again the way AList's user.JoinPath does, with ".." refused.
 */
import { describe, expect, it } from '@jest/globals';
import { hasPermission, isWithinBasePath, joinBasePath, pathForUser, Role } from '../../src/host/auth/access.js';
import { ApiError } from '../../src/host/routes/api-error.js';

const albums = { base_path: '/demo/Albums' };

describe('hasPermission', () => {
  it('reads AList\'s bits by name; an admin has them all', () => {
    const user = { role: Role.GENERAL, permission: (1 << 3) | (1 << 8) };
    expect(hasPermission(user, 'write')).toBe(true);
    expect(hasPermission(user, 'webdav_read')).toBe(true);
    expect(hasPermission(user, 'webdav_manage')).toBe(false);
    expect(hasPermission(user, 'remove')).toBe(false);
    expect(hasPermission({ role: Role.ADMIN, permission: 0 }, 'webdav_manage')).toBe(true);
    expect(hasPermission({ role: Role.GUEST, permission: 0 }, 'see_hides')).toBe(false);
  });
});

describe('base paths', () => {
  it('join a request path below the base path, as the user sees it', () => {
    expect(joinBasePath(albums, '/')).toBe('/demo/Albums');
    expect(joinBasePath(albums, '')).toBe('/demo/Albums');
    expect(joinBasePath(albums, 'Trip/a.jpg')).toBe('/demo/Albums/Trip/a.jpg');
    expect(joinBasePath(albums, '//Trip//')).toBe('/demo/Albums/Trip');
    expect(joinBasePath({ base_path: '/' }, '/demo')).toBe('/demo');
  });

  it('refuse ".." with AList\'s 403 wherever it is', () => {
    for (const escape of ['..', '../x', '/..', '/Trip/../..', 'Trip/..', '..\\x']) {
      expect(() => joinBasePath(albums, escape)).toThrow(expect.objectContaining({ code: 403, message: 'access using relative path is not allowed' }) as unknown as ApiError);
    }
  });

  it('take the base path off a full path again, and nothing outside it', () => {
    expect(pathForUser(albums, '/demo/Albums')).toBe('/');
    expect(pathForUser(albums, '/demo/Albums/Trip/a.jpg')).toBe('/Trip/a.jpg');
    expect(pathForUser(albums, '/demo/AlbumsX/a.jpg')).toBeUndefined();
    expect(pathForUser(albums, '/demo')).toBeUndefined();
    expect(isWithinBasePath(albums, '/demo/Albums/Trip')).toBe(true);
    expect(isWithinBasePath(albums, '/local/a')).toBe(false);
    expect(pathForUser({ base_path: '/' }, '/local/a')).toBe('/local/a');
  });
});
