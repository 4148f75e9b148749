/**
 * Products of a mesh definition defined by ODCS data contracts (`contract: contracts/orders.odcs.yaml`): reads
 * each contract, maps it against the mesh's LF-tag ontology, and expands the product into a full
 * {@link ProductDefinition} (name, description, owner, contact, classification, tags and tables from the
 * contract; name, storage and catalogShard from the mesh when given).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { CLASSIFICATION_TAG_KEY, DEFAULT_CLASSIFICATION_VALUES, DOMAIN_TAG_KEY } from '../defaults';
import { DataMeshValidationError, formatProblem } from '../errors';
import { ContractProductSpec, mapContract } from '../contracts/map';
import { parseContract } from '../contracts/parse';
import type { ContractWarning } from '../contracts/warnings';
import type { TableSpec } from '../table-schema';
import type { MeshDefinition, ProductDefinition, TableDefinition } from './definition';

/** Warning ID of a contract whose `domain` is not the domain that publishes the product. */
export const CONTRACT_DOMAIN_DIFFERS = 'cdk-data-mesh:contract-domain-differs';

/** The ontology a contract is mapped against. */
export interface ContractOntology {
  /** `tags.classification` of the mesh, or the default values. */
  readonly classificationValues: readonly string[];
  /** The other LF-tag keys of the mesh (`domain` excluded) and their values. */
  readonly ontologyTags: Readonly<Record<string, readonly string[]>>;
}

/** A mesh definition with its contract products expanded. */
export interface ResolvedContracts {
  /** The definition with every contract product expanded into a full product (its `contract` kept). */
  readonly definition: MeshDefinition;
  /**
   * What each contract defines, by `<domain>.<product>`: besides the product fields, quality rulesets, SLA,
   * support addresses, database and column parameters, and the warnings of the contract.
   */
  readonly contracts: Readonly<Record<string, ContractProductSpec>>;
}

/** The outcome of reading one product's contract. */
export type ProductContractResult =
  | { readonly kind: 'ok'; readonly product: ProductDefinition; readonly spec: ContractProductSpec }
  /** The file could not be read; `file` is the path as resolved against the base folder. */
  | { readonly kind: 'unreadable'; readonly file: string; readonly reason: string }
  /** The contract is invalid: problems starting with `<contract file>:<line>:<col>`. */
  | { readonly kind: 'invalid'; readonly file: string; readonly problems: readonly string[] };

/** The ontology of a mesh definition as mapContract expects it. */
export function contractOntology(def: Pick<MeshDefinition, 'tags'>): ContractOntology {
  const tags = def.tags ?? {};
  const declared = tags[CLASSIFICATION_TAG_KEY];
  const classificationValues = declared && declared.length > 0 ? declared : DEFAULT_CLASSIFICATION_VALUES;
  const ontologyTags: Record<string, readonly string[]> = {};
  for (const [key, values] of Object.entries(tags)) {
    if (key !== CLASSIFICATION_TAG_KEY && key !== DOMAIN_TAG_KEY) ontologyTags[key] = values;
  }
  return { classificationValues, ontologyTags };
}

/** Where the contract of a product is: `contract` relative to `baseDir` (unless absolute). */
export function contractPath(contract: string, baseDir: string): string {
  return path.isAbsolute(contract) ? contract : path.join(baseDir, contract);
}

/**
 * Reads, validates and maps the contract of one product. `productName` (the mesh's `name`) overrides the
 * contract's product name. Never throws for a bad contract: the result says what went wrong.
 */
