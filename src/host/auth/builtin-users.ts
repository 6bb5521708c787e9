import type { HostDatabase } from '../state/database.js';
import type { SettingsStore } from '../state/settings-store.js';
import { Role } from './user-model.js';
import type { UserStore } from './users.js';

/**
 * The built-in users as AList keeps them: the admin (created with `adminPassword()` when there is none) and the
 * guest user, who browses for requests without a token while it is enabled. Older versions had no guest user but a
 * `guest_enabled` setting: the guest is created enabled exactly when that setting was true, and the setting removed.
 */
export async function ensureBuiltinUsers(db: HostDatabase, users: UserStore, settings: SettingsStore, adminPassword: () => string): Promise<void> {
  if (!users.byRole(Role.ADMIN)) await users.create({ username: 'admin', password: adminPassword(), role: Role.ADMIN });
  db.transaction(() => {
    if (users.guest()) return;
    const guestEnabled = settings.takeLegacy('guest_enabled') === 'true';
    users.createGuest(!guestEnabled);
  })();
}
