/** The bar at the top of every page: site name, navigation and who is logged in. */
import { api, clearToken, isAdminUser, isGuestUser, loginUrl } from './api.js';
import { h, replaceChildren } from './dom.js';

export function renderHeader(container, user, { current = 'files' } = {}) {
  const isAdmin = isAdminUser(user);
  const isGuest = isGuestUser(user);
  // The server ends the session first; the token is forgotten here even when it cannot be reached.
  const logout = async () => {
    await api('/api/auth/logout', { method: 'POST', redirectOn401: false, timeoutMs: 5000 }).catch(() => {});
    clearToken();
    location.assign(loginUrl('/'));
  };
  replaceChildren(
    container,
    h('a', { class: 'brand', href: '/' }, 'Photos Drive'),
    h(
      'nav',
      { class: 'site-nav', 'aria-label': 'Main' },
      h('a', { href: '/', 'aria-current': current === 'files' ? 'page' : undefined }, 'Files'),
      isAdmin && h('a', { href: '/@manage', 'aria-current': current === 'manage' ? 'page' : undefined }, 'Manage'),
    ),
    h(
      'div',
      { class: 'user-box' },
      isGuest
        ? h('a', { class: 'button', href: loginUrl(), 'data-testid': 'login-link' }, 'Log in')
        : [
            h('span', { class: 'user-name', 'data-testid': 'user-name' }, user.username ?? ''),
            h('button', { type: 'button', class: 'button', onclick: logout, 'data-testid': 'logout' }, 'Log out'),
          ],
    ),
  );
}
