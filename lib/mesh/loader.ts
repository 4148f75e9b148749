import { readInputFile } from '../read-input';
import * as path from 'path';
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  ATHENA_MAX_WORKGROUPS_PER_ACCOUNT, CFN_MAX_VALUES_PER_TAG_RESOURCE, CLASSIFICATION_TAG_KEY, DEFAULT_CLASSIFICATION_VALUES,
  DEFAULT_CROSS_ACCOUNT_VERSION, DEFAULT_PRODUCT_CLASSIFICATION, DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION, DOMAIN_TAG_KEY,
  LF_MAX_EXPRESSION_CONDITIONS, LF_MAX_TAGS_PER_RESOURCE, LF_MAX_VALUES_PER_TAG, SUPPORTED_CROSS_ACCOUNT_VERSIONS,
} from '../defaults';
import { DataMeshValidationError, formatProblem, Problem, ProblemCollector } from '../errors';
import {
  domainBucketName, domainRoleName, productBucketName, productDatabaseName, validateBucketName,
  validateLfTagString, validateMeshName, validateName, validateRoleName,
} from '../naming';
import { PartitionProjection, TableSpec, validateClassification, validateTable } from '../table-schema';
import { suggest } from '../suggest';
import { validateCutoff } from '../validation';
import type { ContractProductSpec } from '../contracts/map';
import {
  contractOntology, ContractOntology, contractWarnings, ProductContractResult, rememberResolution, resolveProductContract, unreadableContractProblem,
} from './contracts';
import type {
  AccountRegion, ColumnDefinition, DomainDefaults, DomainDefinition, LakeFormationDefinition, MeshDefinition, ProductDefinition,
  SubscriptionDefinition, TableDefinition,
} from './definition';
import { reachedProducts, resolveSubscriptions, subscriptionId } from './subscriptions';

/** The file the mesh app reads when no `-c mesh=<path>` is given. */
export const DEFAULT_MESH_FILE = 'mesh.yaml';

/** A finding that does not stop synthesis; the ID lets users acknowledge it. */
export interface MeshWarning {
  /** `cdk-data-mesh:<id>`, e.g. `cdk-data-mesh:subscription-matches-nothing`. */
  readonly id: string;
  /** Starts with `<file>:<line>:<col>`. */
  readonly message: string;
}

/** A validated mesh definition and what was found about it. */
export interface LoadedMesh {
  /** The parsed definition, exactly as written (no defaults filled in; contract products as written). */
  readonly definition: MeshDefinition;
  /**
   * The definition with every contract product expanded into a full product (name, description, owner,
   * contact, classification, tags and tables from its contract; `contract` kept). Equal to `definition` when
   * no product has a contract.
   */
  readonly resolved: MeshDefinition;
  /** What each contract defines (quality, SLA, support, parameters...), by `<domain>.<product>`. */
  readonly contracts: Readonly<Record<string, ContractProductSpec>>;
  /** Warnings of the mesh, then of its contracts (these start with `<contract file>:<line>:<col>`). */
  readonly warnings: readonly MeshWarning[];
  readonly fileName: string;
}

/** Options of {@link parseMeshDefinition}. */
export interface ParseMeshOptions {
  /** Folder that `contract` paths are relative to. @default - the folder of `fileName` */
  readonly baseDir?: string;
}

export const SUBSCRIPTION_MATCHES_NOTHING = 'cdk-data-mesh:subscription-matches-nothing';
export const SUBSCRIPTION_ANY_CLASSIFICATION = 'cdk-data-mesh:subscription-any-classification';

/** Reads and validates a mesh definition file. */
export function loadMeshDefinition(path: string): LoadedMesh {
  const text = readInputFile(path, {
    field: 'mesh', what: 'mesh definition',
    fix: `Create ${DEFAULT_MESH_FILE} next to cdk.json, or point to your file with \`cdk synth -c mesh=path/to/mesh.yaml\`.`,
  });
  return parseMeshDefinition(text, path);
}

/**
 * Parses and validates the text of a mesh definition, and the contracts of its contract products. Every problem
 * is collected and thrown at once as a {@link DataMeshValidationError}; each problem starts with
 * `<fileName>:<line>:<col>`, or `<contract file>:<line>:<col>` for problems inside a contract.
 */
export function parseMeshDefinition(text: string, fileName: string, options: ParseMeshOptions = {}): LoadedMesh {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: true });
  const report = new Report();

  if (doc.errors.length > 0) {
    // The document's structure is unreliable after a syntax error: report only those.
    for (const e of doc.errors) report.addYamlProblem(text, lineCounter, e.pos[0], 'has a YAML syntax error', e.message);
    return report.throwAll(fileName, lineCounter);
  }
  for (const w of doc.warnings) report.addYamlProblem(text, lineCounter, w.pos[0], 'has a YAML problem', w.message);

  const plain = new YamlWalker(doc, report, lineCounter).root();
  let root: Record<string, unknown> | undefined;
  let contractResults = new Map<string, ProductContractResult>();
  if (!isPlainObject(plain)) {
    report.structural(ROOT_FIELD, 'must be a map holding the mesh definition (name, governance, domains, ...)', plain ?? undefined,
      'Write the mesh definition as YAML keys, e.g. "name: acme" on the first line.');
  } else {
    root = plain;
    const sanitized = checkObject(plain, 'mesh', '', report);
    const written: Written = {
      written: (field) => report.index.has(field),
      broken: (field) => report.badFields.has(field),
      brokenUnder: (field) => [...report.badFields].some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)),
    };
    // Contract products are validated expanded: the mesh's rules apply to what their contracts define.
    const expanded = resolveContractProducts(sanitized as Loose<MeshDefinition>, report, options.baseDir ?? path.dirname(fileName), written);
    contractResults = expanded.results;
    validateMesh(expanded.mesh, report.semantics, written);
  }
  if (report.hasProblems) return report.throwAll(fileName, lineCounter);

  const definition = root as unknown as MeshDefinition;
  const { resolved, contracts } = resolvedDefinition(definition, contractResults);
  // A DataMesh given either definition alone reads the contracts from the mesh file's folder, not the working directory.
  rememberResolution(definition, { definition: resolved, contracts });
  rememberResolution(resolved, { definition: resolved, contracts });
  const warnings = [...meshWarnings(resolved, fileName, report, lineCounter), ...contractWarnings(contracts)];
  return { definition, resolved, contracts, warnings, fileName };
}

/** The definition as written with its contract products replaced by their expansion. */
function resolvedDefinition(definition: MeshDefinition, results: ReadonlyMap<string, ProductContractResult>): {
  resolved: MeshDefinition; contracts: Record<string, ContractProductSpec>;
} {
  if (results.size === 0) return { resolved: definition, contracts: {} };
  const contracts: Record<string, ContractProductSpec> = {};
  const domains = definition.domains.map((d, i) => {
    if (!(d.products ?? []).some((_, j) => results.has(`${i}.${j}`))) return d;
    return {
      ...d,
      products: (d.products ?? []).map((p, j) => {
        const r = results.get(`${i}.${j}`);
        if (r?.kind !== 'ok') return p;
        contracts[`${d.name}.${r.product.name}`] = r.spec;
        return r.product;
      }),
    };
  });
  return { resolved: { ...definition, domains }, contracts };
}

// ---------------------------------------------------------------------------------------------------------
// The allowed keys of every map of the file: one table, checked against definition.ts by the compiler
// (every key present, no extra key, `required` matching the optionality of the field).

type SchemaName = 'mesh' | 'governance' | 'lakeFormation' | 'defaults' | 'domain' | 'product' | 'table' | 'column' | 'subscription' | 'projection';
type ValueType =
  | 'string' | 'account' | 'number' | 'boolean' | 'string[]' | 'map<string>' | 'map<string[]>' | 'map<projection>'
  | Exclude<SchemaName, 'projection'> | `${Exclude<SchemaName, 'projection' | 'mesh'>}[]`;

interface FieldSpec<Required extends boolean = boolean> {
  readonly type: ValueType;
  readonly required: Required;
  /** Shown in "how to fix". */
  readonly example: string;
  /** Products: required unless the product has a `contract` (then `required` is false). */
  readonly requiredWithoutContract?: true;
  /** Products: defined by the contract, so not allowed next to `contract`. */
  readonly fromContract?: true;
}

/** Exactly the keys of T, with `required: true` exactly for its required keys. */
type Fields<T> = { readonly [K in keyof T]-?: FieldSpec<object extends Pick<T, K> ? false : true> };

