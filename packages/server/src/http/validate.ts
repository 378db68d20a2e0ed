import { SlotcastError } from '@slotcast/protocol';
import type { z } from 'zod';

/** Parses input with a protocol schema; a failure is VALIDATION_FAILED with one entry per bad field. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const result = schema.safeParse(input ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown field(s): ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));
  throw new SlotcastError('VALIDATION_FAILED', `The ${where} has ${errors.length} invalid field(s)`, { errors });
}
