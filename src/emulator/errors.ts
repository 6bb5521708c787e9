import type { FastifyReply } from 'fastify';

/** google.rpc.Code names by HTTP status, as Google's JSON mapping uses them. */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 501: 'NOT_IMPLEMENTED', 502: 'UNAVAILABLE',
  503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
};

/** google.rpc.Code numbers, used in per-item statuses (batchGet, batchCreate). */
export const RPC_CODE = {
  OK: 0, INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16,
} as const;

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  502: 'The service is currently unavailable.',
  503: 'The service is currently unavailable.',
  504: 'The request timed out. Please try again.',
};

export interface RpcStatusBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly status: string = STATUS_BY_HTTP[httpStatus] ?? 'UNKNOWN',
    readonly details?: unknown[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): RpcStatusBody {
    const error: RpcStatusBody['error'] = { code: this.httpStatus, message: this.message, status: this.status };
    if (this.details && this.details.length > 0) error.details = this.details;
    return { error };
  }
}

export function statusError(httpStatus: number, message?: string, status?: string): ApiError {
  return new ApiError(httpStatus, message ?? DEFAULT_MESSAGES[httpStatus] ?? 'Unknown error.', status);
}

export const invalidArgument = (message = DEFAULT_MESSAGES[400]!): ApiError => new ApiError(400, message);
export const notFound = (message = DEFAULT_MESSAGES[404]!): ApiError => new ApiError(404, message);
export const failedPrecondition = (message: string): ApiError => new ApiError(400, message, 'FAILED_PRECONDITION');

export const INSUFFICIENT_SCOPES_MESSAGE = 'Request had insufficient authentication scopes.';
export const insufficientScopes = (): ApiError => new ApiError(403, INSUFFICIENT_SCOPES_MESSAGE);

const AUTH_HELP = 'Expected OAuth 2 access token, login cookie or other valid authentication credential. '
  + 'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

function errorInfo(reason: string, metadata: Record<string, string>): unknown {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata };
}

export function unauthenticated(kind: 'missing' | 'invalid' | 'expired', service: string): ApiError {
  const message = kind === 'missing'
    ? `Request is missing required authentication credential. ${AUTH_HELP}`
    : `Request had invalid authentication credentials. ${AUTH_HELP}`;
  const reason = { missing: 'CREDENTIALS_MISSING', invalid: 'ACCESS_TOKEN_TYPE_UNSUPPORTED', expired: 'ACCESS_TOKEN_EXPIRED' }[kind];
  return new ApiError(401, message, 'UNAUTHENTICATED', [errorInfo(reason, { service })], {
    'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  });
}

export interface ServiceInfo { service: string; title: string }

export function serviceDisabled(api: ServiceInfo, projectNumber: string): ApiError {
  const activationUrl = `https://console.developers.google.com/apis/api/${api.service}/overview?project=${projectNumber}`;
  const message = `${api.title} has not been used in project ${projectNumber} before or it is disabled. `
    + `Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes `
    + 'for the action to propagate to our systems and retry.';
  return new ApiError(403, message, 'PERMISSION_DENIED', [
    errorInfo('SERVICE_DISABLED', {
      service: api.service, consumer: `projects/${projectNumber}`, activationUrl,
      serviceTitle: api.title, containerInfo: projectNumber,
    }),
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url: activationUrl }] },
  ]);
}

export function dailyQuotaExceeded(api: ServiceInfo, projectNumber: string): ApiError {
  const message = `Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service `
    + `'${api.service}' for consumer 'project_number:${projectNumber}'.`;
  return new ApiError(429, message, 'RESOURCE_EXHAUSTED', [
    errorInfo('RATE_LIMIT_EXCEEDED', {
      service: api.service, consumer: `projects/${projectNumber}`, quota_metric: `${api.service}/all_requests`,
      quota_limit: 'AllRequestsPerDay', quota_limit_value: '10000', quota_location: 'global',
    }),
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{
      description: 'Request a higher quota limit.',
      url: 'https://cloud.google.com/docs/quotas/help/request_increase',
    }] },
  ]);
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.httpStatus).headers(error.headers)
    .type('application/json; charset=UTF-8').send(JSON.stringify(error.body(), null, 2));
}

/** What Google's front end answers for a path no API serves. */
export function notFoundHtml(path: string): string {
  const safe = path.replace(/[<>&"']/g, '');
  return '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title>'
    + `<p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>${safe}</code> was not found on this server. `
    + '<ins>That’s all we know.</ins></html>';
}

export function forbiddenHtml(): string {
  return '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 403 (Forbidden)!!1</title>'
    + '<p><b>403.</b> <ins>That’s an error.</ins><p>We\'re sorry, but you do not have access to this page. '
    + '<ins>That’s all we know.</ins></html>';
}
