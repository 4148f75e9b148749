/** Exit codes of the `data-mesh` CLI (documented in the README and in `data-mesh --help`). */
export const EXIT = {
  /** Success: the check passed, the data was printed. */
  OK: 0,
  /** The check failed: invalid mesh, dangerous diff, drift, findings. The output says what. */
  CHECK_FAILED: 1,
  /** Wrong usage: unknown command or option, missing argument. */
  USAGE: 2,
  /** The command could not run: unreadable input, AWS error, query failure. */
  ERROR: 3,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the check failed (invalid mesh, dangerous diff, drift); the output says what
  2  usage error (unknown command or option, missing argument)
  3  the command could not run (unreadable input, AWS or query error)`;

/** An error that ends the CLI with a given exit code and a message without a stack trace. */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode: number = EXIT.ERROR) {
    super(message);
    this.name = 'CliError';
  }
}
