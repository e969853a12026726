/**
 * Errors Node's HTTP parser meets before any route runs: request headers over the limit (431), a request that
 * is not HTTP (malformed request line or header), a body in broken chunked encoding, a request that did not
 * arrive in time (408). Fastify's default answers them in its own shape; here they answer in the one every other
 * error has, `{ error: { code, message } }`, with a stable code, then close the connection.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '@yishi/shared/schemas';

interface ParserError extends Error {
  code?: string;
}

function answerFor(err: ParserError): { status: number; code: ErrorCode; message: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'headers_too_large', message: 'the request headers are too large' };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'request_timeout', message: 'the request did not arrive in time' };
  if (err.code === 'HPE_INVALID_CHUNK_SIZE' || err.code === 'HPE_INVALID_TRANSFER_ENCODING' || err.code === 'HPE_UNEXPECTED_CONTENT_LENGTH')
    return { status: 400, code: 'bad_request', message: 'the request body is not in a valid transfer encoding' };
  return { status: 400, code: 'bad_request', message: 'the request is not valid HTTP' };
}

/** Fastify's `clientErrorHandler`: the error shape on the raw socket, when no answer to this request has started. */
export function clientErrorHandler(err: ParserError, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // As Node itself: answer only if no response on this socket has sent its headers yet.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, code, message } = answerFor(err);
    const body = JSON.stringify({ error: { code, message } });
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}