const ACCOUNT: FieldSpec<true> = { type: 'account', required: true, example: 'account: "123456789012"' };
const REGION: FieldSpec<true> = { type: 'string', required: true, example: 'region: eu-west-1' };
const CUTOFF: FieldSpec<false> = { type: 'number', required: false, example: 'bytesScannedCutoffPerQuery: 10737418240' };
const QUERY_MAX: FieldSpec<false> = { type: 'string', required: false, example: 'queryRoleMaxClassification: confidential' };
const CLASSIFICATION: FieldSpec<false> = { type: 'string', required: false, example: 'classification: internal' };

const MESH_FIELDS: Fields<MeshDefinition> = {
  name: { type: 'string', required: true, example: 'name: acme' },
  governance: { type: 'governance', required: true, example: 'governance: { account: "123456789012", region: eu-west-1 }' },
  sharedOrganization: { type: 'boolean', required: false, example: 'sharedOrganization: true' },
  lakeFormation: { type: 'lakeFormation', required: false, example: 'lakeFormation: { crossAccountVersion: 4 }' },
  tags: { type: 'map<string[]>', required: false, example: 'tags: { cost_center: [finance, marketing] }' },
  defaults: { type: 'defaults', required: false, example: 'defaults: { bytesScannedCutoffPerQuery: 10737418240 }' },
  domains: { type: 'domain[]', required: true, example: 'domains: [{ name: sales, role: producer, account: "123456789012", region: eu-west-1 }]' },
  subscriptions: { type: 'subscription[]', required: false, example: 'subscriptions: [{ consumer: marketing, products: [sales.orders] }]' },
};
const GOVERNANCE_FIELDS: Fields<AccountRegion> = { account: ACCOUNT, region: REGION };
const LAKE_FORMATION_FIELDS: Fields<LakeFormationDefinition> = {
  crossAccountVersion: { type: 'number', required: false, example: `crossAccountVersion: ${DEFAULT_CROSS_ACCOUNT_VERSION}` },
  adminRoleNames: { type: 'string[]', required: false, example: 'adminRoleNames: [break-glass-admin]' },
};
const DEFAULTS_FIELDS: Fields<DomainDefaults> = { bytesScannedCutoffPerQuery: CUTOFF, queryRoleMaxClassification: QUERY_MAX };
const DOMAIN_FIELDS: Fields<DomainDefinition> = {
  name: { type: 'string', required: true, example: 'name: sales' },
  role: { type: 'string', required: true, example: 'role: producer' },
  account: ACCOUNT,
  region: REGION,
  description: { type: 'string', required: false, example: 'description: Orders and customers' },
  bytesScannedCutoffPerQuery: CUTOFF,
  queryRoleMaxClassification: QUERY_MAX,
  products: { type: 'product[]', required: false, example: 'products: [{ name: orders, ... }]' },
};
const PRODUCT_FIELDS: Fields<ProductDefinition> = {
  name: { type: 'string', required: false, requiredWithoutContract: true, example: 'name: orders' },
  contract: { type: 'string', required: false, example: 'contract: contracts/orders.odcs.yaml' },
  description: { type: 'string', required: false, requiredWithoutContract: true, fromContract: true, example: 'description: Every order placed in the web shop' },
  owner: { type: 'string', required: false, requiredWithoutContract: true, fromContract: true, example: 'owner: sales-data-team' },
  contact: { type: 'string', required: false, fromContract: true, example: 'contact: sales-data@example.com' },
  classification: { ...CLASSIFICATION, fromContract: true },
  tags: { type: 'map<string>', required: false, fromContract: true, example: 'tags: { cost_center: finance }' },
  storage: { type: 'string', required: false, example: 'storage: bucket' },
  catalogShard: { type: 'number', required: false, example: 'catalogShard: 2' },
  tables: {
    type: 'table[]', required: false, requiredWithoutContract: true, fromContract: true, example: 'tables: [{ name: orders, columns: [{ name: id, type: string }] }]',
  },
};
/** What the contract of a product defines, for the "comes from the contract" message. */
const FROM_CONTRACT: Readonly<Record<string, string>> = {
  description: 'description.purpose', owner: 'the team member with role owner', contact: 'support or the custom property contact',
  classification: 'the tag classification:<value>', tags: 'its key:value tags', tables: 'its schema',
};
const TABLE_FIELDS: Fields<TableDefinition> = {
  name: { type: 'string', required: true, example: 'name: orders' },
  description: { type: 'string', required: false, example: 'description: One row per order' },
  format: { type: 'string', required: false, example: 'format: parquet' },
  classification: CLASSIFICATION,
  columns: { type: 'column[]', required: true, example: 'columns: [{ name: id, type: string }]' },
  partitionKeys: { type: 'string[]', required: false, example: 'partitionKeys: [dt]' },
  projection: { type: 'map<projection>', required: false, example: 'projection: { dt: { type: date, range: "NOW-3YEARS,NOW", format: yyyy-MM-dd } }' },
};
const COLUMN_FIELDS: Fields<ColumnDefinition> = {
  name: { type: 'string', required: true, example: 'name: order_id' },
  type: { type: 'string', required: true, example: 'type: string' },
  comment: { type: 'string', required: false, example: 'comment: Unique ID of the order' },
  classification: CLASSIFICATION,
};
const SUBSCRIPTION_FIELDS: Fields<SubscriptionDefinition> = {
  consumer: { type: 'string', required: true, example: 'consumer: marketing' },
  name: { type: 'string', required: false, example: 'name: sales-orders' },
  expression: { type: 'map<string[]>', required: false, example: 'expression: { domain: [sales], classification: [public, internal] }' },
  products: { type: 'string[]', required: false, example: 'products: [sales.orders]' },
  maxClassification: { type: 'string', required: false, example: 'maxClassification: internal' },
  grantToAccount: { type: 'boolean', required: false, example: 'grantToAccount: true' },
};
const PROJECTION_TYPE: FieldSpec<true> = { type: 'string', required: true, example: 'type: date' };
const PROJECTION_RANGE: FieldSpec<true> = { type: 'string', required: true, example: 'range: "NOW-3YEARS,NOW"' };
const PROJECTION_FIELDS: { readonly [T in PartitionProjection['type']]: Fields<Extract<PartitionProjection, { type: T }>> } = {
  date: {
    type: PROJECTION_TYPE,
    range: PROJECTION_RANGE,
    format: { type: 'string', required: true, example: 'format: yyyy-MM-dd' },
    interval: { type: 'number', required: false, example: 'interval: 1' },
    unit: { type: 'string', required: false, example: 'unit: DAYS' },
  },
  integer: { type: PROJECTION_TYPE, range: { ...PROJECTION_RANGE, example: 'range: "0,100"' }, digits: { type: 'number', required: false, example: 'digits: 2' } },
  enum: { type: PROJECTION_TYPE, values: { type: 'string[]', required: true, example: 'values: [eu, us]' } },
  injected: { type: PROJECTION_TYPE },
};

const SCHEMAS: Readonly<Record<Exclude<SchemaName, 'projection'>, { readonly noun: string; readonly fields: Readonly<Record<string, FieldSpec>> }>> = {
  mesh: { noun: 'the mesh', fields: MESH_FIELDS },
  governance: { noun: 'governance', fields: GOVERNANCE_FIELDS },
  lakeFormation: { noun: 'lakeFormation', fields: LAKE_FORMATION_FIELDS },
  defaults: { noun: 'defaults', fields: DEFAULTS_FIELDS },
  domain: { noun: 'a domain', fields: DOMAIN_FIELDS },
  product: { noun: 'a product', fields: PRODUCT_FIELDS },
  table: { noun: 'a table', fields: TABLE_FIELDS },
  column: { noun: 'a column', fields: COLUMN_FIELDS },
  subscription: { noun: 'a subscription', fields: SUBSCRIPTION_FIELDS },
};

