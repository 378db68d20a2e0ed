import type { ErrorCode, Problem } from '@slotcast/protocol';
import { ERRORS, problemType, SlotcastError } from '@slotcast/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_JSON = 'application/problem+json';

/** Fastify's own errors (body parsing, limits) mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'VALIDATION_FAILED',
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
  const mapped = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined;
  if (mapped) {
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
        ? { errors: [{ path: fastifyCode === 'FST_ERR_BAD_URL' ? 'url' : 'body', message: e.message }] }
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
