/** Pieces of command-line parsing the benchmark programs share. */

export const DEFAULT_DATABASE_URL = 'postgres://slotcast:slotcast@127.0.0.1:5432/postgres';

/** A numeric flag's value, or `fallback` when it was not given. Throws naming the flag when out of range. */
export function numberOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  int = true,
): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max) {
    throw new Error(`--${name} must be ${int ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return n;
}

/** An integer flag's value, or `fallback` when it was not given. Throws naming the flag when out of range. */
export function integerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number) {
  return numberOption(name, raw, fallback, min, max, true);
}

/** --database-url, else $BENCH_DATABASE_URL, else $TEST_DATABASE_URL, else the local default. */
export function databaseUrlOption(raw: string | undefined, env: Record<string, string | undefined>): string {
  return raw ?? env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}
