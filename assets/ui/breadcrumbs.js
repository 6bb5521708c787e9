/** The "Home / demo / albums / Trips" trail above a folder. */
import { h, replaceChildren } from './dom.js';
import { browserUrl, pathSegments } from './paths.js';

export function renderBreadcrumbs(container, path, onNavigate) {
  const segments = pathSegments(path);
  const crumbs = [{ name: 'Home', path: '/' }];
  segments.forEach((name, index) => crumbs.push({ name, path: '/' + segments.slice(0, index + 1).join('/') }));
  const items = crumbs.map((crumb, index) => {
    const isLast = index === crumbs.length - 1;
    const link = h('a', { href: browserUrl(crumb.path), 'aria-current': isLast ? 'page' : undefined }, crumb.name);
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      onNavigate(crumb.path);
    });
    return h('li', {}, link);
  });
  replaceChildren(container, h('ol', {}, items));
}