const DOMAIN_ROLES: readonly DomainDefinition['role'][] = ['producer', 'consumer', 'both'];
const PRODUCT_STORAGES: readonly NonNullable<ProductDefinition['storage']>[] = ['bucket', 'domain-prefix'];
const PROJECTION_UNITS: readonly string[] = ['YEARS', 'MONTHS', 'WEEKS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS'];
const ACCOUNT_PATTERN = /^\d{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const IAM_ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
/** Field name used for problems about the document as a whole. */
const ROOT_FIELD = '(root)';
const YAML_FIELD = '(yaml)';
const MAX_DEPTH = 64;
const MAX_ALIAS_EXPANSIONS = 1000;

function schemaFields(schema: SchemaName, value: Record<string, unknown>): { noun: string; fields: Readonly<Record<string, FieldSpec>> } {
  if (schema !== 'projection') return SCHEMAS[schema];
  const type = value.type;
  if (typeof type === 'string' && hasOwn(PROJECTION_FIELDS, type)) {
    return { noun: `a ${type} projection`, fields: PROJECTION_FIELDS[type as PartitionProjection['type']] };
  }
  return { noun: 'a projection', fields: ANY_PROJECTION_FIELDS };
}

/** For a projection of unknown type (reported by validateTable): the keys of any type, only `type` required. */
const ANY_PROJECTION_FIELDS: Readonly<Record<string, FieldSpec>> = Object.fromEntries(Object.values(PROJECTION_FIELDS)
  .flatMap((fields) => Object.entries(fields as Readonly<Record<string, FieldSpec>>))
  .map(([key, spec]) => [key, key === 'type' ? spec : { ...spec, required: false }]));

// ---------------------------------------------------------------------------------------------------------
// Problems and their positions

type Loose<T> = T extends readonly (infer U)[] ? readonly Loose<U>[] : T extends object ? { readonly [K in keyof T]?: Loose<T[K]> } : T;

interface Located {
  readonly key?: { readonly range?: readonly number[] | null };
  readonly value?: { readonly range?: readonly number[] | null } | null;
}

class Report {
  /** Type, key and YAML problems. */
  public readonly structure = new ProblemCollector();
  /** Rule problems; dropped when they concern a field that already has a structural problem. */
  public readonly semantics = new ProblemCollector();
  /** Fields with a structural problem (missing or wrongly typed). */
  public readonly badFields = new Set<string>();
  /** Problems positioned explicitly (YAML errors, keys) rather than by their field. */
  public readonly offsets = new Map<Problem, number>();
  /** Field path → YAML nodes. */
  public readonly index = new Map<string, Located>();
  /** Fields whose value could not be read (bad alias, too deep): already reported, so no type problem either. */
  public readonly unreadable = new Set<string>();
  /** Problems of other files (contracts), positioned in those; sorted in at `offset` of this file. */
  public readonly external: { readonly line: string; readonly offset: number }[] = [];

  public structural(field: string, rule: string, got: unknown, fix: string, offset?: number): void {
    this.structure.add(field === '' ? ROOT_FIELD : field, rule, got, fix);
    this.badFields.add(field);
    if (offset !== undefined) this.offsets.set(this.structure.list[this.structure.list.length - 1], offset);
  }

  /** A wrong type, unless the value was unreadable in the first place. */
  public wrongType(field: string, rule: string, got: unknown, fix: string): void {
    if (!this.unreadable.has(field)) this.structural(field, rule, got, fix);
  }

  public addYamlProblem(text: string, lc: LineCounter, offset: number, rule: string, message: string): void {
    const what = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const { line } = lc.linePos(offset);
    const start = lc.lineStarts[line - 1] ?? 0;
    const end = text.indexOf('\n', start);
    const source = text.slice(start, end < 0 ? undefined : end).trim();
    this.structural(YAML_FIELD, `${rule}: ${what}`, source, 'Fix the YAML at this position (indentation, quotes, brackets, colons).', offset);
  }

  public get hasProblems(): boolean {
    return !this.structure.empty || this.relevantSemantics().length > 0 || this.external.length > 0;
  }

  /** Position of a field: its value node, or the nearest existing parent when it is missing. */
  public offsetOf(field: string, atKey = false): number {
    let path = field;
    for (;;) {
      const e = this.index.get(path);
      const node = e && (atKey && e.key ? e.key : e.value ?? e.key);
      if (node?.range) return node.range[0];
      if (path === '') return 0;
      path = parentPath(path);
    }
  }

  public throwAll(fileName: string, lc: LineCounter): never {
    // Fields built by shared validators from user keys may contain backticks, which would end the field early.
    const shown = (p: Problem): Problem => ({ ...p, field: p.field.replace(/`/g, '\\u0060') });
    const all = [
      ...[...this.structure.list, ...this.relevantSemantics()].map((p) => {
        const offset = this.offsets.get(p) ?? this.offsetOf(p.field);
        return { offset, line: `${fileName}:${position(lc, offset)} ${formatProblem(shown(p))}` };
      }),
      ...this.external,
    ].map((x, i) => ({ ...x, i })).sort((a, b) => a.offset - b.offset || a.i - b.i);
    throw new DataMeshValidationError(fileName, all.map((x) => x.line));
  }

  private relevantSemantics(): Problem[] {
    return this.semantics.list.filter((p) => !this.underBadField(p.field));
  }

  private underBadField(field: string): boolean {
    for (let path = field; ; path = parentPath(path)) {
      if (this.badFields.has(path)) return true;
      if (path === '') return false;
    }
  }
}

function position(lc: LineCounter, offset: number): string {
  const { line, col } = lc.linePos(offset);
  return `${line}:${col}`;
}

/** `a.b[2].c` → `a.b[2]` → `a.b` → `a` → ``. */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** Field path of a map key; keys that would make the path unreadable (empty, spaces, brackets, backticks) are quoted. */
function childPath(parent: string, key: string): string {
  const shown = key === '' || /[\s`"[\]]/.test(key) ? JSON.stringify(key).replace(/`/g, '\\u0060') : key;
  return parent === '' ? shown : `${parent}.${shown}`;
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Sets a property even when the key is `__proto__`. */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---------------------------------------------------------------------------------------------------------
// YAML document → plain values, recording the node of every field path and reporting repeated keys.

const UNREADABLE = Symbol('unreadable');

class YamlWalker {
  private aliasExpansions = 0;
  private readonly ancestors = new Set<unknown>();

  constructor(private readonly doc: Document, private readonly report: Report, private readonly lineCounter: LineCounter) {}

  public root(): unknown {
    this.report.index.set('', { value: this.doc.contents as Located['value'] });
    return this.convert(this.doc.contents, '', 0);
  }

  private convert(node: unknown, path: string, depth: number): unknown {
    const value = this.convertNode(node, path, depth);
    return value === UNREADABLE ? (this.report.unreadable.add(path), null) : value;
  }

  private convertNode(node: unknown, path: string, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) {
      this.report.structural(path, `must not nest deeper than ${MAX_DEPTH} levels`, '...', 'Flatten the YAML; no mesh field nests that deep.');
      return UNREADABLE;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.report.structural(path, 'must refer to an anchor defined earlier', `*${node.source}`, `Define &${node.source} before using it, or write the value out.`);
        return UNREADABLE;
      }
      if (this.ancestors.has(target)) {
        this.report.structural(path, 'must not contain itself through a YAML alias', `*${node.source}`, 'Write the value out instead of using the alias.');
        return UNREADABLE;
      }
      if (++this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        if (this.aliasExpansions === MAX_ALIAS_EXPANSIONS + 1) {
          this.report.structural(path, `must not expand more than ${MAX_ALIAS_EXPANSIONS} YAML aliases in one file`, `*${node.source}`,
            'Write the values out; a mesh definition does not need nested aliases.');
        }
        return UNREADABLE;
      }
      return this.convert(target, path, depth + 1);
    }
    if (isScalar(node)) return node.value;
    this.ancestors.add(node);
    try {
      if (isSeq(node)) {
        return node.items.map((item, i) => {
          const p = `${path}[${i}]`;
          this.report.index.set(p, { value: item as Located['value'] });
          return this.convert(item, p, depth + 1);
        });
      }
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const firstKeys = new Map<string, Located['key']>();
        for (const pair of node.items) {
          const keyNode = pair.key as Located['key'] & object | null;
          if (!isScalar(pair.key)) {
            this.report.structural(childPath(path, String(pair.key)), 'must be a plain text key', String(pair.key),
              'Replace the complex key with a plain name.', (keyNode?.range ?? [0])[0]);
            continue;
          }
          const key = String(pair.key.value);
          const p = childPath(path, key);
          const first = firstKeys.get(key);
          if (first) {
            const at = first.range ? this.lineColOf(first.range[0]) : 'earlier';
            this.report.structural(p, `must appear only once in its map (first at ${at})`, key,
              'Remove or merge the repeated key.', pair.key.range?.[0]);
            continue;
          }
          firstKeys.set(key, keyNode ?? undefined);
          this.report.index.set(p, { key: keyNode ?? undefined, value: pair.value as Located['value'] });
          define(out, key, this.convert(pair.value, p, depth + 1));
        }
        return out;
      }
      return null;
    } finally {
      this.ancestors.delete(node);
    }
  }

  private lineColOf(offset: number): string {
    const { line, col } = this.lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Structure: allowed keys, required keys and value types. Returns a copy without the offending values
// (lists keep their length, with placeholders) so that the rules below can run on everything else.

const INVALID = Symbol('invalid');
/** Stands in for a wrongly typed list item; never reported (its field has a structural problem). */
const PLACEHOLDER = '\u0000invalid';

function isPlaceholder(v: unknown): boolean {
  return v === PLACEHOLDER;
}

function checkObject(value: Record<string, unknown>, schema: SchemaName, path: string, r: Report): Record<string, unknown> {
  const { noun, fields } = schemaFields(schema, value);
  const allowed = Object.keys(fields);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (hasOwn(fields, key)) continue;
    const field = childPath(path, key);
    const suggestion = suggestKey(key, allowed);
    r.structural(field, `is not a field of ${noun} (allowed: ${allowed.join(', ')})`, key,
      suggestion ? `Did you mean "${suggestion}"?` : 'Remove it or correct its name.', r.offsetOf(field, true));
  }
  const hasContract = schema === 'product' && hasOwn(value, 'contract');
  for (const [key, spec] of Object.entries(fields)) {
    const field = childPath(path, key);
    if (!hasOwn(value, key)) {
      if (spec.required || (spec.requiredWithoutContract && !hasContract)) r.structural(field, `is required in ${noun}`, undefined, `Add it, e.g. ${spec.example}.`);
      continue;
    }
    if (hasContract && spec.fromContract) {
      const contract = typeof value.contract === 'string' ? ` (${value.contract})` : '';
      r.structural(field, `comes from the contract${contract} and must not be given with contract`, value[key],
        `Remove it: the contract defines it with ${FROM_CONTRACT[key]}. Or remove contract to define the product here.`, r.offsetOf(field, true));
      continue;
    }
    const checked = checkValue(value[key], spec, field, r);
    if (checked !== INVALID) define(out, key, checked);
  }
  return out;
}

function checkValue(v: unknown, spec: FieldSpec, field: string, r: Report): unknown {
  const type = spec.type;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : wrongType(r, field, 'a string', v, stringFix(v, spec.example));
    case 'account':
      return typeof v === 'string' ? v : wrongAccount(r, field, v);
    case 'number':
      return typeof v === 'number' ? v : wrongType(r, field, 'a number', v,
        typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? 'Remove the quotes around the number.' : `Write a number, e.g. ${spec.example}.`);
    case 'boolean':
      return typeof v === 'boolean' ? v : wrongType(r, field, 'true or false', v,
        typeof v === 'string' && /^(true|false)$/i.test(v) ? 'Write true or false without quotes.' : `Write true or false, e.g. ${spec.example}.`);
    case 'string[]':
      return checkList(v, field, spec, r, (item, p) => (typeof item === 'string' ? item : wrongItem(r, p, 'a string', item, stringFix(item, spec.example))));
    case 'map<string>':
    case 'map<string[]>':
    case 'map<projection>':
      return checkMap(v, field, spec, r, (item, p) => {
        if (type === 'map<string>') return typeof item === 'string' ? item : wrongType(r, p, 'a string', item, stringFix(item, spec.example));
        if (type === 'map<string[]>') return checkList(item, p, spec, r, (x, q) => (typeof x === 'string' ? x : wrongItem(r, q, 'a string', x, stringFix(x, spec.example))));
        return isPlainObject(item) ? checkObject(item, 'projection', p, r) : wrongType(r, p, 'a map (one partition projection)', item, `Write key: value pairs, e.g. ${spec.example}.`);
      });
    default: {
      if (type.endsWith('[]')) {
        const schema = type.slice(0, -2) as Exclude<SchemaName, 'projection'>;
        return checkList(v, field, spec, r, (item, p) => (isPlainObject(item)
          ? checkObject(item, schema, p, r)
          : wrongItem(r, p, `a map (${SCHEMAS[schema].noun})`, item, `Write the item as key: value pairs, e.g. ${spec.example}.`, {})));
      }
      const schema = type as Exclude<SchemaName, 'projection'>;
      return isPlainObject(v) ? checkObject(v, schema, field, r) : wrongType(r, field, 'a map of key: value pairs', v, `Write key: value pairs, e.g. ${spec.example}.`);
    }
  }
}

function checkList(v: unknown, field: string, spec: FieldSpec, r: Report, item: (x: unknown, p: string) => unknown): unknown {
  if (!Array.isArray(v)) return wrongType(r, field, 'a list', v, `Write a YAML list, e.g. ${spec.example}.`);
  return v.map((x, i) => item(x, `${field}[${i}]`));
}

function checkMap(v: unknown, field: string, spec: FieldSpec, r: Report, value: (x: unknown, p: string) => unknown): unknown {
  if (!isPlainObject(v)) return wrongType(r, field, 'a map of key: value pairs', v, `Write key: value pairs, e.g. ${spec.example}.`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const checked = value(x, childPath(field, k));
    if (checked !== INVALID) define(out, k, checked);
  }
  return out;
}

function wrongType(r: Report, field: string, expected: string, got: unknown, fix: string): typeof INVALID {
  r.wrongType(field, `must be ${expected}`, got, fix);
  return INVALID;
}

/** A wrong list item keeps its place (so that the indexes of the others stay right). */
function wrongItem(r: Report, field: string, expected: string, got: unknown, fix: string, placeholder: unknown = PLACEHOLDER): unknown {
  r.wrongType(field, `must be ${expected}`, got, fix);
  return placeholder;
}

function wrongAccount(r: Report, field: string, v: unknown): typeof INVALID {
  if (typeof v === 'number') {
    const source = (r.index.get(field)?.value as { source?: unknown } | undefined)?.source;
    const digits = typeof source === 'string' && /^\d+$/.test(source) ? source : String(v);
    r.wrongType(field, 'must be a 12-digit AWS account ID written as a quoted string (YAML read a number)', v,
      `Quote the ID in YAML, e.g. account: "${/^\d{12}$/.test(digits) ? digits : '123456789012'}" (unquoted, YAML reads a number and drops leading zeros).`);
  } else {
    r.wrongType(field, 'must be a 12-digit AWS account ID', v, 'Quote the ID in YAML, e.g. account: "123456789012".');
  }
  return INVALID;
}

function stringFix(v: unknown, example: string): string {
  if (typeof v === 'number' || typeof v === 'boolean') return `Quote the value in YAML, e.g. "${String(v)}".`;
  if (v === null) return `Give it a value, e.g. ${example}.`;
  return `Write it as text, e.g. ${example}.`;
}

/** The closest allowed key: edit distance ≤ 2, or one is a prefix of the other. */
function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  return suggest(key, allowed, 2);
}

// ---------------------------------------------------------------------------------------------------------
// Rules. They run on the structurally checked copy; fields are relative to the root of the file.

/** Lake Formation: values of one key in an LF-tag expression (`LFTagPair.TagValues`). */
const LF_MAX_EXPRESSION_VALUES = 50;
/** Prefixes S3 reserves; a mesh name starting with one makes every bucket name invalid. */

interface Ontology {
  /** Values of the `classification` key, least to most sensitive. */
  readonly classification: readonly string[];
  /** Declared keys (classification included, domain excluded) → allowed values. */
  readonly declared: ReadonlyMap<string, readonly string[]>;
  /** Every key, `domain` included, sorted. */
  readonly keys: readonly string[];
  /** False when part of the ontology is unreadable: uses of unknown keys or values are then not reported. */
  readonly complete: boolean;
  /** False when `tags.classification` is unreadable: classification values are then not checked. */
  readonly classificationKnown: boolean;
}

type Mesh = Loose<MeshDefinition>;

/** What the rules may ask about the file as written. */
interface Written {
  /** Whether the field is in the file (even with a wrong type). */
  written(field: string): boolean;
  /** Whether the field has a structural problem (missing, wrong type); rules depending on it stay silent. */
  broken(field: string): boolean;
  /** Whether the field or anything in it has a structural problem. */
  brokenUnder(field: string): boolean;
}
type Domain = Loose<DomainDefinition>;

function validateMesh(m: Mesh, c: ProblemCollector, w: Written): void {
  validateMeshName(c, 'name', m.name);
  validateAccountRegion(c, 'governance', m.governance);
  validateLakeFormation(c, m.lakeFormation);
  const ontology = validateOntology(c, m, w);
  validateDefaults(c, m, ontology);
  validateDomains(c, m, ontology, w);
  validatePhysicalNames(c, m);
  validateSubscriptions(c, m, ontology, w);
}

/** Stands in for a product name the mesh gives but that is invalid (reported by the mesh rules, not the contract's). */
const PLACEHOLDER_PRODUCT_NAME = 'contract_product';

/**
 * Reads the contract of every contract product and returns the mesh with those products expanded, for the mesh
 * rules to check. Problems inside a contract are positioned in the contract file and sorted in at the product's
 * `contract`; an unreadable file is a problem of `contract`. Products whose contract fails stay as written, and
 * without a name of their own the rules on their name stay silent. Results are keyed `<domain index>.<product index>`.
 */
function resolveContractProducts(m: Mesh, r: Report, baseDir: string, w: Written): { mesh: Mesh; results: Map<string, ProductContractResult> } {
  const results = new Map<string, ProductContractResult>();
  // An unreadable ontology would make every classification and tag of the contracts look wrong.
  const ontology: ContractOntology | undefined = w.brokenUnder('tags') ? undefined : contractOntology({
    tags: Object.fromEntries(Object.entries(m.tags ?? {}).map(([k, v]) => [k, (v ?? []).filter((x) => !isPlaceholder(x))])),
  });
  const domains = (m.domains ?? []).map((d, i) => {
    if (!(d.products ?? []).some((_, j) => w.written(`domains[${i}].products[${j}].contract`))) return d;
    const products = (d.products ?? []).map((prod, j) => {
      const p = `domains[${i}].products[${j}]`;
      if (!w.written(`${p}.contract`)) return prod;
      const expanded = resolveOne(prod, p, typeof d.name === 'string' ? d.name : '', ontology);
      if (!expanded && prod.name === undefined) r.badFields.add(`${p}.name`);
      return expanded ?? prod;
    });
    return { ...d, products };
  });

  function resolveOne(prod: Loose<ProductDefinition>, p: string, domainName: string, o: ContractOntology | undefined): Loose<ProductDefinition> | undefined {
    if (typeof prod.contract !== 'string' || !o) return undefined;
    // The mesh's name overrides the contract's; an invalid one is reported by the mesh rules alone.
    const nameOk = typeof prod.name === 'string' && passes((t) => validateName(t, 'name', 'product', prod.name));
    const productName = nameOk ? prod.name : w.written(`${p}.name`) ? PLACEHOLDER_PRODUCT_NAME : undefined;
    const result = resolveProductContract({ ...prod, name: productName } as ProductDefinition, domainName, baseDir, o);
    const key = p.replace(/^domains\[(\d+)\]\.products\[(\d+)\]$/, '$1.$2');
    switch (result.kind) {
      case 'unreadable': {
        const x = unreadableContractProblem(`${p}.contract`, prod.contract, result, baseDir);
        r.structural(x.field, x.rule, x.got, x.fix);
        return undefined;
      }
      case 'invalid': {
        const offset = r.offsetOf(`${p}.contract`);
        for (const line of result.problems) r.external.push({ line, offset });
        return undefined;
      }
      case 'ok': {
        const { name: _name, ...rest } = result.product;
        // As written: the mesh's name (even invalid, for the rules to report), or none when it is unreadable.
        const product = typeof prod.name === 'string' ? { name: prod.name, ...rest } : w.written(`${p}.name`) ? rest : result.product;
        results.set(key, { ...result, product });
        return product;
      }
    }
  }

  return { mesh: { ...m, domains }, results };
}

function validateAccountRegion(c: ProblemCollector, prefix: string, ar: Loose<AccountRegion> | undefined): void {
  if (typeof ar?.account === 'string' && !ACCOUNT_PATTERN.test(ar.account)) {
    c.add(`${prefix}.account`, 'must be a 12-digit AWS account ID', ar.account, 'Quote the ID in YAML, e.g. account: "123456789012".');
  }
  if (typeof ar?.region === 'string' && !REGION_PATTERN.test(ar.region)) {
    const lower = ar.region.trim().toLowerCase();
    c.add(`${prefix}.region`, `must be an AWS region code matching ${REGION_PATTERN.source}`, ar.region,
      REGION_PATTERN.test(lower) ? `Use "${lower}".` : 'Use a region code such as "eu-west-1" or "us-gov-west-1".');
  }
}

function hasValidAccountRegion(ar: Loose<AccountRegion> | undefined): ar is { account: string; region: string } {
  return typeof ar?.account === 'string' && ACCOUNT_PATTERN.test(ar.account) && typeof ar.region === 'string' && REGION_PATTERN.test(ar.region);
}

function validateLakeFormation(c: ProblemCollector, lf: Loose<LakeFormationDefinition> | undefined): void {
  const version = lf?.crossAccountVersion;
  if (version !== undefined && !SUPPORTED_CROSS_ACCOUNT_VERSIONS.includes(version)) {
    c.add('lakeFormation.crossAccountVersion', `must be a supported Lake Formation cross-account version (${SUPPORTED_CROSS_ACCOUNT_VERSIONS.join(', ')})`, version,
      `Use ${DEFAULT_CROSS_ACCOUNT_VERSION} (the default) or remove the key; version 3 is the first that grants to IAM roles of other accounts.`);
  }
  const seen = new Map<string, number>();
  (lf?.adminRoleNames ?? []).forEach((name, i) => {
    if (isPlaceholder(name)) return;
    const field = `lakeFormation.adminRoleNames[${i}]`;
    if (!IAM_ROLE_NAME_PATTERN.test(name)) {
      c.add(field, `must be an IAM role name matching ${IAM_ROLE_NAME_PATTERN.source} (1-64 letters, digits and +=,.@_-)`, name,
        name.startsWith('arn:') ? `Give the role's name, not its ARN, e.g. "${name.split('/').pop()}".` : 'Use the name of the IAM role (without path or ARN).');
    }
    if (seen.has(name)) c.add(field, `must not repeat a role name (also adminRoleNames[${seen.get(name)}])`, name, 'Remove the duplicate.');
    else seen.set(name, i);
  });
}

function validateOntology(c: ProblemCollector, m: Mesh, w: Written): Ontology {
  const declared = new Map<string, readonly string[]>();
  for (const [key, values] of Object.entries(m.tags ?? {})) {
    const field = childPath('tags', key);
    if (key === DOMAIN_TAG_KEY) {
      c.add(field, 'is built in and cannot be declared (its values are the names of the domains of the mesh)', values,
        'Remove tags.domain; every domain adds its name as a value.');
      continue;
    }
    validateLfTagString(c, field, 'key', key);
    validateTagValues(c, field, values ?? []);
    declared.set(key, (values ?? []).filter((v) => !isPlaceholder(v)));
  }
  const declaredClassification = declared.get(CLASSIFICATION_TAG_KEY);
  const classification = declaredClassification && declaredClassification.length > 0 ? declaredClassification : DEFAULT_CLASSIFICATION_VALUES;
  declared.set(CLASSIFICATION_TAG_KEY, classification);
  const complete = !w.brokenUnder('tags');
  const classificationKnown = !w.broken('tags') && !w.brokenUnder(`tags.${CLASSIFICATION_TAG_KEY}`);
  return { classification, declared, keys: [DOMAIN_TAG_KEY, ...declared.keys()].sort(), complete, classificationKnown };
}

function validateTagValues(c: ProblemCollector, field: string, values: readonly string[]): void {
  if (values.length === 0) c.add(field, 'must list at least one value', values, 'List the allowed values of the LF-tag.');
  if (values.length > CFN_MAX_VALUES_PER_TAG_RESOURCE) {
    c.add(field, `must list at most ${CFN_MAX_VALUES_PER_TAG_RESOURCE} values (the limit of an AWS::LakeFormation::Tag)`, `${values.length} values`,
      `Remove ${values.length - CFN_MAX_VALUES_PER_TAG_RESOURCE} values, or split them into more specific keys.`);
  }
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    if (isPlaceholder(v)) return;
    validateLfTagString(c, `${field}[${i}]`, 'value', v);
    if (seen.has(v)) c.add(`${field}[${i}]`, `must not repeat a value (also ${field}[${seen.get(v)}])`, v, 'Remove the duplicate.');
    else seen.set(v, i);
  });
}

