import type { HostClient } from './host-client.js';

export interface GuestChanges {
  disabled?: boolean;
  permission?: number;
  base_path?: string;
}

/** Changes the built-in guest user (AList's role 1) through the admin API; `client` must be an admin's. */
export async function updateGuestUser(client: HostClient, changes: GuestChanges): Promise<void> {
  const list = await client.get<{ content: Array<{ id: number; role: number }> }>('/api/admin/user/list');
  const guest = list.data.content.find((user) => user.role === 1);
  if (!guest) throw new Error('no guest user');
  const answer = await client.post('/api/admin/user/update', { id: guest.id, ...changes });
  if (answer.code !== 200) throw new Error(`guest update failed: ${answer.code} ${answer.message}`);
}

/** Guests may browse (read only) or not, as the old guest_enabled setting did. */
export function setGuestAccess(client: HostClient, enabled: boolean): Promise<void> {
  return updateGuestUser(client, { disabled: !enabled });
}
