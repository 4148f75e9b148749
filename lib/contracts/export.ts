import { Document } from 'yaml';
import { CLASSIFICATION_TAG_KEY, DEFAULT_CLASSIFICATION_VALUES } from '../defaults';
import { DataMeshValidationError, formatProblem, ProblemCollector } from '../errors';
import { validateName } from '../naming';
import { DataFormat, TableSpec, validateTable } from '../table-schema';
import { parseDqdl } from './dqdl';
import { GlueType, parseGlueType, renderGlueType } from './glue-types';
import {
  ContractSla, CUSTOM_PROPERTY_CLASSIFICATION, CUSTOM_PROPERTY_CONTACT, CUSTOM_PROPERTY_FORMAT, CUSTOM_PROPERTY_OWNER,
  CUSTOM_PROPERTY_PROJECTION, DERIVED_PARAMETERS, DQDL_ENGINE, S3Location,
} from './map';
import { CONTRACT_KIND, EXPORT_API_VERSION, OdcsContract } from './odcs-schema';

/** What a deployed data product is, to be written as an ODCS contract. */
export interface ExportContractInput {
  readonly domain: string;
  readonly productName: string;
  readonly description: string;
  readonly owner: string;
  /** An email address becomes an email support channel; anything else the custom property `contact`. */
  readonly contact?: string;
  /** Further support addresses (each an email support channel after `contact`). @default - none */
  readonly supportEmails?: readonly string[];
  readonly classification: string;
  /** LF-tags of the product (key → value), written as `key:value` tags. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly tables: readonly TableSpec[];
  /**
   * Database parameters, written as custom properties. Those derived from a contract (`contract_id`,
   * `contract_version`, ...) give the identity of the contract instead.
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Column parameters as returned by mapContract (`required`, `primary_key`, ...). */
  readonly columnParameters?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  /** Glue Data Quality ruleset per table, written as a custom rule of engine glue-data-quality. */
  readonly quality?: readonly { readonly table: string; readonly dqdl: string }[];
  readonly sla?: ContractSla;
  /** Written as a server of type s3. */
  readonly location?: S3Location;
  /**
   * Format of the S3 server (with `location`): tables of another format carry theirs as the custom property
   * `format`, tables without format take this one when read back.
   * @default - the format of the tables when they all have the same
   */
  readonly format?: DataFormat;
  /** @default `<domain>.<productName>` */
  readonly id?: string;
  /** @default '1.0.0' */
  readonly version?: string;
  /** @default 'active' */
  readonly status?: string;
  /** Classification values the tables may use. @default DEFAULT_CLASSIFICATION_VALUES */
  readonly classificationValues?: readonly string[];
}

type Mutable = Record<string, unknown>;

/**
 * Writes a data product as an ODCS v3.1.0 contract (a plain object; see {@link toYaml}). Mapping the result
 * with mapContract gives back the same tables: names, columns, types, comments, classifications, partition
 * keys, projection and format. The input is validated first; problems are thrown as one
 * DataMeshValidationError located at `exportContract`.
 */