function checkClassification(c: ProblemCollector, field: string, value: unknown, o: Ontology): void {
  if (o.classificationKnown) validateClassification(c, field, value, o.classification);
}

function missingDefaultClassification(c: ProblemCollector, field: string, o: Ontology, defaultValue: string): void {
  if (!o.classificationKnown) return;
  c.add(field, `is required because the ontology's classification values (${o.classification.join(', ')}) do not include the default "${defaultValue}"`,
    undefined, `Set it to one of ${o.classification.join(', ')}, or add "${defaultValue}" to tags.classification.`);
}

function validateDefaults(c: ProblemCollector, m: Mesh, o: Ontology): void {
  const d = m.defaults;
  if (d?.bytesScannedCutoffPerQuery !== undefined) validateCutoff(c.nested('defaults'), d.bytesScannedCutoffPerQuery);
  checkClassification(c, 'defaults.queryRoleMaxClassification', d?.queryRoleMaxClassification, o);
  const inheriting = (m.domains ?? []).some((x) => x.role !== 'consumer' && x.queryRoleMaxClassification === undefined);
  if (inheriting && d?.queryRoleMaxClassification === undefined && !o.classification.includes(DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION)) {
    missingDefaultClassification(c, 'defaults.queryRoleMaxClassification', o, DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION);
  }
}

