import * as fs from 'fs';
import { Command } from 'commander';
import { NotACloudAssemblyError } from '../../assembly';
import { PathsReport, World, checkPaths, formatPathsReport, readWorld } from '../../paths';
import { CliError, EXIT } from '../exit-codes';

/** Reads a cloud assembly for the paths; a missing or invalid assembly is a usage error with a one-line message. */
export function loadWorld(dir: string): World {
  if (!fs.existsSync(dir)) throw new CliError(`${dir} does not exist: pass the cloud assembly folder (npx cdk synth writes cdk.out).`, EXIT.USAGE);
  if (!fs.statSync(dir).isDirectory()) throw new CliError(`${dir} is not a folder: pass the cloud assembly folder (cdk.out).`, EXIT.USAGE);
  try {
    return readWorld(dir);
  } catch (e) {
    if (e instanceof NotACloudAssemblyError) throw new CliError(e.message, EXIT.USAGE);
    throw new CliError(`${dir} is not a readable cloud assembly: ${(e as Error).message ?? String(e)}`, EXIT.USAGE);
  }
}

export function pathsCommand(): Command {
  return new Command('paths')
    .description('Walk each actor\'s job in a synthesized mesh step by step (no AWS): CloudTrail writing the audit log, pipelines writing '
      + 'products, Lake Formation credential vending, domain and consumer queries, data quality runs, alarm notifications. Every step is '
      + 'evaluated against the identity, resource, key and trust policies and the Lake Formation grants of the templates, and cites the AWS '
      + 'page that states what it needs. Prints one line per kind of path and, for each broken path, its first failing step.')
    .argument('[cdkOut]', 'the cloud assembly', 'cdk.out')
    .option('--json', 'print the report as JSON (every path with every step)')
    .action((cdkOut: string, opts: { json?: boolean }) => {
      const report: PathsReport = checkPaths(loadWorld(cdkOut));
      if (opts.json) process.stdout.write(`${JSON.stringify({ assembly: cdkOut, ...report }, null, 2)}\n`);
      else process.stdout.write(formatPathsReport(report, cdkOut));
      if (!report.ok) process.exitCode = EXIT.CHECK_FAILED;
    });
}
