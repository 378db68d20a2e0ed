import { DETAILS, type FieldError, SlotcastError } from '@slotcast/protocol';
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

/** Parses input with a protocol schema; a failure is VALIDATION_FAILED with one entry per bad field. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  // zod reports all unknown keys of an object in one issue, and a field breaking two rules in two: regroup by field.
  const byPath = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const base = [where, ...issue.path.map(String)];
    const entries =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [[...base, key].join('.'), 'unknown field'] as const)
        : [[base.join('.'), issue.message] as const];
    for (const [path, message] of entries) byPath.set(path, [...(byPath.get(path) ?? []), message]);
  }
  const errors: FieldError[] = [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
  throw new SlotcastError('VALIDATION_FAILED', DETAILS.invalidFields(where, errors.length), { errors });
}

const WHERE = { body: 'body', querystring: 'query', params: 'params' } as const;

/**
 * Fastify's validator for the protocol's zod schemas: the parsed value replaces the request part (defaults and
 * transforms applied), a failure is the VALIDATION_FAILED above. Fastify passes a missing body as null.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const where = WHERE[httpPart as keyof typeof WHERE];
  if (!where) throw new Error(`No validation for the request ${httpPart}`);
  return (data) => {
    if (where === 'body' && data === null) {
      return {
        error: new SlotcastError('VALIDATION_FAILED', DETAILS.bodyRequired(), {
          errors: [{ path: 'body', message: 'required' }],
        }),
      };
    }
    try {
      return { value: parse(schema, data, where) };
    } catch (err) {
      return { error: err as Error };
    }
  };
};
