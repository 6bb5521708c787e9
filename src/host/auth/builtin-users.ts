import type { HostDatabase } from '../state/database.js';
import type { SettingsStore } from '../state/settings-store.js';
import { Role } from './user-model.js';
import { DuplicateUsernameError, type UserStore } from './users.js';

/**
 * The built-in users as AList keeps them: the admin (created with `adminPassword()` when there is none) and the
 * guest user, who browses for requests without a token while it is enabled. Older versions had no guest user but a
 * `guest_enabled` setting: the guest is created enabled exactly when that setting was true, and the setting removed.
 * Whether this call created the admin.
 */
export async function ensureBuiltinUsers(db: HostDatabase, users: UserStore, settings: SettingsStore, adminPassword: () => string): Promise<boolean> {
  let createdAdmin = false;
  if (!(await users.byRole(Role.ADMIN))) {
    try {
      await users.create({ username: 'admin', password: adminPassword(), role: Role.ADMIN });
      createdAdmin = true;
    } catch (err) {
      // Another process sharing the database created it a moment ago: its password is the one to use.
      if (!(err instanceof DuplicateUsernameError)) throw err;
    }
  }
  await db.transaction(async (tx) => {
    // Two processes starting on one PostgreSQL database: the second waits here, then finds the guest.
    if (tx.dialect === 'postgres') await tx.run('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    if (await users.guest(tx)) return;
    const guestEnabled = (await settings.takeLegacy('guest_enabled', tx)) === 'true';
    await users.createGuest(tx, !guestEnabled);
  });
  return createdAdmin;
}