function validateDomains(c: ProblemCollector, m: Mesh, o: Ontology, w: Written): void {
  const domains = m.domains ?? [];
  if (m.domains !== undefined && domains.length === 0) {
    c.add('domains', 'must list at least one domain', [], 'Add a domain, e.g. { name: sales, role: producer, account: "123456789012", region: eu-west-1 }.');
  }
  if (domains.length > LF_MAX_VALUES_PER_TAG) {
    c.add('domains', `must list at most ${LF_MAX_VALUES_PER_TAG} domains (each is a value of the "${DOMAIN_TAG_KEY}" LF-tag; Lake Formation's limit)`,
      `${domains.length} domains`, 'Split the mesh into several meshes.');
  }
  const perAccount = new Map<string, number>();
  const names = new Map<string, number>();
  domains.forEach((d, i) => {
    const p = `domains[${i}]`;
    validateName(c, `${p}.name`, 'domain', d.name);
    if (typeof d.name === 'string') {
      if (names.has(d.name)) c.add(`${p}.name`, `must be unique in the mesh (also domains[${names.get(d.name)}])`, d.name, 'Rename or merge one of the domains.');
      else names.set(d.name, i);
    }
    if (d.role !== undefined && !(DOMAIN_ROLES as readonly string[]).includes(d.role)) {
      c.add(`${p}.role`, `must be one of ${DOMAIN_ROLES.join(', ')}`, d.role,
        'Use producer (publishes products), consumer (subscribes to products of other domains) or both.');
    }
    validateAccountRegion(c, p, d);
    if (typeof d.account === 'string') perAccount.set(d.account, (perAccount.get(d.account) ?? 0) + 1);
    if (d.bytesScannedCutoffPerQuery !== undefined) validateCutoff(c.nested(p), d.bytesScannedCutoffPerQuery);
    checkClassification(c, `${p}.queryRoleMaxClassification`, d.queryRoleMaxClassification, o);
    if (d.role === 'consumer' && (d.products ?? []).length > 0) {
      c.add(`${p}.products`, 'must be empty for a domain with role consumer (consumers publish no products)', (d.products ?? []).map((x) => x.name),
        `Set role: both to let "${String(d.name)}" publish, or move the products to a producer domain.`);
    }
    validateProducts(c, p, d, o, w);
  });
  for (const [account, n] of perAccount) {
    if (n > ATHENA_MAX_WORKGROUPS_PER_ACCOUNT) {
      c.add('domains', `must put at most ${ATHENA_MAX_WORKGROUPS_PER_ACCOUNT} domains in one account (each domain has an Athena workgroup; Athena's limit per account)`,
        `${n} domains in account ${account}`, 'Move some domains to other accounts.');
    }
  }
}