export function exportContract(input: ExportContractInput): OdcsContract {
  validateInput(input);
  const serverFormat = input.location ? input.format ?? commonFormat(input.tables) : undefined;
  const customProperties: Mutable[] = [];
  for (const [property, value] of Object.entries(input.parameters ?? {})) {
    if (DERIVED_PARAMETERS.includes(property) || [CUSTOM_PROPERTY_OWNER, CUSTOM_PROPERTY_CONTACT, CUSTOM_PROPERTY_CLASSIFICATION].includes(property)) continue;
    customProperties.push({ property, value });
  }
  const emailContact = input.contact !== undefined && /^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$/.test(input.contact);
  if (input.contact !== undefined && !emailContact) customProperties.push({ property: CUSTOM_PROPERTY_CONTACT, value: input.contact });

  const params = input.parameters ?? {};
  const contract: Mutable = {
    apiVersion: EXPORT_API_VERSION,
    kind: CONTRACT_KIND,
    id: input.id ?? params.contract_id ?? `${input.domain}.${input.productName}`,
    name: params.contract_name ?? input.productName,
    version: input.version ?? params.contract_version ?? '1.0.0',
    status: input.status ?? params.contract_status ?? 'active',
    domain: input.domain,
    dataProduct: input.productName,
    ...(params.contract_tenant !== undefined ? { tenant: params.contract_tenant } : {}),
    description: {
      purpose: input.description,
      ...(params.contract_limitations !== undefined ? { limitations: params.contract_limitations } : {}),
      ...(params.contract_usage !== undefined ? { usage: params.contract_usage } : {}),
    },
    tags: [`${CLASSIFICATION_TAG_KEY}:${input.classification}`, ...Object.entries(input.tags ?? {}).map(([k, v]) => `${k}:${v}`)],
  };
  if (input.location) {
    const prefix = input.location.prefix.replace(/^\/+|\/+$/g, '');
    contract.servers = [{
      server: 'production',
      type: 's3',
      environment: 'prod',
      location: `s3://${input.location.bucket}/${prefix === '' ? '' : `${prefix}/`}`,
      ...(serverFormat !== undefined ? { format: serverFormat } : {}),
    }];
  }
  contract.schema = input.tables.map((t) => schemaObject(t, serverFormat, input));
  const sla = slaProperties(input.sla);
  if (sla.length > 0) contract.slaProperties = sla;
  contract.team = { members: [{ username: input.owner, role: 'owner' }] };
  const emails = [...new Set([...(emailContact ? [input.contact!] : []), ...(input.supportEmails ?? [])])];
  if (emails.length > 0) contract.support = emails.map((e) => ({ channel: e, tool: 'email', url: `mailto:${e}` }));
  if (customProperties.length > 0) contract.customProperties = customProperties;
  return contract as unknown as OdcsContract;
}

/** YAML text of a contract, with a header line. */
export function toYaml(contract: OdcsContract, header = 'ODCS data contract written by cdk-data-mesh'): string {
  const doc = new Document(contract);
  if (header) doc.commentBefore = ` ${header}`;
  return doc.toString({ lineWidth: 0 });
}

function schemaObject(t: TableSpec, serverFormat: DataFormat | undefined, input: ExportContractInput): Mutable {
  const custom: Mutable[] = [];
  if (t.classification !== undefined) custom.push({ property: CUSTOM_PROPERTY_CLASSIFICATION, value: t.classification });
  if (t.format !== undefined && t.format !== serverFormat) custom.push({ property: CUSTOM_PROPERTY_FORMAT, value: t.format });
  if (t.projection !== undefined) custom.push({ property: CUSTOM_PROPERTY_PROJECTION, value: JSON.parse(JSON.stringify(t.projection)) });
  const keys = t.partitionKeys ?? [];
  const params = input.columnParameters?.[t.name] ?? {};
  const o: Mutable = {
    name: t.name,
    logicalType: 'object',
    physicalType: 'table',
    ...(t.description !== undefined && t.description !== '' ? { description: t.description } : {}),
    properties: t.columns.map((c) => {
      const p: Mutable = { name: c.name };
      if (c.comment !== undefined && c.comment !== '') p.description = c.comment;
      Object.assign(p, typeFields(parseGlueType(c.type)!));
      if (c.classification !== undefined) p.classification = c.classification;
      const cp = params[c.name] ?? {};
      if (cp.required === 'true') p.required = true;
      if (cp.unique === 'true') p.unique = true;
      if (cp.primary_key === 'true') {
        p.primaryKey = true;
        if (cp.primary_key_position !== undefined && /^\d+$/.test(cp.primary_key_position)) p.primaryKeyPosition = Number(cp.primary_key_position);
      }
      if (cp.critical_data_element === 'true') p.criticalDataElement = true;
      if (cp.business_name !== undefined) p.businessName = cp.business_name;
      const position = keys.indexOf(c.name);
      if (position >= 0) {
        p.partitioned = true;
        p.partitionKeyPosition = position + 1;
      }
      return p;
    }),
  };
  const dqdl = (input.quality ?? []).filter((q) => q.table === t.name);
  if (dqdl.length > 0) o.quality = dqdl.map((q) => ({ type: 'custom', engine: DQDL_ENGINE, implementation: q.dqdl }));
  if (custom.length > 0) o.customProperties = custom;
  return o;
}

