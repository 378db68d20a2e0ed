/** The parts of a benchmark program's `main` the programs share: the command line, interruption, the exit code. */

/** The parsed options, or the exit code to end with: 0 after --help (usage printed), 2 after a bad flag. */
export type CommandLine<T> = { options: T } | { exitCode: number };

/** Parses the command line; prints the usage to stdout for --help, or the error and the usage to stderr. */
export function parseCommandLine<T>(
  parse: (argv: readonly string[]) => T | null,
  usage: string,
  argv: readonly string[] = process.argv.slice(2),
): CommandLine<T> {
  let options: T | null;
  try {
    options = parse(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (!options) {
    process.stdout.write(usage);
    return { exitCode: 0 };
  }
  return { options };
}

/** Calls `handler` once on SIGINT or SIGTERM; returns the function that stops listening. */
export function onInterrupt(handler: () => void): () => void {
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * Runs `main` and ends the process with the code it returns. Everything should be closed by then; if some handle
 * still holds the process open 5 s later, it exits anyway rather than hang the caller. On a crash it prints the
 * stack, runs `onCrash` (e.g. killing child processes) and exits with 1.
 */
export function runMain(main: () => Promise<number>, onCrash?: () => Promise<unknown>): void {
  main().then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => {
        process.stderr.write('still running 5 s after finishing: exiting anyway\n');
        process.exit(code);
      }, 5_000).unref();
    },
    async (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      await onCrash?.();
      process.exit(1);
    },
  );
}
