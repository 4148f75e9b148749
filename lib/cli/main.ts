import { Command, CommanderError } from 'commander';
import { DataMeshValidationError } from '../errors';
import { accessCommand } from './commands/access';
import { describeCommand, productsCommand, queryCommand, verifyCommand } from './commands/aws';
import { contractCommand } from './commands/contract';
import { diffCommand } from './commands/diff';
import { pathsCommand } from './commands/paths';
import { planCommand } from './commands/plan';
import { reportCommand } from './commands/report';
import { validateCommand } from './commands/validate';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes';

/** The `data-mesh` program with every command. */
export function buildProgram(): Command {
  const program = new Command('data-mesh')
    .description('cdk-data-mesh: check, plan and inspect a data mesh on AWS.')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const cmd of [validateCommand(), planCommand(), diffCommand(), productsCommand(), describeCommand(), queryCommand(), verifyCommand(), accessCommand(), reportCommand(), contractCommand(), pathsCommand()]) {
    cmd.addHelpText('after', EXIT_CODES_HELP).exitOverride();
    program.addCommand(cmd);
  }
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with code 0.
      process.exitCode = e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    if (e instanceof CliError) {
      process.stderr.write(`data-mesh: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    if (DataMeshValidationError.isDataMeshValidationError(e)) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = EXIT.CHECK_FAILED;
      return;
    }
    process.stderr.write(`data-mesh: ${(e as Error).message ?? String(e)}\n`);
    process.exitCode = EXIT.ERROR;
  }
}
