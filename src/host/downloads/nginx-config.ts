/**
 * The nginx configuration docs/deploy.md shows (a file for /etc/nginx/conf.d/, inside nginx's `http` block), made
 * here so that the test and the benchmark run exactly what the documentation says.
 */
export interface NginxConfigOptions {
  /** nginx's `listen` (default "80"). */
  listen?: string;
  /** nginx's `server_name` (default files.example.org). */
  serverName?: string;
  /** The host processes, "address:port" (default one at 127.0.0.1:5244). */
  hosts?: string[];
  /** The internal-redirect mode: the host's ACCEL_SECRET and its --accel-redirect prefix. Without it, a plain reverse proxy. */
  accel?: { secret: string; prefix?: string };
  /** For https links: the DNS resolver nginx asks (default 127.0.0.53, systemd-resolved). */
  resolver?: string;
  /** CA bundle that Google's certificates are checked against; undefined leaves the check out (loopback tests). */
  trustedCertificates?: string;
}

export const DEFAULT_ACCEL_PREFIX = '/_accel';

function proxyToHosts(accel: NginxConfigOptions['accel']): string {
  return `    location / {
        proxy_pass http://gphotos_alist;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        client_max_body_size 0;              # the host enforces its own --max-upload-mb
        proxy_request_buffering off;         # uploads stream through
        proxy_max_temp_file_size 0;          # downloads the host streams are never spooled to disk
        proxy_read_timeout 300s;${accel ? `
        # Only requests that come through here may get internal redirects (see below). A client's own
        # X-Accel-Secret is replaced by this one.
        proxy_set_header X-Accel-Secret "${accel.secret}";` : ''}
    }`;
}

function internalLocation(prefix: string, options: NginxConfigOptions): string {
  const verify = options.trustedCertificates ? `
        proxy_ssl_verify on;
        proxy_ssl_trusted_certificate ${options.trustedCertificates};` : '';
  return `
    # The host answers a download with "X-Accel-Redirect: ${prefix}/<the storage's link, URI-encoded>"; nginx
    # decodes it back into the link and fetches it itself.
    location ~ ^${prefix}/(.+)$ {
        internal;
        # Read before proxy_pass: these are the host's answer headers (after it, the storage's).
        set $accel_target $1;
        set $accel_authorization $upstream_http_x_accel_authorization;
        set $accel_cors $upstream_http_access_control_allow_origin;
        proxy_pass $accel_target;
        # None of the client's headers (its cookies, its token for this server) go to the storage: only these.
        proxy_pass_request_headers off;
        proxy_set_header Authorization $accel_authorization;   # a picked item's bearer token; empty: not sent
        proxy_set_header Range $http_range;
        proxy_set_header If-Range $http_if_range;
        proxy_set_header Connection "";
        proxy_http_version 1.1;
        # https links: DNS at request time, SNI, Google's certificate checked.
        resolver ${options.resolver ?? '127.0.0.53'} valid=300s;
        resolver_timeout 10s;
        proxy_ssl_server_name on;${verify}
        # Stream: memory buffers only, never a temp file.
        proxy_max_temp_file_size 0;
        proxy_read_timeout 300s;
        # The host's Content-Disposition and Cache-Control stay (nginx keeps them from its answer); the storage's go.
        proxy_hide_header Content-Disposition;
        proxy_hide_header Cache-Control;
        proxy_hide_header Expires;
        proxy_hide_header Set-Cookie;
        proxy_hide_header Access-Control-Allow-Origin;
        proxy_hide_header Content-Security-Policy;
        proxy_hide_header X-Content-Type-Options;
        add_header Access-Control-Allow-Origin $accel_cors always;
        add_header X-Content-Type-Options nosniff always;
        add_header Content-Security-Policy sandbox always;
        # A link that went stale (the storage answers 401, 403, 404 or 410): the host streams the file itself,
        # fetching a fresh link as it does without this mode.
        proxy_intercept_errors on;
        error_page 401 403 404 410 = @gphotos_alist_stream;
    }

    location @gphotos_alist_stream {
        proxy_pass http://gphotos_alist$request_uri;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header X-Accel-Secret "";  # none: the host answers with the bytes, never another redirect
        proxy_max_temp_file_size 0;
        proxy_read_timeout 300s;
    }`;
}

/** The server block (and upstream) for nginx in front of the host processes. */
export function nginxConfig(options: NginxConfigOptions = {}): string {
  const hosts = options.hosts ?? ['127.0.0.1:5244'];
  return `upstream gphotos_alist {
${hosts.map((host) => `    server ${host};`).join('\n')}
    keepalive 16;
}

server {
    listen ${options.listen ?? '80'};
    server_name ${options.serverName ?? 'files.example.org'};

${proxyToHosts(options.accel)}${options.accel ? `\n${internalLocation(options.accel.prefix ?? DEFAULT_ACCEL_PREFIX, options)}` : ''}
}
`;
}
