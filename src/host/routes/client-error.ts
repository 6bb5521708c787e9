import http from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before any route sees them (a body that ends before its Content-Length, a
 * malformed request) still get AList's envelope, with a code saying what happened. Replaces fastify's default.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  let code = 'BAD_REQUEST';
  let message = `The request is malformed (${err.code ?? 'parse error'})`;
  if (err.code === 'HPE_INVALID_EOF_STATE') {
    code = 'INCOMPLETE_BODY';
    message = 'The request ended before all the bytes its Content-Length announced arrived; nothing was stored';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    code = 'TIMEOUT';
    message = 'The request took too long to arrive';
  } else if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    code = 'HEADERS_TOO_LARGE';
    message = 'The request headers are too large';
  }
  if (socket.writable) {
    const body = JSON.stringify({ code: status, message, data: null, error: { code, message } });
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
