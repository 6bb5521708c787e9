import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** Where AList answers cross-origin requests, so its web frontend can be served from another origin. */
const CORS_PATHS = /^\/(api\/|d\/|p\/)/;

/**
 * AList's default CORS (internal/conf/config.go: every origin, method and header), on the API and the download
 * routes only; a preflight OPTIONS is answered 204 before any login check. The headers a preflight asks for are
 * echoed back rather than `*`, as browsers never let `*` cover `Authorization`. Pages and /assets get none.
 * Credentials (cookies) are not allowed: the API takes its token in the Authorization header.
 */
export async function registerCors(app: FastifyInstance): Promise<void> {
  await app.register(cors, {
    delegator: (request, callback) => {
      const path = (request.url ?? '').split('?', 1)[0]!;
      callback(null, CORS_PATHS.test(path) ? { origin: '*', methods: '*', maxAge: 86400 } : { origin: false });
    },
  });
}
