import {
  Booking,
  ERRORS,
  type ErrorCode,
  type FieldError,
  problemType,
  Slot,
  SlotTakenDetails,
} from '@slotcast/protocol';
import type { z } from 'zod';

/** A code from this protocol version, or one a newer server added. */
export type ProblemCode = ErrorCode | (string & {});

/** The problem+json body as received (the protocol's `Problem`, but `code` may be one this SDK does not know yet). */
export interface ReceivedProblem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** The server answered with an error (RFC 9457 problem+json, or a bare status that was mapped to one). */
export class SlotcastApiError extends Error {
  override readonly name = 'SlotcastApiError';
  readonly code: ProblemCode;
  readonly status: number;
  readonly problem: ReceivedProblem;
  /** From Retry-After (or the problem's retryAfterMs), when the server said when to come back. */
  readonly retryAfterMs: number | null;

  constructor(problem: ReceivedProblem, opts: { retryAfterMs?: number | null; cause?: unknown } = {}) {
    super(problem.detail ?? problem.title, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.problem = problem;
    this.code = problem.code;
    this.status = problem.status;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }

  get detail(): string | undefined {
    return this.problem.detail;
  }

  /** Field errors of VALIDATION_FAILED. */
  get errors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  is(code: ErrorCode): boolean {
    return this.code === code;
  }

  /** An extension member of the problem (`current`, `nextFreeSlots`, `conflict`, ...). */
  extension(name: string): unknown {
    return this.problem[name];
  }

  /** BOOKING_VERSION_CONFLICT: the booking as it is now; show it, then retry with its `version`. */
  get current(): Booking | undefined {
    return parseOrUndefined(Booking, this.problem.current);
  }

  /** BOOKING_SLOT_TAKEN: up to three free slots after the requested one. */
  get nextFreeSlots(): Slot[] | undefined {
    return parseOrUndefined(Slot.array(), this.problem.nextFreeSlots);
  }

  /** BOOKING_SLOT_TAKEN: the interval of the booking in the way (null when it could not be told). */
  get conflict(): z.infer<typeof SlotTakenDetails>['conflict'] | undefined {
    return parseOrUndefined(SlotTakenDetails.shape.conflict, this.problem.conflict);
  }
}

/** The request never got an answer (offline, DNS, connection reset) after the allowed retries. */
export class SlotcastNetworkError extends Error {
  override readonly name = 'SlotcastNetworkError';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/** The server answered with something this protocol version does not describe (a deploy mismatch). */
export class SlotcastProtocolError extends Error {
  override readonly name = 'SlotcastProtocolError';
  constructor(
    message: string,
    readonly issues: readonly { path: PropertyKey[]; message: string }[] = [],
  ) {
    super(message);
  }
}

export function isApiError(err: unknown, code?: ErrorCode): err is SlotcastApiError {
  return err instanceof SlotcastApiError && (code === undefined || err.code === code);
}

/** The problem in an error response; a body that is not one (a proxy's HTML page) becomes one by its status. */
export function toProblem(status: number, body: unknown): ReceivedProblem {
  if (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string') {
    const p = body as Partial<ReceivedProblem> & { code: string };
    const known = (ERRORS as Record<string, { title: string } | undefined>)[p.code];
    return {
      ...p,
      type: typeof p.type === 'string' ? p.type : problemType(p.code as ErrorCode),
      title: typeof p.title === 'string' ? p.title : (known?.title ?? `HTTP ${status}`),
      status: typeof p.status === 'number' ? p.status : status,
      code: p.code,
    };
  }
  const code = codeForStatus(status);
  return { type: problemType(code), title: ERRORS[code].title, status, code, detail: `HTTP ${status}` };
}

/** A problem made on this side, for conditions found before a request is sent. */
export function localProblem(code: ErrorCode, detail?: string): ReceivedProblem {
  return {
    type: problemType(code),
    title: ERRORS[code].title,
    status: ERRORS[code].status,
    code,
    ...(detail ? { detail } : {}),
  };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTH_REQUIRED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE';
  if (status >= 400 && status < 500) return 'VALIDATION_FAILED';
  return 'INTERNAL';
}

function parseOrUndefined<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
