import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorContext } from './context.js';
import { ApiError } from './errors.js';
import { escapeHtml, page } from './html.js';
import { pickItems } from './picker-routes.js';
import type { PickerSession } from './store.js';

const ITEMS_PER_PAGE = 60;

function htmlReply(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

const ALREADY_DONE = page('Google Photos', '<h1 id="closed">This link is no longer valid</h1>'
  + '<p>Your selection was already shared with the app. To choose other items, start again from the app.</p>');

function sessionFor(ctx: EmulatorContext, id: string): PickerSession | undefined {
  const session = ctx.store.pickerSessions.get(id);
  return session && session.expireMs > ctx.store.now() ? session : undefined;
}

function pickerPage(ctx: EmulatorContext, session: PickerSession, autoclose: boolean, offset: number): string {
  const library = ctx.store.userLibrary;
  const items = library.slice(offset, offset + ITEMS_PER_PAGE);
  const cells = items.map((item) => `<label><img alt="" loading="lazy" src="${escapeHtml(ctx.libraryBaseUrl(item))}=w160-h120-c">`
    + `<input type="checkbox" name="mediaItemId" value="${escapeHtml(item.id)}" data-item-id="${escapeHtml(item.id)}"> `
    + `${escapeHtml(item.filename)}${item.isVideo ? ' (video)' : ''}</label>`).join('\n');
  const base = `/picker/${session.id}${autoclose ? '/autoclose' : ''}`;
  const nav = [
    offset > 0 ? `<a id="previous" href="${base}?offset=${Math.max(0, offset - ITEMS_PER_PAGE)}">Previous</a>` : '',
    offset + ITEMS_PER_PAGE < library.length ? `<a id="next" href="${base}?offset=${offset + ITEMS_PER_PAGE}">Next</a>` : '',
  ].join(' ');
  const limit = session.maxItemCount !== undefined ? `<p>Select up to ${session.maxItemCount} items.</p>` : '';
  return page('Google Photos - Select photos', `<h1>Select photos and videos</h1>${limit}
<p>Items ${offset + 1}-${offset + items.length} of ${library.length}. ${nav}</p>
<form method="post" action="/picker/${escapeHtml(session.id)}/done${autoclose ? '?autoclose=1' : ''}" id="picker">
<div class="grid">${cells}</div>
<button type="submit" id="done">Done</button>
</form>`);
}

/** The pickerUri page a person (or a browser test) uses to pick items of the whole library, then Done. */
export function registerPickerPage(app: FastifyInstance, ctx: EmulatorContext): void {
  const show = (autoclose: boolean) => async (request: { params: unknown; query: unknown }, reply: FastifyReply) => {
    const session = sessionFor(ctx, (request.params as { sessionId: string }).sessionId);
    if (!session) return htmlReply(reply, 404, page('Google Photos', '<h1>This link has expired</h1><p>Return to the app and try again.</p>'));
    // Google's pickerUri stops working once the user pressed Done.
    if (session.picked !== null) return htmlReply(reply, 404, ALREADY_DONE);
    const offset = Math.max(0, Number((request.query as { offset?: string }).offset ?? 0) || 0);
    return htmlReply(reply, 200, pickerPage(ctx, session, autoclose, offset));
  };
  app.get('/picker/:sessionId', show(false));
  app.get('/picker/:sessionId/autoclose', show(true));

  app.post('/picker/:sessionId/done', async (request, reply) => {
    const sessionId = (request.params as { sessionId: string }).sessionId;
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const raw = body.mediaItemId;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    if (sessionFor(ctx, sessionId)?.picked) return htmlReply(reply, 404, ALREADY_DONE);
    try {
      pickItems(ctx.store, sessionId, ids);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const title = error.httpStatus === 404 ? 'This link has expired' : 'Could not save your selection';
      return htmlReply(reply, error.httpStatus, page('Google Photos', `<h1>${title}</h1><p>${escapeHtml(error.message)}</p>`));
    }
    const autoclose = (request.query as { autoclose?: string }).autoclose === '1';
    return htmlReply(reply, 200, page('Google Photos', `<h1 id="picked">Done</h1><p>${ids.length} item(s) shared with the app. `
      + 'You can return to the app.</p>', autoclose ? '<script>window.close()</script>' : ''));
  });
}
