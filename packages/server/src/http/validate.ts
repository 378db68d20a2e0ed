import { type FieldError, SlotcastError } from '@slotcast/protocol';
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
  throw new SlotcastError('VALIDATION_FAILED', `The ${where} has ${errors.length} invalid field(s)`, { errors });
}
