import { App } from 'aws-cdk-lib';
import { Command } from 'commander';
import { DataMeshValidationError } from '../../errors';
import { DataMesh } from '../../mesh/data-mesh';
import { DEFAULT_MESH_FILE, loadMeshDefinition } from '../../mesh/loader';
import { EXIT } from '../exit-codes';
import { printJson } from '../output';

export function validateCommand(): Command {
  return new Command('validate')
    .description('Check a mesh definition: every field, name, limit and reference, then build the mesh (no AWS).')
    .argument('[file]', 'mesh definition', DEFAULT_MESH_FILE)
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      try {
        const loaded = loadMeshDefinition(file);
        // Building (without synthesizing) also runs the checks that need the whole mesh: stack sizes, grant collisions.
        new DataMesh(new App(), loaded);
        const d = loaded.definition;
        const products = d.domains.reduce((n, x) => n + (x.products?.length ?? 0), 0);
        if (opts.json) {
          printJson({ file, valid: true, domains: d.domains.length, products, subscriptions: d.subscriptions?.length ?? 0, warnings: loaded.warnings });
        } else {
          process.stdout.write(`${file}: valid (${d.domains.length} domains, ${products} products, ${d.subscriptions?.length ?? 0} subscriptions)\n`);
          for (const w of loaded.warnings) process.stdout.write(`warning [${w.id}] ${w.message}\n`);
        }
      } catch (e) {
        if (!DataMeshValidationError.isDataMeshValidationError(e)) throw e;
        if (opts.json) printJson({ file, valid: false, problems: e.problems, location: e.location });
        else process.stderr.write(`${e.message}\n`);
        process.exitCode = EXIT.CHECK_FAILED;
      }
    });
}
