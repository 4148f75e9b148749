import * as fs from 'fs';
import { Command } from 'commander';
import { dangerousChanges, readAssemblyStacks } from '../../diff/assembly-diff';
import { CliError, EXIT } from '../exit-codes';
import { formatTable, printJson } from '../output';

export function diffCommand(): Command {
  return new Command('diff')
    .description('Compare two synthesized assemblies; fail when a change would delete or replace a bucket, key, database or table, '
      + 'rename something other accounts depend on (bucket, database, role, workgroup, LF-tag), change partition keys, or move a named resource between stacks.')
    .argument('[cdkOut]', 'the new cloud assembly', 'cdk.out')
    .requiredOption('--base <dir>', 'the old cloud assembly (e.g. cdk.out of the deployed version)')
    .option('--allow', 'accept the listed changes (exit 0) after printing what would be lost')
    .option('--json', 'print the changes as JSON')
    .action((cdkOut: string, opts: { base: string; allow?: boolean; json?: boolean }) => {
      for (const dir of [opts.base, cdkOut]) {
        if (!fs.existsSync(dir)) throw new CliError(`${dir} does not exist. Synthesize first (npx cdk synth -o ${dir}).`, EXIT.ERROR);
      }
      const changes = dangerousChanges(readAssemblyStacks(opts.base), readAssemblyStacks(cdkOut));
      if (opts.json) {
        printJson({ base: opts.base, assembly: cdkOut, allowed: !!opts.allow, changes });
      } else if (changes.length === 0) {
        process.stdout.write('No change deletes, replaces or renames a retained or shared resource.\n');
      } else {
        process.stdout.write(`${changes.length} dangerous change(s):\n${formatTable(['change', 'stack', 'resource', 'name', 'detail'],
          changes.map((c) => [c.kind, c.stack, c.type, c.name ?? '-', c.detail]))}\n`);
        process.stdout.write(opts.allow
          ? '\nAccepted with --allow. What would be lost: the resources above (retained ones stay orphaned in their account).\n'
          : '\nRefusing: review the changes, then re-run with --allow to accept them.\n');
      }
      if (changes.length > 0 && !opts.allow) process.exitCode = EXIT.CHECK_FAILED;
    });
}
