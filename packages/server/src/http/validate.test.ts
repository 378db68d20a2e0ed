import { SlotcastError } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parse, validatorCompiler } from './validate.js';

const Schema = z.strictObject({
  email: z.email().max(20),
  age: z.number().int(),
  address: z.strictObject({ city: z.string() }).optional(),
});

function errorsOf(input: unknown, where: 'body' | 'query' | 'params' = 'body') {
  try {
    parse(Schema, input, where);
  } catch (err) {
    expect(err).toBeInstanceOf(SlotcastError);
    expect((err as SlotcastError).code).toBe('VALIDATION_FAILED');
    return (err as SlotcastError).extensions.errors as { path: string; message: string }[];
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('parse', () => {
  it('returns the parsed value when the input is valid', () => {
    expect(parse(Schema, { email: 'a@b.co', age: 3 }, 'body')).toEqual({ email: 'a@b.co', age: 3 });
  });

  it('reports each unknown field as its own entry, nested ones with their full path', () => {
    const errors = errorsOf({ email: 'a@b.co', age: 3, colour: 'red', size: 1, address: { city: 'X', zip: '1' } });
    expect(errors.map((e) => e.path).sort()).toEqual(['body.address.zip', 'body.colour', 'body.size']);
    expect(errors.every((e) => e.message === 'unknown field')).toBe(true);
  });

  it('reports a field that breaks two rules once, with both reasons', () => {
    const errors = errorsOf({ email: `${'x'.repeat(30)}`, age: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('body.email');
    expect(errors[0]!.message).toContain('; ');
  });

  it('prefixes paths with where the field was: body, query or params', () => {
    expect(errorsOf({ age: 'x' }, 'query').map((e) => e.path)).toEqual(['query.email', 'query.age']);
  });

  it('reports a missing body as one entry for the body', () => {
    expect(errorsOf(undefined)).toEqual([{ path: 'body', message: expect.any(String) }]);
  });
});

describe('validatorCompiler', () => {
  const validate = (httpPart: string, data: unknown) =>
    validatorCompiler({ schema: Schema, method: 'POST', url: '/x', httpPart })(data) as {
      value?: unknown;
      error?: SlotcastError;
    };

  it('hands Fastify the parsed value, so defaults and transforms reach the handler', () => {
    const Defaults = z.strictObject({ limit: z.coerce.number().default(50) });
    const out = validatorCompiler({ schema: Defaults, method: 'GET', url: '/x', httpPart: 'querystring' })({}) as {
      value: unknown;
    };
    expect(out.value).toEqual({ limit: 50 });
  });

  it('answers a missing body (Fastify passes null) with one "required" entry for the body', () => {
    const { error } = validate('body', null);
    expect(error?.code).toBe('VALIDATION_FAILED');
    expect(error?.extensions.errors).toEqual([{ path: 'body', message: 'required' }]);
  });

  it('names query fields "query.<name>", as the problem documents them', () => {
    const { error } = validate('querystring', { email: 'a@b.co', age: 'x' });
    expect((error!.extensions.errors as { path: string }[]).map((e) => e.path)).toEqual(['query.age']);
  });
});