function validateProducts(c: ProblemCollector, domainField: string, d: Domain, o: Ontology, w: Written): void {
  const names = new Map<string, number>();
  (d.products ?? []).forEach((prod, j) => {
    const p = `${domainField}.products[${j}]`;
    validateName(c, `${p}.name`, 'product', prod.name);
    if (typeof prod.name === 'string') {
      if (names.has(prod.name)) {
        c.add(`${p}.name`, `must be unique in domain "${String(d.name)}" (also products[${names.get(prod.name)}])`, prod.name, 'Rename or merge one of the products.');
      } else {
        names.set(prod.name, j);
      }
    }
    if (typeof prod.description === 'string' && prod.description.trim() === '') {
      c.add(`${p}.description`, 'must describe the product (it is its catalog documentation)', prod.description, 'Add a one-line description.');
    }
    if (typeof prod.owner === 'string' && prod.owner.trim() === '') {
      c.add(`${p}.owner`, 'must name the accountable owner', prod.owner, 'Set owner to a team or person.');
    }
    checkClassification(c, `${p}.classification`, prod.classification, o);
    if (prod.classification === undefined && !o.classification.includes(DEFAULT_PRODUCT_CLASSIFICATION)) {
      if (prod.contract === undefined) missingDefaultClassification(c, `${p}.classification`, o, DEFAULT_PRODUCT_CLASSIFICATION);
      else if (o.classificationKnown) {
        c.add(`${p}.contract`, `must give the product a classification (tag classification:<value>) because the ontology's classification values (${o.classification.join(', ')}) do not include the default "${DEFAULT_PRODUCT_CLASSIFICATION}"`,
          prod.contract, `Add e.g. "classification:${o.classification[0]}" to the tags of the contract, or add "${DEFAULT_PRODUCT_CLASSIFICATION}" to tags.classification.`);
      }
    }
    validateProductTags(c, p, prod, o);
    if (prod.storage !== undefined && !(PRODUCT_STORAGES as readonly string[]).includes(prod.storage)) {
      c.add(`${p}.storage`, `must be one of ${PRODUCT_STORAGES.join(', ')}`, prod.storage,
        'Use bucket (a bucket of its own, the default) or domain-prefix (a prefix of the domain\'s data bucket).');
    }
    if (prod.catalogShard !== undefined && (!Number.isInteger(prod.catalogShard) || prod.catalogShard < 1)) {
      c.add(`${p}.catalogShard`, 'must be a whole number of at least 1 (1 is the stack catalog-<domain>, 2 is catalog-<domain>-2, ...)', prod.catalogShard,
        'Use 1, 2, ..., or remove the key to let the mesh place the product.');
    }
    validateTables(c, p, prod, o, w);
  });
}

function validateProductTags(c: ProblemCollector, p: string, prod: Loose<ProductDefinition>, o: Ontology): void {
  const tags = Object.entries(prod.tags ?? {});
  const custom = [...o.declared.keys()].filter((k) => k !== CLASSIFICATION_TAG_KEY);
  for (const [key, value] of tags) {
    const field = childPath(`${p}.tags`, key);
    if (key === DOMAIN_TAG_KEY || key === CLASSIFICATION_TAG_KEY) {
      c.add(field, 'is set by the toolkit', value,
        key === DOMAIN_TAG_KEY ? 'Remove it: the domain LF-tag is the owning domain.' : 'Remove it and set the product\'s classification field instead.');
      continue;
    }
    const allowed = o.declared.get(key);
    if (!o.complete) continue;
    if (!allowed) {
      c.add(field, `must use an LF-tag key declared in the ontology's tags (${custom.join(', ') || 'none declared'})`, key,
        `Declare "${key}" with its values under tags at the top of the file, or fix the key.`);
    } else if (typeof value !== 'string' || !allowed.includes(value)) {
      c.add(field, `must be a value of LF-tag "${key}" (${allowed.join(', ')})`, value, `Use an allowed value, or add it to tags.${key}.`);
    }
  }
  if (tags.length + 2 > LF_MAX_TAGS_PER_RESOURCE) {
    c.add(`${p}.tags`, `must leave room for the domain and classification LF-tags within Lake Formation's ${LF_MAX_TAGS_PER_RESOURCE} LF-tags per resource`,
      `${tags.length} tags`, `Remove at least ${tags.length + 2 - LF_MAX_TAGS_PER_RESOURCE} tags from the product.`);
  }
}

