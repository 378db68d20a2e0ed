import { ERRORS } from '@slotcast/protocol';
import { errorCodes } from 'fastify';
import { describe, expect, it } from 'vitest';
import { FASTIFY_ERRORS } from './framework-errors.js';
import { toProblem } from './problem.js';

type FastifyErrorClass = new (...args: unknown[]) => Error & { code: string; statusCode?: number };
const ALL = Object.entries(errorCodes) as [keyof typeof errorCodes, FastifyErrorClass][];

describe('Fastify errors', () => {
  it('are each placed in the one table (a Fastify upgrade adding one fails here)', () => {
    expect(ALL.map(([code]) => code).filter((code) => !(code in FASTIFY_ERRORS))).toEqual([]);
  });

  it.each(ALL)('%s that a request can cause never reaches the client as a 500', (code, ErrorClass) => {
    const err = new ErrorClass('a', 'b', 'c');
    const problem = toProblem(err, '/x');
    const kind = FASTIFY_ERRORS[code];
    // Fastify marks what a request caused with a 4xx (or 503 for a handler timeout): ours is of the same class.
    const status = err.statusCode ?? 500;
    if (status !== 500 && kind !== 'wiring') {
      expect(problem.code).toBe(kind);
      expect(problem.status).toBe(ERRORS[kind].status);
      expect(Math.floor(problem.status / 100)).toBe(Math.floor(status / 100));
    } else {
      // Thrown while the server is assembled, or a bug of ours while answering: INTERNAL, never blamed on the client.
      expect(['wiring', 'INTERNAL']).toContain(kind);
      expect(problem.code).toBe('INTERNAL');
    }
  });
});
