import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { exportContract, ExportContractInput, toYaml } from '../../contracts/export';
import type { ContractProductSpec } from '../../contracts/map';
import type { OdcsContract } from '../../contracts/odcs-schema';
import { DEFAULT_PRODUCT_CLASSIFICATION } from '../../defaults';
import { contractOntology, hasContractProducts, rememberedResolution, resolveContracts } from '../../mesh/contracts';
import type { MeshDefinition } from '../../mesh/definition';
import { DEFAULT_MESH_FILE, loadMeshDefinition } from '../../mesh/loader';
import { domainBucketName, productBucketName } from '../../naming';
import { DataFormat, TableSpec } from '../../table-schema';
import { CliError, EXIT, EXIT_CODES_HELP } from '../exit-codes';

/** A mesh to export from: a `LoadedMesh`, or a definition alone (contracts then read relative to `baseDir`). */
export interface ContractExportSource {
  readonly definition: MeshDefinition;
  /** The definition with its contract products expanded (`LoadedMesh.resolved`). */
  readonly resolved?: MeshDefinition;
  /** What the contracts define (`LoadedMesh.contracts`). */
  readonly contracts?: Readonly<Record<string, ContractProductSpec>>;
  /** The mesh file; contract paths are relative to its folder. */
  readonly fileName?: string;
}

/** Every product of a definition as `<domain>.<product>`, sorted. */
export function productKeys(def: MeshDefinition): string[] {
  return def.domains.flatMap((d) => (d.products ?? []).map((p) => `${d.name}.${p.name}`)).sort();
}

/**
 * What {@link exportContract} needs to write product `key` (`<domain>.<product>`) of a mesh: its tables,
 * description, owner, contact, classification and LF-tags, its storage location as an S3 server, and for a
 * contract product the contract's identity, parameters, column constraints, quality rulesets and SLA.
 * An unknown product is a CliError (exit 1) naming the products of the mesh.
 */
export function productContractInput(mesh: ContractExportSource, key: string): ExportContractInput {
  const { definition: def, contracts } = resolvedMesh(mesh);
  const dot = key.indexOf('.');
  const d = dot > 0 ? def.domains.find((x) => x.name === key.slice(0, dot)) : undefined;
  const p = d?.products?.find((x) => x.name === key.slice(dot + 1));
  if (!d || !p) {
    const known = productKeys(def);
    throw new CliError(`unknown product "${key}"${mesh.fileName ? ` in ${mesh.fileName}` : ''}: give it as <domain>.<product>, one of `
      + `${known.length > 0 ? known.join(', ') : '(the mesh has no products)'}`, EXIT.CHECK_FAILED);
  }
  const productName = p.name!;
  const spec = contracts[key];
  const location = p.storage === 'domain-prefix'
    ? { bucket: domainBucketName(def.name, d.name, 'data', d.account, d.region), prefix: productName }
    : { bucket: productBucketName(def.name, d.name, productName, d.account, d.region), prefix: '' };
  const tables: TableSpec[] = spec ? spec.tables.map(({ parameters: _p, ...t }) => t) : (p.tables ?? []).map((t) => ({ ...t, format: t.format as DataFormat | undefined }));
  return {
    domain: d.name,
    productName,
    description: p.description ?? '',
    owner: p.owner ?? '',
    ...(p.contact !== undefined ? { contact: p.contact } : {}),
    classification: p.classification ?? DEFAULT_PRODUCT_CLASSIFICATION,
    ...(p.tags !== undefined ? { tags: p.tags } : {}),
    tables,
    ...(spec ? {
      parameters: spec.parameters,
      columnParameters: spec.columnParameters,
      quality: spec.quality.map((q) => ({ table: q.table, dqdl: q.dqdl })),
      sla: spec.sla,
    } : {}),
    location,
    classificationValues: contractOntology(def).classificationValues,
  };
}

/** The ODCS v3.1.0 contract of product `key` (`<domain>.<product>`) of a mesh: what `data-mesh contract export` writes. */
export function productContract(mesh: ContractExportSource, key: string): OdcsContract {
  return exportContract(productContractInput(mesh, key));
}

/** The text `data-mesh contract export` writes: YAML with a header comment, or JSON. */
export function contractText(contract: OdcsContract, format: 'yaml' | 'json', header?: string): string {
  return format === 'json' ? `${JSON.stringify(contract, null, 2)}\n` : toYaml(contract, header);
}

function resolvedMesh(mesh: ContractExportSource): { definition: MeshDefinition; contracts: Readonly<Record<string, ContractProductSpec>> } {
  if (mesh.resolved && mesh.contracts) return { definition: mesh.resolved, contracts: mesh.contracts };
  const remembered = rememberedResolution(mesh.definition);
  if (remembered) return remembered;
  if (!hasContractProducts(mesh.definition)) return { definition: mesh.definition, contracts: {} };
  return resolveContracts(mesh.definition, mesh.fileName ? path.dirname(mesh.fileName) : '.');
}

export function contractCommand(): Command {
  const exportCommand = new Command('export')
    .description('Write the ODCS v3.1.0 data contract of a product of the mesh (defined inline or by a contract): tables, classification, '
      + 'LF-tags, owner and contact, storage location, and for contract products their identity, quality rules and SLA.')
    .argument('<product>', 'the product, as <domain>.<product>')
    .argument('[file]', 'mesh definition', DEFAULT_MESH_FILE)
    .option('-o, --output <path>', 'write the contract to this file instead of stdout')
    .option('--json', 'write JSON instead of YAML')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .action((key: string, file: string, opts: { output?: string; json?: boolean }) => {
      const loaded = loadMeshDefinition(file);
      const text = contractText(productContract(loaded, key), opts.json ? 'json' : 'yaml',
        `ODCS v3.1.0 data contract of ${key}, written by cdk-data-mesh from ${file}`);
      if (opts.output === undefined) {
        process.stdout.write(text);
        return;
      }
      try {
        fs.writeFileSync(opts.output, text);
      } catch (e) {
        throw new CliError(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.ERROR);
      }
      process.stderr.write(`Wrote the contract of ${key} to ${opts.output}\n`);
    });
  return new Command('contract')
    .description('Data contracts (ODCS v3.1.0) of the products of a mesh: `contract export <domain>.<product>` writes one.')
    .addCommand(exportCommand);
}