function validateTables(c: ProblemCollector, p: string, prod: Loose<ProductDefinition>, o: Ontology, w: Written): void {
  if (prod.tables !== undefined && prod.tables.length === 0) {
    c.add(`${p}.tables`, 'must declare at least one table', [], 'Declare the tables of the product.');
  }
  const names = new Map<string, number>();
  (prod.tables ?? []).forEach((t, k) => {
    const tp = `${p}.tables[${k}]`;
    // Projection is checked against the partition keys: not when those are unreadable.
    const table = w.broken(`${tp}.partitionKeys`) ? { ...t, projection: undefined } : t;
    const found = new ProblemCollector();
    validateTable(found.nested(tp), table as unknown as TableSpec, o.classification);
    c.addAll(found.list.filter((x) => o.classificationKnown || !x.field.endsWith(`.${CLASSIFICATION_TAG_KEY}`)));
    if (typeof t.name === 'string') {
      if (names.has(t.name)) c.add(`${tp}.name`, `must be unique in the product (also tables[${names.get(t.name)}])`, t.name, 'Rename or merge one of the tables.');
      else names.set(t.name, k);
    }
    // Projection details validateTable leaves to Athena.
    for (const [key, projection] of Object.entries(t.projection ?? {})) {
      if (!projection) continue;
      const pp = `${tp}.projection.${key}`;
      if (projection.type === 'date' && projection.unit !== undefined && !PROJECTION_UNITS.includes(projection.unit)) {
        c.add(`${pp}.unit`, `must be one of ${PROJECTION_UNITS.join(', ')}`, projection.unit, 'Use an Athena date projection unit, in capitals.');
      }
      if (projection.type === 'integer' && projection.digits !== undefined && (!Number.isInteger(projection.digits) || projection.digits < 1)) {
        c.add(`${pp}.digits`, 'must be a whole number of at least 1', projection.digits, 'Set the number of digits to pad to, or remove the key.');
      }
    }
  });
}

/** Bucket and role names: within limits, and no two resources of the mesh with the same bucket or database name. */
function validatePhysicalNames(c: ProblemCollector, m: Mesh): void {
  const mesh = m.name;
  if (typeof mesh !== 'string' || !passes((t) => validateMeshName(t, 'name', mesh))) return;
  // Per-domain role names (writer, query, Lake Formation registration) are as long as `<mesh>-<domain>-writer`: checked per domain.
  const buckets = new Map<string, { readonly owner: string; readonly field: string }>();
  const claimBucket = (field: string, bucket: string, got: unknown, owner: string, ownerField: string, fix: string): void => {
    const previous = buckets.get(bucket);
    if (previous) {
      c.add(field, `must give ${owner} a bucket name of its own; "${bucket}" is also ${previous.owner} (${previous.field})`, got, fix);
    } else {
      buckets.set(bucket, { owner, field: ownerField });
    }
  };
  /** Reports only the first too-long name of a field: they would all say the same. */
  const checkOnce = (checks: readonly (() => void)[]): void => {
    const before = c.list.length;
    for (const check of checks) if (c.list.length === before) check();
  };

  const governance = m.governance;
  if (hasValidAccountRegion(governance)) {
    const purposes = ['audit-logs', 'audit'];
    checkOnce(purposes.map((purpose) => () => validateBucketName(c, 'name',
      domainBucketName(mesh, 'governance', purpose, governance.account, governance.region), governance.account, governance.region)));
    for (const purpose of purposes) {
      claimBucket('name', domainBucketName(mesh, 'governance', purpose, governance.account, governance.region), mesh,
        `the governance ${purpose} bucket`, 'governance', 'Rename the mesh.');
    }
  }

  // Domains with an invalid or repeated name, or no valid account and region, are reported already and skipped here.
  const domains = (m.domains ?? []).map((d, i) => ({ d, field: `domains[${i}]` }))
    .filter(({ d }, i, all) => typeof d.name === 'string' && passes((t) => validateName(t, 'name', 'domain', d.name))
      && all.findIndex((x) => x.d.name === d.name) === i && hasValidAccountRegion(d));
  for (const { d, field } of domains) {
    const { name, account, region } = d as { name: string; account: string; region: string };
    const purposes = ['athena-results', 'logs', ...((d.products ?? []).some((x) => x.storage === 'domain-prefix') ? ['data'] : [])];
    checkOnce([
      ...purposes.map((purpose) => () => validateBucketName(c, `${field}.name`, domainBucketName(mesh, name, purpose, account, region), account, region)),
      () => validateRoleName(c, `${field}.name`, domainRoleName(mesh, name, d.role === 'consumer' ? 'query' : 'writer')),
    ]);
    for (const purpose of purposes) {
      claimBucket(`${field}.name`, domainBucketName(mesh, name, purpose, account, region), name, `the ${purpose} bucket of domain "${name}"`, field,
        'Rename the domain.');
    }
  }

  // The catalog is central: every product database of the mesh is in the governance account's catalog.
  const databases = new Map<string, { readonly product: string; readonly field: string; readonly bucket?: string }>();
  for (const { d, field } of domains) {
    const { name: domain, account, region } = d as { name: string; account: string; region: string };
    (d.products ?? []).forEach((prod, j) => {
      if (typeof prod.name !== 'string' || !passes((t) => validateName(t, 'name', 'product', prod.name))) return;
      const p = `${field}.products[${j}]`;
      const key = `${domain}.${prod.name}`;
      const database = productDatabaseName(domain, prod.name);
      const bucket = (prod.storage ?? 'bucket') === 'bucket' ? productBucketName(mesh, domain, prod.name, account, region) : undefined;
      const previous = databases.get(database);
      if (previous) {
        if (previous.product === key) return; // the same product twice: reported as a duplicate name
        const sameBucket = bucket !== undefined && bucket === previous.bucket;
        const clash = sameBucket ? `the database "${database}" and the bucket "${bucket}" are also those` : `the database "${database}" is also that`;
        c.add(`${p}.name`, `must give product "${key}" a Glue database${sameBucket ? ' and bucket' : ''} of its own; ${clash} of product "${previous.product}" (${previous.field})`,
          prod.name,
        'Rename one of the products or domains: underscores make "<domain>_<product>" ambiguous.');
        return;
      }
      databases.set(database, { product: key, field: p, bucket });
      if (bucket === undefined) return;
      checkOnce([() => validateBucketName(c, `${p}.name`, bucket, account, region)]);
      claimBucket(`${p}.name`, bucket, prod.name, `product "${key}"`, p, 'Rename the product.');
    });
  }
}

function passes(check: (c: ProblemCollector) => void): boolean {
  const t = new ProblemCollector();
  check(t);
  return t.empty;
}