/** logicalType, physicalType, items and properties of a Glue type. */
function typeFields(t: GlueType): Mutable {
  switch (t.kind) {
    case 'array':
      return { logicalType: 'array', items: typeFields(t.element) };
    case 'struct':
      return { logicalType: 'object', properties: t.fields.map((f) => ({ name: f.name, ...typeFields(f.type) })) };
    case 'map':
      return { logicalType: 'object', physicalType: renderGlueType(t) };
    case 'primitive': {
      const base = t.name.replace(/\(.*$/, '');
      const logical = ['string', 'varchar', 'char', 'binary'].includes(base) ? 'string'
        : ['tinyint', 'smallint', 'int', 'integer', 'bigint'].includes(base) ? 'integer'
          : ['float', 'double', 'decimal'].includes(base) ? 'number'
            : base;
      return { logicalType: logical, physicalType: t.name };
    }
  }
}

function commonFormat(tables: readonly TableSpec[]): DataFormat | undefined {
  const formats = new Set(tables.map((t) => t.format));
  return formats.size === 1 ? [...formats][0] : undefined;
}

function slaProperties(sla: ContractSla | undefined): Mutable[] {
  const out: Mutable[] = [];
  if (sla?.freshness) out.push({ property: sla.freshness.source, ...durationOf(sla.freshness.maxAgeSeconds) });
  if (sla?.retentionDays !== undefined) out.push({ property: 'retention', value: sla.retentionDays, unit: 'd' });
  return out;
}

/** The largest unit that divides the duration: 86400 s → 1 d. */
function durationOf(seconds: number): { value: number; unit: string } {
  for (const [unit, factor] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds % factor === 0) return { value: seconds / factor, unit };
  }
  return { value: seconds, unit: 's' };
}

function validateInput(input: ExportContractInput): void {
  const c = new ProblemCollector();
  const allowed = input.classificationValues ?? DEFAULT_CLASSIFICATION_VALUES;
  validateName(c, 'domain', 'domain', input.domain);
  validateName(c, 'productName', 'product', input.productName);
  for (const [field, v] of [['description', input.description], ['owner', input.owner]] as const) {
    if (typeof v !== 'string' || v.trim() === '') c.add(field, 'must be a non-empty string', v, `Give the product's ${field}.`);
  }
  if (!allowed.includes(input.classification)) {
    c.add('classification', `must be a classification of the ontology (${allowed.join(', ')})`, input.classification, 'Use one of the allowed values.');
  }
  const names = new Set<string>();
  input.tables.forEach((t, i) => {
    validateTable(c.nested(`tables[${i}]`), t, allowed);
    if (names.has(t.name)) c.add(`tables[${i}].name`, 'must be unique among the tables', t.name, 'Rename one of the tables.');
    names.add(t.name);
    t.columns.forEach((col, j) => {
      const field = `tables[${i}].columns[${j}].type`;
      if (c.list.some((p) => p.field === field)) return; // reported by validateTable
      if (typeof col.type === 'string' && /[A-Z]/.test(col.type)) {
        c.add(field, 'must be written in lowercase to export (types are compared as written)', col.type, `Write "${col.type.toLowerCase()}".`);
      }
    });
  });
  (input.quality ?? []).forEach((q, i) => {
    const table = input.tables.find((t) => t.name === q.table);
    if (!table) {
      c.add(`quality[${i}].table`, `must name a table of the product (${input.tables.map((t) => t.name).join(', ')})`, q.table, 'Fix the table name.');
      return;
    }
    const parsed = parseDqdl(q.dqdl, { columns: table.columns.map((x) => x.name) });
    if (parsed.problems.length > 0) c.add(`quality[${i}].dqdl`, `must be a DQDL ruleset the toolkit supports (${parsed.problems[0]})`, q.dqdl, 'Fix the ruleset.');
  });
  if (input.location && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(input.location.bucket)) {
    c.add('location.bucket', 'must be an S3 bucket name', input.location.bucket, 'Fix the bucket name.');
  }
  if (!c.empty) throw new DataMeshValidationError('exportContract', c.list.map(formatProblem));
}