export function resolveProductContract(
  product: Pick<ProductDefinition, 'name' | 'contract' | 'storage' | 'catalogShard'>,
  domainName: string,
  baseDir: string,
  ontology: ContractOntology,
): ProductContractResult {
  const file = contractPath(product.contract ?? '', baseDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { kind: 'unreadable', file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  let spec: ContractProductSpec;
  try {
    const parsed = parseContract(text, file);
    spec = mapContract(parsed, { ...ontology, productName: product.name });
    if (spec.domain !== undefined && spec.domain !== domainName) {
      spec = {
        ...spec,
        warnings: [...spec.warnings, {
          id: CONTRACT_DOMAIN_DIFFERS,
          message: `${parsed.source.locate('domain')} \`domain\` names domain "${spec.domain}", but the product is published by domain "${domainName}". `
            + 'Move the product to that domain, or correct the domain of the contract.',
        }],
      };
    }
  } catch (e) {
    if (!DataMeshValidationError.isDataMeshValidationError(e)) throw e;
    return { kind: 'invalid', file, problems: e.problems };
  }
  return { kind: 'ok', product: expandProduct(product, spec), spec };
}

/**
 * The product a contract defines: description, owner, contact, classification, tags and tables from the
 * contract; `name` (else the contract's product name), `contract`, `storage` and `catalogShard` from the mesh.
 */
export function expandProduct(product: Pick<ProductDefinition, 'name' | 'contract' | 'storage' | 'catalogShard'>, spec: ContractProductSpec): ProductDefinition {
  return {
    name: product.name ?? spec.productName,
    ...(product.contract !== undefined ? { contract: product.contract } : {}),
    description: spec.description,
    owner: spec.owner,
    ...(spec.contact !== undefined ? { contact: spec.contact } : {}),
    ...(spec.classification !== undefined ? { classification: spec.classification } : {}),
    ...(Object.keys(spec.tags).length > 0 ? { tags: { ...spec.tags } } : {}),
    ...(product.storage !== undefined ? { storage: product.storage } : {}),
    ...(product.catalogShard !== undefined ? { catalogShard: product.catalogShard } : {}),
    tables: spec.tables.map(tableDefinition),
  };
}

/** A table of a contract as written in a mesh definition (its contract parameters stay in the spec). */
export function tableDefinition(t: TableSpec): TableDefinition {
  return {
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.format !== undefined ? { format: t.format as TableDefinition['format'] } : {}),
    ...(t.classification !== undefined ? { classification: t.classification } : {}),
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.comment !== undefined ? { comment: c.comment } : {}),
      ...(c.classification !== undefined ? { classification: c.classification } : {}),
    })),
    ...(t.partitionKeys !== undefined ? { partitionKeys: [...t.partitionKeys] } : {}),
    ...(t.projection !== undefined ? { projection: t.projection } : {}),
  };
}

/** Whether any product of the definition is defined by a contract. */
export function hasContractProducts(def: MeshDefinition): boolean {
  return def.domains.some((d) => (d.products ?? []).some((p) => p.contract !== undefined));
}

/**
 * Expands every contract product of `def`, reading contracts relative to `baseDir` (the folder of the mesh
 * file). Fields of a contract product that the contract defines are replaced by the contract's. Every problem
 * of every contract is thrown at once as one {@link DataMeshValidationError} (contract problems start with
 * `<contract file>:<line>:<col>`). Use the loader for the mesh's own rules on the expanded products.
 */
export function resolveContracts(def: MeshDefinition, baseDir: string): ResolvedContracts {
  const ontology = contractOntology(def);
  const problems: string[] = [];
  const contracts: Record<string, ContractProductSpec> = {};
  const domains = def.domains.map((d, i) => {
    if (!(d.products ?? []).some((p) => p.contract !== undefined)) return d;
    const products = (d.products ?? []).map((p, j) => {
      if (p.contract === undefined) return p;
      const r = resolveProductContract(p, d.name, baseDir, ontology);
      switch (r.kind) {
        case 'ok':
          contracts[`${d.name}.${r.product.name}`] = r.spec;
          return r.product;
        case 'unreadable':
          problems.push(formatProblem(unreadableContractProblem(`domains[${i}].products[${j}].contract`, p.contract, r, baseDir)));
          return p;
        case 'invalid':
          problems.push(...r.problems);
          return p;
      }
    });
    return { ...d, products };
  });
  if (problems.length > 0) throw new DataMeshValidationError(`contracts of mesh ${def.name}`, problems);
  return { definition: { ...def, domains }, contracts };
}

/** The problem of a contract file that cannot be read. */
export function unreadableContractProblem(field: string, written: string, r: { file: string; reason: string }, baseDir: string): {
  field: string; rule: string; got: unknown; fix: string;
} {
  return {
    field,
    rule: `must name a readable ODCS data contract file (${r.reason} reading ${r.file})`,
    got: written,
    fix: `Check the path: it is relative to the folder of the mesh file (${baseDir}), e.g. contract: contracts/orders.odcs.yaml.`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Definitions returned by the loader remember their resolution, so that a DataMesh built from
// `loaded.definition` alone reads the contracts from the mesh file's folder rather than the working directory.

const RESOLUTIONS = new WeakMap<MeshDefinition, ResolvedContracts>();

/** @internal */
export function rememberResolution(def: MeshDefinition, resolution: ResolvedContracts): void {
  RESOLUTIONS.set(def, resolution);
}

/** @internal The resolution the loader found for a definition it returned. */
export function rememberedResolution(def: MeshDefinition): ResolvedContracts | undefined {
  return RESOLUTIONS.get(def);
}

/** Warnings of the contracts of a resolution, each once. */
export function contractWarnings(contracts: Readonly<Record<string, ContractProductSpec>>): ContractWarning[] {
  const seen = new Set<string>();
  const out: ContractWarning[] = [];
  for (const key of Object.keys(contracts).sort()) {
    for (const w of contracts[key].warnings) {
      const k = `${w.id}\n${w.message}`;
      if (!seen.has(k)) out.push(w);
      seen.add(k);
    }
  }
  return out;
}
