import * as fs from 'fs';
import { Command } from 'commander';
import { AccessMatrix, CatalogModel, diffAccess, evaluate, formatAccessDiff, formatAccessTable, readAssembly, toJson } from '../../access';
import { NotACloudAssemblyError } from '../../assembly';
import { DEFAULT_SENSITIVE_CLASSIFICATIONS } from '../../report/model';
import { CliError, EXIT } from '../exit-codes';
import { printJson } from '../output';

/** Parses `--sensitive a,b`: at least one classification. */
export function parseClassifications(value: string): string[] {
  const list = [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  if (list.length === 0) throw new CliError('--sensitive needs at least one classification, e.g. --sensitive confidential,pii', EXIT.USAGE);
  return list;
}

/** Reads and evaluates a cloud assembly; a missing or unreadable assembly is a CliError (exit 3). */
export function loadAccess(dir: string): { model: CatalogModel; matrix: AccessMatrix } {
  if (!fs.existsSync(dir)) throw new CliError(`${dir} does not exist. Synthesize first (npx cdk synth -o ${dir}).`, EXIT.ERROR);
  try {
    const model = readAssembly(dir);
    return { model, matrix: evaluate(model) };
  } catch (e) {
    if (e instanceof NotACloudAssemblyError) throw new CliError(e.message, EXIT.ERROR);
    throw new CliError(`cannot read the cloud assembly ${dir}: ${(e as Error).message ?? String(e)}`, EXIT.ERROR);
  }
}

export function accessCommand(): Command {
  return new Command('access')
    .description('Show the effective Lake Formation access of a synthesized mesh (no AWS): per principal, the databases and tables it may '
      + 'describe and the columns it may select, sensitive columns marked. With --base, what each principal gains and loses between two assemblies.')
    .argument('[cdkOut]', 'the cloud assembly', 'cdk.out')
    .option('--base <dir>', 'an older cloud assembly: print what each principal gains and loses from it to [cdkOut]')
    .option('--sensitive <classifications>', 'comma-separated classifications to mark', DEFAULT_SENSITIVE_CLASSIFICATIONS.join(','))
    .option('--json', 'print JSON (the matrix, or the changes with --base)')
    .action((cdkOut: string, opts: { base?: string; sensitive: string; json?: boolean }) => {
      const sensitive = parseClassifications(opts.sensitive);
      if (opts.base !== undefined) {
        const before = loadAccess(opts.base);
        const after = loadAccess(cdkOut);
        const diff = diffAccess(before.matrix, after.matrix);
        if (opts.json) printJson({ base: opts.base, assembly: cdkOut, principals: diff.principals });
        else process.stdout.write(formatAccessDiff(diff));
        return;
      }
      const { matrix } = loadAccess(cdkOut);
      if (opts.json) {
        process.stdout.write(toJson(matrix));
        return;
      }
      process.stdout.write(formatAccessTable(matrix, { sensitiveClassifications: sensitive }));
      for (const w of matrix.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}