function validateSubscriptions(c: ProblemCollector, m: Mesh, o: Ontology, w: Written): void {
  // With an unreadable domain or product, references to it cannot be checked: they would all be reported.
  const allDomainsKnown = (m.domains ?? []).every((_, i) => !w.broken(`domains[${i}]`) && !w.broken(`domains[${i}].name`));
  const allProductsKnown = allDomainsKnown && (m.domains ?? []).every((d, i) => !w.broken(`domains[${i}].products`)
    && (d.products ?? []).every((_, j) => !w.broken(`domains[${i}].products[${j}]`) && !w.broken(`domains[${i}].products[${j}].name`)));
  const domains = new Map<string, Domain>();
  for (const d of m.domains ?? []) if (typeof d.name === 'string' && !domains.has(d.name)) domains.set(d.name, d);
  const domainNames = [...domains.keys()];
  const products: string[] = [];
  for (const [name, d] of domains) for (const p of d.products ?? []) if (typeof p.name === 'string') products.push(`${name}.${p.name}`);
  const ids = new Map<string, Map<string, number>>();

  (m.subscriptions ?? []).forEach((s, i) => {
    const p = `subscriptions[${i}]`;
    const consumer = typeof s.consumer === 'string' ? domains.get(s.consumer) : undefined;
    if (typeof s.consumer === 'string') {
      if (!consumer && allDomainsKnown) {
        const suggestion = suggestKey(s.consumer, domainNames);
        c.add(`${p}.consumer`, `must name a domain of the mesh (${shortList(domainNames)})`, s.consumer,
          suggestion ? `Did you mean "${suggestion}"?` : 'Use the name of a domain declared under domains.');
      } else if (consumer?.role === 'producer') {
        c.add(`${p}.consumer`, 'must name a domain with role consumer or both', `${s.consumer} (role producer)`,
          `Change the role of domain "${s.consumer}" to both, or subscribe another domain.`);
      }
    }
    if (typeof s.name === 'string' && s.name.trim() === '') {
      c.add(`${p}.name`, 'must not be empty', s.name, 'Remove the name (an ID is derived from the content) or give a label such as "sales-orders".');
    }
    const hasExpression = w.written(`${p}.expression`);
    const hasProducts = w.written(`${p}.products`);
    if (!hasExpression && !hasProducts) {
      c.add(p, 'must have exactly one of expression or products', undefined,
        'Add expression: { domain: [sales] } to subscribe by LF-tags, or products: [sales.orders] to subscribe to named products.');
    } else if (hasExpression && hasProducts) {
      c.add(`${p}.products`, 'must not be combined with expression (a subscription has exactly one of expression or products)', s.products,
        'Split it into two subscriptions.');
    }
    if (s.expression) validateExpression(c, `${p}.expression`, s.expression, o, allDomainsKnown ? domainNames : undefined);
    if (s.products) validateSubscribedProducts(c, p, s.products, s.consumer, allProductsKnown ? products : undefined);
    checkClassification(c, `${p}.maxClassification`, s.maxClassification, o);
    if (hasProducts && s.maxClassification === undefined && !o.classification.includes(DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION)) {
      missingDefaultClassification(c, `${p}.maxClassification`, o, DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION);
    }
    const governanceAccount = m.governance?.account;
    if (s.grantToAccount === true && consumer && typeof consumer.account === 'string' && consumer.account === governanceAccount) {
      c.add(`${p}.grantToAccount`, `can be true only for a consumer in another account than governance; domain "${String(s.consumer)}" is in the governance account ${governanceAccount}`,
        true, 'Remove grantToAccount: the consumer\'s query role is granted directly.');
    }
    if (typeof s.consumer === 'string' && hasExpression !== hasProducts && (s.expression || s.products)) {
      const id = subscriptionId(s as SubscriptionDefinition);
      const ofConsumer = ids.get(s.consumer) ?? new Map<string, number>();
      ids.set(s.consumer, ofConsumer);
      const previous = ofConsumer.get(id);
      if (previous !== undefined) {
        const named = s.name !== undefined;
        c.add(named ? `${p}.name` : p, `must have an ID of its own among the subscriptions of consumer "${s.consumer}"; "${id}" is also the ID of subscriptions[${previous}]`,
          id, named ? 'Rename one of them.' : 'Remove the duplicate, or give the subscriptions distinct names.');
      } else {
        ofConsumer.set(id, i);
      }
    }
  });
}

function validateExpression(c: ProblemCollector, field: string, expression: Readonly<Record<string, readonly string[] | undefined>>, o: Ontology,
  domainNames: readonly string[] | undefined): void {
  const keys = Object.keys(expression);
  if (keys.length === 0) {
    c.add(field, 'must have at least one LF-tag key (an empty expression is not a valid Lake Formation grant)', {}, 'Add conditions, e.g. domain: [sales].');
  }
  if (keys.length > LF_MAX_EXPRESSION_CONDITIONS) {
    c.add(field, `must have at most ${LF_MAX_EXPRESSION_CONDITIONS} LF-tag keys (Lake Formation's limit of conditions in an LF-tag expression)`, keys,
      'Remove conditions, or split the subscription into several.');
  }
  for (const [key, values = []] of Object.entries(expression)) {
    const kp = childPath(field, key);
    if (key === DOMAIN_TAG_KEY ? domainNames === undefined : !o.complete) continue;
    const allowed = key === DOMAIN_TAG_KEY ? domainNames : o.declared.get(key);
    if (!allowed) {
      const suggestion = suggestKey(key, o.keys);
      c.add(kp, `must be an LF-tag key of the ontology (${o.keys.join(', ')})`, key,
        suggestion ? `Did you mean "${suggestion}"? Otherwise declare the key under tags.` : 'Use one of these keys, or declare the key under tags.');
      continue;
    }
    if (values.length === 0) c.add(kp, 'must list at least one value', values, `List the allowed values, e.g. ${key}: [${allowed[0] ?? 'value'}].`);
    if (values.length > LF_MAX_EXPRESSION_VALUES) {
      c.add(kp, `must list at most ${LF_MAX_EXPRESSION_VALUES} values (Lake Formation's limit per key of an LF-tag expression)`, `${values.length} values`,
        'Split the subscription into several.');
    }
    const seen = new Map<string, number>();
    values.forEach((v, j) => {
      if (isPlaceholder(v)) return;
      const vp = `${kp}[${j}]`;
      if (!allowed.includes(v)) {
        c.add(vp, key === DOMAIN_TAG_KEY ? `must be a domain of the mesh (${shortList(allowed)})` : `must be a value of LF-tag "${key}" (${shortList(allowed)})`, v,
          key === DOMAIN_TAG_KEY ? 'Use the name of a domain declared under domains.' : `Use an allowed value, or add it to tags.${key}.`);
      }
      if (seen.has(v)) c.add(vp, `must not repeat a value (also ${kp}[${seen.get(v)}])`, v, 'Remove the duplicate.');
      else seen.set(v, j);
    });
  }
}

function validateSubscribedProducts(c: ProblemCollector, p: string, list: readonly string[], consumer: unknown, products: readonly string[] | undefined): void {
  if (list.length === 0) c.add(`${p}.products`, 'must list at least one product', list, 'List products as <domain>.<product>, e.g. [sales.orders].');
  const seen = new Map<string, number>();
  list.forEach((x, j) => {
    if (isPlaceholder(x)) return;
    const xp = `${p}.products[${j}]`;
    if (products === undefined) {
      // Unknown when a product is unreadable.
    } else if (!products.includes(x)) {
      const suggestion = suggestKey(x, products);
      c.add(xp, 'must name a product of the mesh as <domain>.<product>', x,
        suggestion ? `Did you mean "${suggestion}"?` : products.length > 0 ? `Known products: ${shortList(products)}.` : 'Declare the product under its domain first.');
    } else if (x.slice(0, x.indexOf('.')) === consumer) {
      c.add(xp, `must be a product of another domain than the consumer "${String(consumer)}"`, x,
        'Remove it: a domain\'s query role reads its own products through the domain\'s own grants.');
    }
    if (seen.has(x)) c.add(xp, `must not repeat a product (also products[${seen.get(x)}])`, x, 'Remove the duplicate.');
    else seen.set(x, j);
  });
}

function shortList(values: readonly string[], max = 20): string {
  if (values.length === 0) return 'none';
  return values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')}, ... (${values.length} in all)`;
}

// ---------------------------------------------------------------------------------------------------------
// Warnings on a valid definition.

function meshWarnings(def: MeshDefinition, fileName: string, report: Report, lc: LineCounter): MeshWarning[] {
  const classification = def.tags?.[CLASSIFICATION_TAG_KEY] ?? DEFAULT_CLASSIFICATION_VALUES;
  const upToDefault = classification.includes(DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION)
    ? classification.slice(0, classification.indexOf(DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION) + 1)
    : classification.slice(0, 1);
  const warnings: MeshWarning[] = [];
  const subscriptions = resolveSubscriptions(def);
  // The same evaluation as the access report: a column whose own LF-tags match is reached even when its table's and database's do not.
  const reached = reachedProducts(def, subscriptions);
  subscriptions.forEach((s, i) => {
    const at = `${fileName}:${position(lc, report.offsetOf(`subscriptions[${i}]`))}`;
    if (reached[i].length === 0) {
      warnings.push({
        id: SUBSCRIPTION_MATCHES_NOTHING,
        message: `${at} subscription "${s.id}" of consumer "${s.consumer}" matches no product of the mesh (no database, table or column), so it reaches nothing `
          + '(Lake Formation matches the expression against the effective LF-tags of each database, table and column, each inheriting from the one above '
          + 'unless it carries its own value). '
          + 'Check the LF-tag values of the expression against the products\' domain, classification and tags, or remove the subscription.',
      });
    }
    if (s.kind === 'expression' && !hasOwn(s.expression ?? {}, CLASSIFICATION_TAG_KEY)) {
      warnings.push({
        id: SUBSCRIPTION_ANY_CLASSIFICATION,
        message: `${at} subscription "${s.id}" of consumer "${s.consumer}" does not constrain ${CLASSIFICATION_TAG_KEY}: it grants every classification, `
          + `including the most sensitive ("${classification[classification.length - 1]}"). Add e.g. ${CLASSIFICATION_TAG_KEY}: [${upToDefault.join(', ')}] to the expression.`,
      });
    }
  });
  return warnings;
}
