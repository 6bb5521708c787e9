/** AList's user model (internal/model/user.go): roles, permission bits, and the user as its API shows it. */

/** AList's roles: GENERAL = 0, GUEST = 1 (only one exists), ADMIN = 2. */
export const Role = { GENERAL: 0, GUEST: 1, ADMIN: 2 } as const;
export type RoleNumber = (typeof Role)[keyof typeof Role];

export interface User {
  id: number;
  username: string;
  role: RoleNumber;
  /** The folder the user sees as its root ("/" = everything). */
  base_path: string;
  /** AList's permission bits (see PERMISSION_BITS). */
  permission: number;
  disabled: boolean;
}

/**
 * The bit of each permission in AList's `permission` (bits 0-9 as in AList v3's user.go; 10-13 as later AList and
 * OpenList number them, kept so that their frontends' checkboxes round-trip). An admin has them all.
 */
export const PERMISSION_BITS = {
  see_hides: 0,
  access_without_password: 1,
  offline_download: 2,
  write: 3, // mkdir and upload
  rename: 4,
  move: 5,
  copy: 6,
  remove: 7,
  webdav_read: 8,
  webdav_manage: 9,
  ftp_read: 10,
  ftp_manage: 11,
  read_archives: 12,
  decompress: 13,
} as const;
export type PermissionName = keyof typeof PERMISSION_BITS;

/** AList's `user.CanX()`: an admin may do everything, others what their bits allow. */
export function hasPermission(user: Pick<User, 'role' | 'permission'>, name: PermissionName): boolean {
  return user.role === Role.ADMIN || ((user.permission >> PERMISSION_BITS[name]) & 1) === 1;
}

/**
 * The bits an admin is answered with: all 16 OpenList numbers, as OpenList creates its admin. Its frontend decides
 * what to offer (uploads, new folders, renames) from the bits alone, with no exception for the admin role.
 */
const ADMIN_ANSWERED_PERMISSION = 0xffff;

/** The user as AList's API answers it: never the password (AList sends it empty), no 2FA here. */
export function userAnswer(user: User) {
  const permission = user.role === Role.ADMIN ? user.permission | ADMIN_ANSWERED_PERMISSION : user.permission;
  return {
    id: user.id, username: user.username, password: '', base_path: user.base_path, role: user.role,
    disabled: user.disabled, permission, sso_id: '', otp: false,
  };
}
