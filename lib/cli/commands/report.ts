import * as fs from 'fs';
import { Command } from 'commander';
import { NotACloudAssemblyError } from '../../assembly';
import { DEFAULT_SENSITIVE_CLASSIFICATIONS, writeReport } from '../../report';
import { CliError, EXIT } from '../exit-codes';
import { parseClassifications } from './access';

export function reportCommand(): Command {
  return new Command('report')
    .description('Write a review report of a synthesized mesh into the assembly (no AWS): data-mesh-report.html (self-contained page) and '
      + 'data-mesh-report.md. It shows stacks per account, cdk-nag findings and acknowledgements per pack, the access matrix, '
      + 'who can read sensitive columns, and a diagram of domains, products and subscriptions. Prints the paths of both files.')
    .argument('[cdkOut]', 'the cloud assembly', 'cdk.out')
    .option('--sensitive <classifications>', 'comma-separated classifications whose readers are listed', DEFAULT_SENSITIVE_CLASSIFICATIONS.join(','))
    .action((cdkOut: string, opts: { sensitive: string }) => {
      const sensitive = parseClassifications(opts.sensitive);
      if (!fs.existsSync(cdkOut)) throw new CliError(`${cdkOut} does not exist. Synthesize first (npx cdk synth -o ${cdkOut}).`, EXIT.ERROR);
      let written;
      try {
        written = writeReport(cdkOut, { sensitive });
      } catch (e) {
        if (e instanceof NotACloudAssemblyError) throw new CliError(e.message, EXIT.ERROR);
        throw new CliError(`cannot write the report of ${cdkOut}: ${(e as Error).message ?? String(e)}`, EXIT.ERROR);
      }
      const t = written.model.totals;
      process.stdout.write(`${written.html}\n${written.markdown}\n`);
      process.stderr.write(`Report of mesh ${written.model.mesh}: ${t.stacks} stacks, ${t.findings} findings, ${t.acknowledgements} acknowledgements, `
        + `${written.model.matrix.entries.length} access entries, ${written.model.sensitive.readers.length} sensitive column reads.\n`);
    });
}
