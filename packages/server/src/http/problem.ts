import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from '@slotcast/protocol';
import { ERRORS, problemType, SlotcastError } from '@slotcast/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { frameworkErrorCode } from './framework-errors.js';

export const PROBLEM_JSON = 'application/problem+json';

/** What part of the request a framework VALIDATION_FAILED is about. */
const WHERE: Record<string, string> = {
  FST_ERR_BAD_URL: 'url',
  FST_ERR_INVALID_URL: 'url',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body',
  FST_ERR_ROUTE_MISSING_CONTENT: 'body',
  FST_ERR_VALIDATION: 'request',
};

export function toProblem(err: unknown, instance?: string): Problem {
  if (err instanceof SlotcastError) {
    const { errors, ...extensions } = err.extensions as { errors?: Problem['errors'] };
    return {
      type: problemType(err.code),
      title: ERRORS[err.code].title,
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(instance ? { instance } : {}),
      ...(errors ? { errors } : {}),
      ...extensions,
    };
  }
  const fastifyCode = (err as FastifyError | undefined)?.code;
  const mapped = err && typeof err === 'object' ? frameworkErrorCode(err) : undefined;
  if (mapped && mapped !== 'INTERNAL') {
    const e = err as FastifyError;
    return {
      type: problemType(mapped),
      title: ERRORS[mapped].title,
      status: ERRORS[mapped].status,
      code: mapped,
      detail: e.message,
      ...(instance ? { instance } : {}),
      // VALIDATION_FAILED always says what was wrong; here it is the request as a whole.
      ...(mapped === 'VALIDATION_FAILED'
        ? { errors: [{ path: WHERE[fastifyCode ?? ''] ?? 'request', message: e.message }] }
        : {}),
    };
  }
  return { type: problemType('INTERNAL'), title: ERRORS.INTERNAL.title, status: 500, code: 'INTERNAL' };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const problem = toProblem(err, request.url);
  if (problem.status >= 500 && problem.code !== 'SERVICE_UNAVAILABLE') request.log.error({ err }, 'request failed');
  if (typeof problem.retryAfterMs === 'number') {
    reply.header('retry-after', String(Math.max(1, Math.ceil(problem.retryAfterMs / 1000))));
  } else if (problem.code === 'SERVICE_UNAVAILABLE') {
    reply.header('retry-after', '5');
  }
  return reply.code(problem.status).type(PROBLEM_JSON).send(problem);
}

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers over the size limit, a malformed request
 * line, a timeout): answered as problem+json on the raw socket, then closed, since the stream cannot be trusted.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem = toProblem(err);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: ${PROBLEM_JSON}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
