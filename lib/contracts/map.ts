/**
 * Maps a validated ODCS contract to what a data product deploys: tables (Glue types, comments, classifications,
 * partition keys, format), database and column parameters, LF-tags, owner and contact, S3 location, SLA, and
 * one Glue Data Quality ruleset per table. The rules of the mapping, including the DQDL written for each
 * quality metric, are documented in examples/contracts/README.md.
 */
import { CLASSIFICATION_TAG_KEY, DEFAULT_CLASSIFICATION_VALUES, GLUE_MAX_COMMENT_LENGTH } from '../defaults';
import { ProblemCollector } from '../errors';
import { validateName } from '../naming';
import { ColumnSpec, DataFormat, glueTypeProblem, TableSpec, validateTable } from '../table-schema';
import {
  dqdlNumber, DqdlCondition, DqdlValue, parseDqdl, renderRule, renderRuleset,
} from './dqdl';
import { normalizeGlueType, parseGlueType } from './glue-types';
import {
  LOGICAL_TYPES, OdcsContract, OdcsCustomProperty, OdcsItems, OdcsProperty, OdcsPropertyBase, OdcsQualityRule, OdcsSchemaObject,
  OdcsServer, OdcsTeamMember, QUALITY_METRICS, QUALITY_OPERATORS, QualityOperator,
} from './odcs-schema';
import { contractFromObject, ParsedContract, PositionedProblem, throwContractProblems } from './parse';
import { didYouMean, isPlainObject, squash, suggest } from './util';
import {
  CONTRACT_COMMENT_CLIPPED, CONTRACT_DEFAULTED, CONTRACT_FORMAT_UNSUPPORTED, CONTRACT_LOCATION_TRIMMED, CONTRACT_NESTED_IGNORED, CONTRACT_NONSTANDARD_KEY,
  CONTRACT_RULE_APPROXIMATED, CONTRACT_RULE_UNSUPPORTED, CONTRACT_SERVER_UNSUPPORTED, CONTRACT_SLA_UNSUPPORTED, CONTRACT_TAG_IGNORED,
  CONTRACT_TYPE_APPROXIMATED, ContractWarning,
} from './warnings';

export interface MapContractOptions {
  /** Classification values of the ontology, least to most sensitive. @default DEFAULT_CLASSIFICATION_VALUES */
  readonly classificationValues?: readonly string[];
  /**
   * The custom LF-tag keys of the ontology and their values (`classification` and `domain` excluded). Contract
   * tags written `key:value` (or `key=value`) with one of these keys become LF-tags of the product.
   * @default - none
   */
  readonly ontologyTags?: Readonly<Record<string, readonly string[]>>;
  /** The product name, when `dataProduct` (or `name`) of the contract is not a valid product name. */
  readonly productName?: string;
}

/** One ODCS quality rule turned into DQDL. */
export interface QualityRuleSpec {
  /** Path of the ODCS rule, e.g. `schema[0].properties[2].quality[0]`. */
  readonly path: string;
  /** `library` (a metric) or `custom` (DQDL written in the contract). */
  readonly source: 'library' | 'custom';
  /** The library metric (`nullValues`, ...). */
  readonly metric?: string;
  /** The column the rule is about (property-level rules). */
  readonly column?: string;
  readonly name?: string;
  readonly description?: string;
  readonly dimension?: string;
  readonly severity?: string;
  /** The DQDL rules it became: one per operator for library rules, the rules as written for custom ones. */
  readonly dqdl: readonly string[];
}

/** The Glue Data Quality ruleset of one table. */
export interface TableQuality {
  readonly table: string;
  /** `Rules = [ ... ]`. */
  readonly dqdl: string;
  readonly rules: readonly QualityRuleSpec[];
}

/** A quality rule the toolkit does not run. */
export interface UnsupportedRule {
  readonly path: string;
  readonly table?: string;
  readonly column?: string;
  readonly reason: string;
}

export interface ContractSla {
  /** Maximum age of the data, from `latency` (preferred) or else `frequency`. */
  readonly freshness?: { readonly maxAgeSeconds: number; readonly source: 'latency' | 'frequency' };
  /** From `retention` (whole days, rounded up). */
  readonly retentionDays?: number;
}

export interface ContractTeamMember {
  readonly username?: string;
  readonly name?: string;
  readonly role?: string;
}

export interface ContractTeam {
  readonly name?: string;
  /** Current members (those whose `dateOut` is past are left out). */
  readonly members: readonly ContractTeamMember[];
}

export interface ContractSupportChannel {
  readonly channel: string;
  readonly tool?: string;
  readonly url?: string;
}

export interface ContractSupport {
  /** Every email address of the support channels (`mailto:` URLs, `tool: email`, or an address as channel). */
  readonly emails: readonly string[];
  /** The other channels. */
  readonly others: readonly ContractSupportChannel[];
}

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing slash; '' for the bucket root. */
  readonly prefix: string;
}

/** What a data product deploys, read from a contract. */
export interface ContractProductSpec {
  readonly productName: string;
  /** `domain` of the contract, to compare with the domain that publishes the product. */
  readonly domain?: string;
  readonly description: string;
  readonly owner: string;
  readonly contact?: string;
  readonly classification?: string;
  /** LF-tags of the ontology (key → value). */
  readonly tags: Readonly<Record<string, string>>;
  /** Contract tags that are not LF-tags of the ontology (also reported as warnings). */
  readonly ignoredTags: readonly string[];
  /** Glue database parameters. */
  readonly parameters: Readonly<Record<string, string>>;
  readonly tables: readonly TableSpec[];
  /** Glue column parameters: table → column → parameters (`required`, `primary_key`, ...). */
  readonly columnParameters: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  /** One ruleset per table that has rules. */
  readonly quality: readonly TableQuality[];
  readonly unsupportedRules: readonly UnsupportedRule[];
  readonly sla: ContractSla;
  readonly team: ContractTeam;
  readonly support: ContractSupport;
  /** From the S3 server. */
  readonly location?: S3Location;
  /** Format of the S3 server (tables may override it). */
  readonly format?: DataFormat;
  readonly warnings: readonly ContractWarning[];
}

/** Engines of `type: custom` rules whose implementation is DQDL (compared ignoring case, spaces, `-` and `_`). */
export const DQDL_ENGINES: readonly string[] = ['glue-data-quality', 'aws-glue-data-quality', 'glue', 'dqdl'];
/** The engine name the exporter writes. */
export const DQDL_ENGINE = 'glue-data-quality';

/** Names of the custom properties the mapping reads (others become database parameters). */
export const CUSTOM_PROPERTY_OWNER = 'owner';
export const CUSTOM_PROPERTY_CONTACT = 'contact';
export const CUSTOM_PROPERTY_CLASSIFICATION = 'classification';
/** On a schema object: the table's format (`parquet`, `json`, `csv`), overriding the server's. */
export const CUSTOM_PROPERTY_FORMAT = 'format';
/** On a schema object: Athena partition projection per partition key, as in TableSpec.projection. */
export const CUSTOM_PROPERTY_PROJECTION = 'partitionProjection';

/** Database parameters derived from the contract itself. */
export const DERIVED_PARAMETERS: readonly string[] = [
  'contract_id', 'contract_version', 'contract_status', 'contract_name', 'odcs_api_version', 'contract_domain', 'contract_tenant',
  'contract_limitations', 'contract_usage',
];

const OWNER_ROLES = ['owner', 'dataowner', 'productowner', 'dataproductowner'];
const EMAIL = /^[^@\s:/]+@[^@\s/]+\.[^@\s/]+$/;
const STRUCT_FIELD = /^[a-z_][a-z0-9_]*$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Maps a contract to what a data product deploys. Accepts a parsed contract (positions in messages) or an
 * in-memory ODCS object (validated first, messages prefixed with "contract"). Every problem is thrown at once
 * as a DataMeshValidationError.
 */
export function mapContract(input: ParsedContract | OdcsContract, options: MapContractOptions = {}): ContractProductSpec {
  const parsed = ParsedContract.isParsedContract(input) ? input : contractFromObject(input, 'contract');
  return new Mapper(parsed, options).run();
}

interface ColumnSource {
  readonly path: string;
  readonly nameField: 'name' | 'physicalName';
  readonly typeField: 'logicalType' | 'physicalType';
  readonly broken: boolean;
}

interface TableSource {
  readonly path: string;
  readonly nameField: 'name' | 'physicalName';
  readonly classificationField: string;
  readonly projectionField?: string;
  readonly columns: readonly ColumnSource[];
  /** Property name → column name (to resolve `arguments.properties` of quality rules). */
  readonly columnByProperty: ReadonlyMap<string, string>;
}

type Operator = { readonly op: Exclude<QualityOperator, 'mustBeBetween' | 'mustNotBeBetween'>; readonly value: number } | { readonly op: 'mustBeBetween' | 'mustNotBeBetween'; readonly value: readonly [number, number] };

class Mapper {
  private readonly c: OdcsContract;
  private readonly problems: PositionedProblem[] = [];
  private readonly warnings: ContractWarning[];
  private readonly classificationValues: readonly string[];
  private readonly ontologyTags: Readonly<Record<string, readonly string[]>>;
  private readonly unsupported: UnsupportedRule[] = [];

  constructor(private readonly parsed: ParsedContract, private readonly options: MapContractOptions) {
    this.c = parsed.contract;
    this.warnings = [...parsed.warnings];
    this.classificationValues = options.classificationValues ?? DEFAULT_CLASSIFICATION_VALUES;
    this.ontologyTags = options.ontologyTags ?? {};
  }

  public run(): ContractProductSpec {
    const c = this.c;
    const productName = this.productName();
    const parameters = this.parameters();
    const { tags, ignoredTags, tagClassification } = this.tags();
    const classification = this.classification(tagClassification);
    const team = this.team();
    const support = this.support();
    const contact = this.customString(CUSTOM_PROPERTY_CONTACT) ?? support.emails[0];
    const owner = this.owner(team, productName);
    const { location, format } = this.servers();
    const built = (c.schema ?? []).map((o, i) => this.table(o, `schema[${i}]`, format));
    if ((c.schema ?? []).length === 0) {
      this.problem('schema', 'must list at least one object (a table of the product)', c.schema,
        'Add e.g. schema: [{ name: orders, logicalType: object, properties: [{ name: order_id, logicalType: string }] }].');
    }
    this.checkTableNames(built.map((b) => b.table), built.map((b) => b.source));
    const quality = built.flatMap((b, i) => this.quality(c.schema![i], b.table, b.source));
    const sla = this.sla();
    const description = this.description(productName);

    if (this.problems.length > 0) return throwContractProblems(this.parsed.source, this.problems);

    const columnParameters: Record<string, Record<string, Record<string, string>>> = {};
    for (const b of built) if (Object.keys(b.columnParameters).length > 0) columnParameters[b.table.name] = b.columnParameters;
    return {
      productName,
      ...(c.domain !== undefined && c.domain !== null ? { domain: c.domain } : {}),
      description,
      owner,
      ...(contact !== undefined ? { contact } : {}),
      ...(classification !== undefined ? { classification } : {}),
      tags,
      ignoredTags,
      parameters,
      tables: built.map((b) => b.table),
      columnParameters,
      quality,
      unsupportedRules: this.unsupported,
      sla,
      team,
      support,
      ...(location ? { location } : {}),
      ...(format ? { format } : {}),
      warnings: this.warnings,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Reporting

  private problem(field: string, rule: string, got: unknown, fix: string): void {
    this.problems.push({ field, rule, got, fix });
  }

  private warn(id: string, field: string, message: string): void {
    this.warnings.push({ id, message: `${this.parsed.source.locate(field)} \`${field}\` ${message}` });
  }

  private hasProblemAt(field: string): boolean {
    return this.problems.some((p) => p.field === field);
  }

  // -------------------------------------------------------------------------------------------------------
  // Product

  private productName(): string {
    const c = this.c;
    const [field, value] = this.options.productName !== undefined ? ['(option) productName', this.options.productName]
      : typeof c.dataProduct === 'string' ? ['dataProduct', c.dataProduct]
        : typeof c.name === 'string' ? ['name', c.name] : ['dataProduct', undefined];
    if (value === undefined) {
      this.problem('dataProduct', 'is required to name the data product (or name, or the productName option)', undefined,
        'Add e.g. dataProduct: orders.');
      return '';
    }
    const col = new ProblemCollector();
    validateName(col, field, 'product', value);
    for (const p of col.list) this.problems.push({ ...p, fix: `${p.fix} Or pass the productName option when you cannot change the contract.` });
    return value;
  }

  private description(productName: string): string {
    const purpose = this.c.description?.purpose;
    if (typeof purpose === 'string' && purpose.trim() !== '') return purpose.trim();
    this.warn(CONTRACT_DEFAULTED, 'description', 'has no purpose: the product description is generated. Add description.purpose.');
    return `Data product ${productName} (contract ${this.c.id} ${this.c.version})`;
  }

  private parameters(): Record<string, string> {
    const c = this.c;
    const params: Record<string, string> = {};
    const set = (key: string, v: unknown): void => {
      if (typeof v === 'string' && v !== '') params[key] = v;
    };
    set('contract_id', c.id);
    set('contract_version', c.version);
    set('contract_status', c.status);
    set('contract_name', c.name);
    set('odcs_api_version', c.apiVersion);
    set('contract_domain', c.domain);
    set('contract_tenant', c.tenant);
    set('contract_limitations', c.description?.limitations);
    set('contract_usage', c.description?.usage);
    const special = [CUSTOM_PROPERTY_OWNER, CUSTOM_PROPERTY_CONTACT, CUSTOM_PROPERTY_CLASSIFICATION];
    (c.customProperties ?? []).forEach((p, i) => {
      if (special.includes(p.property) || p.value === null || p.value === undefined) return;
      if (DERIVED_PARAMETERS.includes(p.property)) {
        this.warn(CONTRACT_NONSTANDARD_KEY, `customProperties[${i}].property`, `is a parameter derived from the contract (${p.property}); the custom property is ignored.`);
        return;
      }
      params[p.property] = typeof p.value === 'string' ? p.value : JSON.stringify(p.value);
    });
    return params;
  }

  private customProperty(name: string, list: readonly OdcsCustomProperty[] | undefined = this.c.customProperties): { value: unknown; index: number } | undefined {
    const index = (list ?? []).findIndex((p) => p.property === name);
    return index < 0 ? undefined : { value: list![index].value, index };
  }

  private customString(name: string): string | undefined {
    const p = this.customProperty(name);
    if (!p) return undefined;
    if (typeof p.value !== 'string' || p.value === '') {
      this.problem(`customProperties[${p.index}].value`, `must be a non-empty string for the custom property ${name}`, p.value, 'Write the value as text.');
      return undefined;
    }
    return p.value;
  }

  private tags(): { tags: Record<string, string>; ignoredTags: string[]; tagClassification?: { value: string; field: string } } {
    const tags: Record<string, string> = {};
    const ignoredTags: string[] = [];
    let tagClassification: { value: string; field: string } | undefined;
    const keys = Object.keys(this.ontologyTags).filter((k) => k !== CLASSIFICATION_TAG_KEY);
    (this.c.tags ?? []).forEach((tag, i) => {
      const field = `tags[${i}]`;
      const m = /^([^:=]+)[:=](.*)$/.exec(tag);
      const key = m?.[1].trim();
      const value = m?.[2].trim();
      if (key === undefined || value === undefined) {
        ignoredTags.push(tag);
        return;
      }
      if (key === CLASSIFICATION_TAG_KEY) {
        if (tagClassification) {
          this.problem(field, `must not repeat the ${CLASSIFICATION_TAG_KEY} tag (also ${tagClassification.field})`, tag, 'Keep one classification.');
        } else {
          tagClassification = { value, field };
        }
        return;
      }
      const allowed = this.ontologyTags[key];
      if (!allowed) {
        ignoredTags.push(tag);
        return;
      }
      if (!allowed.includes(value)) {
        const near = suggest(value, allowed);
        this.problem(field, `must use a value of LF-tag "${key}" (${allowed.join(', ')})`, tag,
          near ? `Did you mean "${near}"? Otherwise add the value to the LF-tag in the ontology.` : 'Use an allowed value, or add the value to the LF-tag in the ontology.');
        return;
      }
      if (tags[key] !== undefined && tags[key] !== value) {
        this.problem(field, `must give LF-tag "${key}" one value (already "${tags[key]}")`, tag, 'A product carries one value per LF-tag key; remove one.');
        return;
      }
      tags[key] = value;
    });
    if (ignoredTags.length > 0) {
      this.warn(CONTRACT_TAG_IGNORED, 'tags', `${JSON.stringify(ignoredTags)} are not LF-tags of the ontology and are not applied. `
        + `Write key:value with a key of the ontology (${keys.length > 0 ? keys.join(', ') : 'none declared'}) to tag the product.`);
    }
    return { tags, ignoredTags, tagClassification };
  }

  private classification(fromTag: { value: string; field: string } | undefined): string | undefined {
    const custom = this.customProperty(CUSTOM_PROPERTY_CLASSIFICATION);
    const candidates: { value: unknown; field: string }[] = [];
    if (custom) candidates.push({ value: custom.value, field: `customProperties[${custom.index}].value` });
    if (fromTag) candidates.push(fromTag);
    for (const x of candidates) this.checkClassification(x.field, x.value);
    if (candidates.length === 2 && candidates[0].value !== candidates[1].value) {
      this.problem(fromTag!.field, `must agree with the classification custom property (${JSON.stringify(candidates[0].value)})`, fromTag!.value,
        'Keep one classification for the product.');
    }
    const v = candidates[0]?.value;
    return typeof v === 'string' ? v : undefined;
  }

  private checkClassification(field: string, value: unknown): boolean {
    if (value === undefined || value === null) return true;
    if (typeof value === 'string' && this.classificationValues.includes(value)) return true;
    this.problem(field, `must be a classification of the ontology (${this.classificationValues.join(', ')})`, value,
      typeof value === 'string' ? didYouMean(value, this.classificationValues, 'Use one of the allowed values, or add the value to the classification LF-tag of the ontology.')
        : 'Use one of the allowed values.');
    return false;
  }

  // -------------------------------------------------------------------------------------------------------
  // People

  private team(): ContractTeam {
    const t = this.c.team;
    const members: readonly OdcsTeamMember[] = Array.isArray(t) ? t : (t as { members?: readonly OdcsTeamMember[] } | undefined)?.members ?? [];
    const now = Date.now();
    const current = members.filter((m) => {
      const out = m.dateOut ? Date.parse(m.dateOut) : NaN;
      return Number.isNaN(out) || out > now;
    });
    const name = !Array.isArray(t) ? (t as { name?: string } | undefined)?.name : undefined;
    return {
      ...(name ? { name } : {}),
      members: current.map((m) => ({
        ...(m.username ? { username: m.username } : {}),
        ...(m.name ? { name: m.name } : {}),
        ...(m.role ? { role: m.role } : {}),
      })),
    };
  }

  private owner(team: ContractTeam, productName: string): string {
    if (typeof this.c.owner === 'string' && this.c.owner !== '') return this.c.owner;
    const custom = this.customString(CUSTOM_PROPERTY_OWNER);
    if (custom) return custom;
    const member = team.members.find((m) => m.role !== undefined && OWNER_ROLES.includes(squash(m.role)) && (m.username || m.name));
    if (member) return (member.username ?? member.name)!;
    const fallback = this.c.domain || this.c.dataProduct || productName;
    this.warn(CONTRACT_DEFAULTED, 'team', `names no member with role owner: the owner is taken from ${this.c.domain ? 'domain' : 'dataProduct'} ("${fallback}"). `
      + 'Add a team member with role: owner.');
    return fallback;
  }

  private support(): ContractSupport {
    const emails: string[] = [];
    const others: ContractSupportChannel[] = [];
    for (const s of this.c.support ?? []) {
      const email = emailOf(s.channel, s.url, s.tool);
      if (email !== undefined) {
        if (!emails.includes(email)) emails.push(email);
      } else {
        others.push({ channel: s.channel, ...(s.tool ? { tool: s.tool } : {}), ...(s.url ? { url: s.url } : {}) });
      }
    }
    return { emails, others };
  }

  // -------------------------------------------------------------------------------------------------------
  // Servers

  private servers(): { location?: S3Location; format?: DataFormat } {
    const servers = this.c.servers ?? [];
    const s3: { s: OdcsServer; i: number }[] = [];
    servers.forEach((s, i) => {
      if (s.type === 's3') s3.push({ s, i });
      else {
        this.warn(CONTRACT_SERVER_UNSUPPORTED, `servers[${i}].type`, `is "${s.type}" (server "${s.server}"): only servers of type s3 give the product's `
          + 'location and format; this server is ignored.');
      }
    });
    if (s3.length === 0) return {};
    const chosen = s3.find((x) => ['prod', 'production'].includes(squash(x.s.environment ?? ''))) ?? s3[0];
    for (const x of s3) {
      if (x !== chosen) {
        this.warn(CONTRACT_SERVER_UNSUPPORTED, `servers[${x.i}]`, `is a second S3 server ("${x.s.server}"): the product uses servers[${chosen.i}] ("${chosen.s.server}").`);
      }
    }
    const path = `servers[${chosen.i}]`;
    const location = this.location(chosen.s, path);
    const format = chosen.s.format !== undefined && chosen.s.format !== null ? this.format(chosen.s.format, `${path}.format`) : undefined;
    if (format === DataFormat.CSV && chosen.s.delimiter !== undefined && chosen.s.delimiter !== null && chosen.s.delimiter !== ',') {
      this.warn(CONTRACT_FORMAT_UNSUPPORTED, `${path}.delimiter`, `is ${JSON.stringify(chosen.s.delimiter)}: csv tables are read with "," as separator.`);
    }
    return { location, format };
  }

  private location(s: OdcsServer, path: string): S3Location | undefined {
    const raw = s.location ?? s.path;
    const field = `${path}.${s.location !== undefined ? 'location' : 'path'}`;
    if (raw === undefined || raw === null) {
      this.problem(`${path}.location`, 'is required for a server of type s3', undefined, 'Add e.g. location: "s3://my-bucket/orders/".');
      return undefined;
    }
    const m = /^s3[an]?:\/\/([^/]+)(?:\/(.*))?$/.exec(raw.trim());
    if (!m || !BUCKET.test(m[1])) {
      this.problem(field, 'must be an S3 URL s3://<bucket>/<prefix> with a valid bucket name', raw, 'Write e.g. "s3://my-bucket/orders/".');
      return undefined;
    }
    const segments = (m[2] ?? '').split('/').filter((x) => x !== '');
    const cut = segments.findIndex((x, i) => /[*{?[]/.test(x) || (i === segments.length - 1 && !raw.endsWith('/') && /\.[a-z0-9]+$/i.test(x) && x.includes('.')));
    if (cut >= 0) {
      this.warn(CONTRACT_LOCATION_TRIMMED, field, `has a file name, glob or placeholder ("${segments.slice(cut).join('/')}"): the product uses the prefix before it.`);
      segments.length = cut;
    }
    return { bucket: m[1], prefix: segments.join('/') };
  }

  private format(value: string, field: string): DataFormat | undefined {
    const f = squash(value);
    if (f === 'parquet') return DataFormat.PARQUET;
    if (f === 'json' || f === 'jsonl' || f === 'ndjson' || f === 'jsonlines') return DataFormat.JSON;
    if (f === 'csv') return DataFormat.CSV;
    this.warn(CONTRACT_FORMAT_UNSUPPORTED, field, `is "${value}": the toolkit stores parquet, json or csv; the format is left to the default (parquet).`);
    return undefined;
  }

  // -------------------------------------------------------------------------------------------------------
  // Tables

  private table(o: OdcsSchemaObject, path: string, serverFormat: DataFormat | undefined): {
    table: TableSpec; source: TableSource; columnParameters: Record<string, Record<string, string>>;
  } {
    const nameField = o.physicalName ? 'physicalName' : 'name';
    const tableName = (o.physicalName || o.name) ?? '';
    const columns: ColumnSpec[] = [];
    const columnSources: ColumnSource[] = [];
    const columnParameters: Record<string, Record<string, string>> = {};
    const columnByProperty = new Map<string, string>();
    const partitions: { name: string; position: number; index: number; path: string }[] = [];

    // Table classification: `classification` (extension) or the custom property.
    const customClass = this.customProperty(CUSTOM_PROPERTY_CLASSIFICATION, o.customProperties);
    let classification: string | undefined;
    let classificationField = `${path}.classification`;
    if (o.classification !== undefined && o.classification !== null) classification = o.classification;
    else if (customClass) {
      classificationField = `${path}.customProperties[${customClass.index}].value`;
      classification = customClass.value as string;
    }
    if (!this.checkClassification(classificationField, classification)) classification = undefined;

    const customFormat = this.customProperty(CUSTOM_PROPERTY_FORMAT, o.customProperties);
    let format = serverFormat;
    if (customFormat) {
      const f = `${path}.customProperties[${customFormat.index}].value`;
      format = typeof customFormat.value === 'string' ? this.format(customFormat.value, f) : undefined;
      if (typeof customFormat.value !== 'string') this.problem(f, 'must be a table format (parquet, json or csv)', customFormat.value, 'Write e.g. value: parquet.');
    }

    this.elementTags(o.tags, path);
    (o.properties ?? []).forEach((p, j) => {
      const pp = `${path}.properties[${j}]`;
      const colName = (p.physicalName || p.name) ?? '';
      columnByProperty.set(p.name, colName);
      const before = this.problems.length;
      const { type, typeField } = this.columnType(p, pp);
      const broken = this.problems.length > before;
      columnSources.push({ path: pp, nameField: p.physicalName ? 'physicalName' : 'name', typeField, broken });
      const col: { -readonly [K in keyof ColumnSpec]: ColumnSpec[K] } = { name: colName, type: type ?? 'string' };
      const comment = this.comment(p.description, pp);
      if (comment !== undefined) col.comment = comment;
      if (p.classification !== undefined && p.classification !== null && this.checkClassification(`${pp}.classification`, p.classification)) {
        col.classification = p.classification;
      }
      columns.push(col);
      const params = columnParams(p);
      if (Object.keys(params).length > 0) columnParameters[colName] = params;
      if (p.partitioned === true) {
        partitions.push({ name: colName, position: p.partitionKeyPosition ?? -1, index: j, path: pp });
      } else if (p.partitionKeyPosition !== undefined && p.partitionKeyPosition !== null && p.partitionKeyPosition >= 1) {
        this.problem(`${pp}.partitionKeyPosition`, 'must go with partitioned: true (the property is not partitioned)', p.partitionKeyPosition,
          'Add partitioned: true, or remove partitionKeyPosition.');
      }
      this.elementTags(p.tags, pp);
      this.nestedChecks(p, pp, false);
    });

    const partitionKeys = this.partitionKeys(partitions);
    const table: { -readonly [K in keyof TableSpec]: TableSpec[K] } = { name: tableName, columns };
    if (o.description) table.description = o.description;
    if (partitionKeys.length > 0) table.partitionKeys = partitionKeys;
    const projection = this.customProperty(CUSTOM_PROPERTY_PROJECTION, o.customProperties);
    const projectionField = projection ? `${path}.customProperties[${projection.index}].value` : undefined;
    if (projection) {
      if (isPlainObject(projection.value)) table.projection = projection.value as TableSpec['projection'];
      else {
        this.problem(projectionField!, 'must map each partition key to its projection', projection.value,
          'Write e.g. value: { order_date: { type: date, range: "NOW-3YEARS,NOW", format: yyyy-MM-dd } }.');
      }
    }
    if (format !== undefined) table.format = format;
    if (classification !== undefined) table.classification = classification;
    const source: TableSource = { path, nameField, classificationField, projectionField, columns: columnSources, columnByProperty };
    this.validateTableSpec(table, source);
    return { table, source, columnParameters };
  }

  private partitionKeys(partitions: { name: string; position: number; index: number; path: string }[]): string[] {
    const seen = new Map<number, string>();
    for (const p of partitions) {
      if (p.position >= 1) {
        if (seen.has(p.position)) {
          this.problem(`${p.path}.partitionKeyPosition`, `must be unique among the partitioned properties (also ${seen.get(p.position)})`, p.position,
            'Number the partition keys 1, 2, 3, ... in partition order.');
        }
        seen.set(p.position, p.path);
      }
    }
    // Positioned keys first, by position; then the others in document order.
    return [...partitions]
      .sort((a, b) => (a.position >= 1 ? a.position : Infinity) - (b.position >= 1 ? b.position : Infinity) || a.index - b.index)
      .map((p) => p.name);
  }

  private comment(description: string | undefined, path: string): string | undefined {
    if (description === undefined || description === null || description === '') return undefined;
    if (description.length <= GLUE_MAX_COMMENT_LENGTH) return description;
    this.warn(CONTRACT_COMMENT_CLIPPED, `${path}.description`, `has ${description.length} characters: the column comment is clipped to `
      + `Glue's limit of ${GLUE_MAX_COMMENT_LENGTH}.`);
    return `${description.slice(0, GLUE_MAX_COMMENT_LENGTH - 3)}...`;
  }

  private elementTags(tags: readonly string[] | undefined, path: string): void {
    if (tags && tags.length > 0) {
      this.warn(CONTRACT_TAG_IGNORED, `${path}.tags`, `${JSON.stringify(tags)} are not applied: only contract-level tags written key:value with a key `
        + 'of the ontology become LF-tags (columns carry only the classification LF-tag).');
    }
  }

  /** Warns about what nested fields declare but cannot carry. */
  private nestedChecks(p: OdcsPropertyBase, path: string, nested: boolean): void {
    if (nested) {
      const ignored = (['classification', 'partitioned', 'primaryKey'] as const).filter((k) => p[k] !== undefined && p[k] !== null && p[k] !== false);
      if (ignored.length > 0) {
        this.warn(CONTRACT_NESTED_IGNORED, path, `sets ${ignored.join(', ')} on a nested field: Glue and Lake Formation apply them to top-level columns only.`);
      }
      (p.quality ?? []).forEach((_, k) => this.unsupportedRule(`${path}.quality[${k}]`, undefined, undefined,
        'quality rules on nested fields are not supported; write them on a top-level property'));
    }
    (p.properties ?? []).forEach((x, k) => this.nestedChecks(x, `${path}.properties[${k}]`, true));
    if (p.items) this.nestedChecks(p.items, `${path}.items`, true);
  }

  /** The Glue type of a property. Reports problems; returns undefined when there is none to give. */
  private columnType(p: OdcsPropertyBase, path: string): { type?: string; typeField: 'logicalType' | 'physicalType' } {
    const physical = typeof p.physicalType === 'string' && p.physicalType.trim() !== '' ? p.physicalType.trim() : undefined;
    const gluePhysical = physical !== undefined ? gluePhysicalType(physical) : undefined;
    const logical = p.logicalType ?? inferLogicalType(p, gluePhysical);
    if (logical === undefined) {
      this.problem(`${path}.logicalType`, `is required when physicalType is not a Glue type (one of ${LOGICAL_TYPES.join(', ')})`, p.logicalType,
        'Add e.g. logicalType: string.');
      return { typeField: 'logicalType' };
    }
    const typeField = physical !== undefined ? 'physicalType' : 'logicalType';
    const fits = FAMILIES[logical] ?? [];
    const family = gluePhysical !== undefined ? familyOf(gluePhysical) : undefined;
    if (gluePhysical !== undefined && !fits.includes(family!)) {
      this.problem(`${path}.physicalType`, `must fit logicalType ${logical} (a Glue ${fits.join(' or ')} type)`, physical,
        `Fix physicalType or logicalType; for logicalType ${logical} write e.g. physicalType: ${EXAMPLES[logical]}.`);
      return { typeField: 'physicalType' };
    }
    let type: string | undefined;
    switch (logical) {
      case 'array': type = this.arrayType(p, path, gluePhysical); break;
      case 'object': type = this.objectType(p, path, gluePhysical); break;
      default:
        type = gluePhysical ?? this.defaultType(logical, p, path);
        if (gluePhysical === undefined && physical !== undefined) {
          this.warn(CONTRACT_TYPE_APPROXIMATED, `${path}.physicalType`, `"${physical}" is not a Glue type: the column is typed ${type} from logicalType ${logical}.`);
        } else if (logical === 'time' && gluePhysical === undefined) {
          this.warn(CONTRACT_TYPE_APPROXIMATED, `${path}.logicalType`, 'is time, which Glue has no type for: the column is a string (e.g. "08:30:00").');
        }
    }
    if (type === undefined) return { typeField };
    const problem = glueTypeProblem(type);
    if (problem) {
      this.problem(`${path}.${typeField}`, `must give a valid Glue type (${problem})`, type, 'Fix the type of the property.');
      return { typeField };
    }
    return { type, typeField };
  }

  private defaultType(logical: string, p: OdcsPropertyBase, path: string): string | undefined {
    const o = p.logicalTypeOptions ?? {};
    switch (logical) {
      case 'string':
      case 'time':
        return 'string';
      case 'boolean':
      case 'date':
      case 'timestamp':
        return logical;
      case 'integer':
        return INTEGER_FORMATS[o.format ?? ''] ?? 'bigint';
      case 'number': {
        if (o.precision !== undefined || o.scale !== undefined) {
          if (o.precision === undefined) {
            this.problem(`${path}.logicalTypeOptions.precision`, 'is required with scale (decimal(precision,scale))', undefined, 'Add e.g. precision: 12.');
            return undefined;
          }
          return `decimal(${o.precision},${o.scale ?? 0})`;
        }
        return o.format === 'f32' ? 'float' : 'double';
      }
      default:
        return undefined;
    }
  }

  private arrayType(p: OdcsPropertyBase, path: string, gluePhysical: string | undefined): string | undefined {
    if (!p.items) {
      if (gluePhysical !== undefined) return gluePhysical;
      this.problem(`${path}.items`, 'is required for logicalType array (the type of the elements)', undefined, 'Add e.g. items: { logicalType: string }.');
      return undefined;
    }
    const element = this.columnType(p.items as OdcsItems, `${path}.items`).type;
    if (element === undefined) return undefined;
    const type = `array<${element}>`;
    if (gluePhysical !== undefined && gluePhysical !== normalizeGlueType(type)) {
      this.warn(CONTRACT_TYPE_APPROXIMATED, `${path}.physicalType`, `"${p.physicalType}" differs from the type given by items (${type}); items win.`);
    }
    return type;
  }

  private objectType(p: OdcsPropertyBase, path: string, gluePhysical: string | undefined): string | undefined {
    const props = p.properties ?? [];
    if (props.length === 0) {
      if (gluePhysical !== undefined) return gluePhysical;
      this.problem(`${path}.properties`, 'must list the fields of a property of logicalType object (or give a Glue struct<...> or map<...> physicalType)',
        p.properties, 'Add e.g. properties: [{ name: street, logicalType: string }].');
      return undefined;
    }
    const fields: string[] = [];
    const seen = new Set<string>();
    let ok = true;
    props.forEach((x: OdcsProperty, k) => {
      const fp = `${path}.properties[${k}]`;
      const name = ((x.physicalName || x.name) ?? '').toLowerCase();
      if (!STRUCT_FIELD.test(name) || seen.has(name)) {
        this.problem(`${fp}.${x.physicalName ? 'physicalName' : 'name'}`, seen.has(name) ? 'must be unique among the fields of the object'
          : `must be a struct field name matching ${STRUCT_FIELD.source}`, x.physicalName || x.name, 'Rename the field (or set physicalName).');
        ok = false;
      }
      seen.add(name);
      const t = this.columnType(x, fp).type;
      if (t === undefined) ok = false;
      else fields.push(`${name}:${t}`);
    });
    if (!ok) return undefined;
    const type = `struct<${fields.join(',')}>`;
    if (gluePhysical !== undefined && gluePhysical !== normalizeGlueType(type)) {
      this.warn(CONTRACT_TYPE_APPROXIMATED, `${path}.physicalType`, `"${p.physicalType}" differs from the type given by properties (${type}); properties win.`);
    }
    return type;
  }

  /** Runs the project's table validation and reports its problems at the contract fields they come from. */
  private validateTableSpec(table: TableSpec, s: TableSource): void {
    const col = new ProblemCollector();
    validateTable(col, table, this.classificationValues);
    for (const p of col.list) {
      const field = translateTableField(p.field, s);
      if (field === undefined || this.hasProblemAt(field)) continue;
      this.problems.push({ ...p, field });
    }
  }

  private checkTableNames(tables: readonly TableSpec[], sources: readonly TableSource[]): void {
    const seen = new Map<string, string>();
    tables.forEach((t, i) => {
      const field = `${sources[i].path}.${sources[i].nameField}`;
      if (seen.has(t.name)) {
        this.problem(field, `must be unique among the schema objects (also ${seen.get(t.name)})`, t.name, 'Rename one of the objects (or set physicalName).');
      } else {
        seen.set(t.name, field);
      }
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Quality

  private quality(o: OdcsSchemaObject, table: TableSpec, s: TableSource): TableQuality[] {
    const rules: QualityRuleSpec[] = [];
    const columnNames = table.columns.map((c) => c.name);
    const required = new Set((o.properties ?? []).filter((p) => p.required === true || p.primaryKey === true).map((p) => (p.physicalName || p.name)));
    (o.quality ?? []).forEach((q, k) => {
      const r = this.qualityRule(q, `${s.path}.quality[${k}]`, table.name, undefined, columnNames, s, required);
      if (r) rules.push(r);
    });
    (o.properties ?? []).forEach((p, j) => {
      const column = (p.physicalName || p.name);
      (p.quality ?? []).forEach((q, k) => {
        const r = this.qualityRule(q, `${s.path}.properties[${j}].quality[${k}]`, table.name, column, columnNames, s, required);
        if (r) rules.push(r);
      });
    });
    if (rules.length === 0) return [];
    return [{ table: table.name, dqdl: renderRuleset(rules.flatMap((r) => r.dqdl)), rules }];
  }

  private unsupportedRule(path: string, table: string | undefined, column: string | undefined, reason: string): void {
    this.unsupported.push({ path, ...(table ? { table } : {}), ...(column ? { column } : {}), reason });
    this.warn(CONTRACT_RULE_UNSUPPORTED, path, `is not turned into a Glue Data Quality rule: ${reason}.`);
  }

  private qualityRule(
    q: OdcsQualityRule, path: string, table: string, column: string | undefined, columns: readonly string[], s: TableSource,
    required: ReadonlySet<string>,
  ): QualityRuleSpec | undefined {
    const type = q.type ?? (q.metric || q.rule ? 'library' : q.engine || q.implementation ? 'custom' : q.query ? 'sql' : 'library');
    const base = {
      path,
      ...(column ? { column } : {}),
      ...(q.name ? { name: q.name } : {}),
      ...(q.description ? { description: q.description } : {}),
      ...(q.dimension ? { dimension: q.dimension } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
    };
    switch (type) {
      case 'text':
        this.unsupportedRule(path, table, column, 'text rules describe quality for humans; there is nothing to run');
        return undefined;
      case 'sql':
        this.unsupportedRule(path, table, column, 'SQL rules are written in the dialect of the source server and are not translated; '
          + `rewrite it as type: custom, engine: ${DQDL_ENGINE} with a DQDL CustomSql rule`);
        return undefined;
      case 'custom': {
        const engine = q.engine ?? '';
        if (!DQDL_ENGINES.map(squash).includes(squash(engine))) {
          this.unsupportedRule(path, table, column, `engine "${engine}" is not run by the toolkit (supported: ${DQDL_ENGINES.join(', ')}, with DQDL as implementation)`);
          return undefined;
        }
        if (typeof q.implementation !== 'string') {
          this.problem(`${path}.implementation`, `must be DQDL text for engine ${engine}`, q.implementation,
            'Write the rules as text, e.g. implementation: ColumnValues "status" in ["open", "closed"].');
          return undefined;
        }
        const parsed = parseDqdl(q.implementation, { columns });
        if (parsed.problems.length > 0) {
          this.problem(`${path}.implementation`, `must be DQDL in a form the toolkit supports (${parsed.problems[0]})`, q.implementation,
            'Fix the rule; supported rule types are RowCount, Completeness, IsComplete, IsUnique, Uniqueness, IsPrimaryKey, ColumnValues, '
            + 'ColumnLength, Mean, Sum, StandardDeviation, DistinctValuesCount, CustomSql (see lib/contracts/dqdl.ts).');
          return undefined;
        }
        return { ...base, source: 'custom', dqdl: parsed.rules.map((r) => r.text) };
      }
      default:
        return this.libraryRule(q, path, table, column, s, required, base);
    }
  }

  private libraryRule(
    q: OdcsQualityRule, path: string, table: string, column: string | undefined, s: TableSource, required: ReadonlySet<string>,
    base: Omit<QualityRuleSpec, 'source' | 'dqdl'>,
  ): QualityRuleSpec | undefined {
    const written = q.metric ?? q.rule;
    if (written === undefined) {
      this.problem(`${path}.metric`, `is required for a library rule (one of ${QUALITY_METRICS.join(', ')})`, undefined,
        'Add e.g. metric: nullValues, or set type to text, sql or custom.');
      return undefined;
    }
    const metric = METRIC_ALIASES[squash(written)];
    if (metric === undefined) {
      this.unsupportedRule(path, table, column, `metric "${written}" is not a library metric of ODCS (${QUALITY_METRICS.join(', ')}). `
        + didYouMean(written, QUALITY_METRICS, ''));
      return undefined;
    }
    const unit = squash(q.unit ?? 'rows');
    const percent = ['percent', 'percentage', 'pct'].includes(unit);
    if (!percent && !['rows', 'row', 'count'].includes(unit)) {
      this.unsupportedRule(path, table, column, `unit "${q.unit}" is not supported (rows or percent)`);
      return undefined;
    }
    const ops = this.operators(q, path, metric, percent);
    if (ops === undefined) return undefined;
    const args = q.arguments ?? {};
    const done = (dqdl: string[]): QualityRuleSpec => {
      for (const r of dqdl) {
        const check = parseDqdl(r);
        if (check.problems.length > 0) throw new Error(`generated DQDL is invalid (${check.problems[0]}): ${r}`);
      }
      return { ...base, source: 'library', metric, dqdl };
    };
    const level = (wanted: 'property' | 'object'): boolean => {
      if ((wanted === 'property') === (column !== undefined)) return true;
      this.unsupportedRule(path, table, column, wanted === 'property'
        ? `metric ${metric} is about one column; write the rule under the property it checks`
        : `metric ${metric} is about the whole object; write the rule under the schema object`);
      return false;
    };
    switch (metric) {
      case 'rowCount':
        if (!level('object')) return undefined;
        if (percent) {
          this.unsupportedRule(path, table, column, 'rowCount counts rows; unit percent has no meaning');
          return undefined;
        }
        return done(ops.map((o) => renderRule({ type: 'RowCount', params: [], condition: direct(o) })));
      case 'nullValues':
        if (!level('property')) return undefined;
        return done(ops.map((o) => (isZero(o, percent) ? renderRule({ type: 'IsComplete', params: [column!] })
          : percent ? renderRule({ type: 'Completeness', params: [column!], condition: goodRatio(o) })
            : customSql(`SELECT COUNT(*) FROM primary WHERE ${sqlName(column!)} IS NULL`, o))));
      case 'missingValues': {
        if (!level('property')) return undefined;
        const values = this.valueList(args.missingValues, `${path}.arguments.missingValues`, 'missingValues');
        if (values === undefined) return undefined;
        let list = values;
        if (list.length === 0) {
          list = [null, ''];
          this.warn(CONTRACT_RULE_APPROXIMATED, path, 'lists no arguments.missingValues: null and "" count as missing.');
        }
        const set = dqdlValues(list);
        return done(ops.map((o) => (isZero(o, percent) ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'not in', values: set } })
          : percent ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'not in', values: set }, threshold: goodRatio(o) })
            : customSql(`SELECT COUNT(*) FROM primary WHERE ${sqlMembership(column!, list)}`, o))));
      }
      case 'invalidValues': {
        if (!level('property')) return undefined;
        const validField = args.validValues !== undefined ? `${path}.arguments.validValues` : `${path}.validValues`;
        const valid = this.valueList(args.validValues ?? q.validValues, validField, 'validValues');
        const pattern = args.pattern;
        if (valid === undefined) return undefined;
        if (pattern !== undefined && (typeof pattern !== 'string' || !isRegExp(pattern))) {
          this.problem(`${path}.arguments.pattern`, 'must be a regular expression', pattern, 'Write e.g. pattern: "^[A-Z]{2}[0-9]{2}".');
          return undefined;
        }
        if (valid.length === 0 && pattern === undefined) {
          this.problem(`${path}.arguments`, 'must give validValues or pattern for metric invalidValues', q.arguments,
            'Add e.g. arguments: { validValues: [pounds, kg] } or arguments: { pattern: "^[A-Z]+$" }.');
          return undefined;
        }
        const dqdl: string[] = [];
        if (valid.length > 0) {
          // Nulls are not invalid values (nullValues counts them): NULL joins the allowed values.
          const set = dqdlValues(valid.includes(null) ? valid : [...valid, null]);
          const nonNull = valid.filter((v) => v !== null);
          for (const o of ops) {
            dqdl.push(isZero(o, percent) ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'in', values: set } })
              : percent ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'in', values: set }, threshold: goodRatio(o) })
                : customSql(`SELECT COUNT(*) FROM primary WHERE ${sqlName(column!)} IS NOT NULL AND NOT (${sqlMembership(column!, nonNull)})`, o));
          }
        }
        if (typeof pattern === 'string') {
          const where = `${sqlName(column!)} IS NOT NULL`;
          for (const o of ops) {
            dqdl.push(isZero(o, percent) ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'matches', pattern }, where })
              : percent ? renderRule({ type: 'ColumnValues', params: [column!], condition: { op: 'matches', pattern }, where, threshold: goodRatio(o) })
                : customSql(`SELECT COUNT(*) FROM primary WHERE ${where} AND NOT (${sqlName(column!)} RLIKE ${sqlLiteral(pattern, true)})`, o));
          }
        }
        return done(dqdl);
      }
      case 'duplicateValues': {
        const listed = args.properties;
        if (listed === undefined) {
          if (!level('property')) return undefined;
          return done(ops.map((o) => (isZero(o, percent) ? renderRule({ type: 'IsUnique', params: [column!] })
            : percent ? renderRule({ type: 'Uniqueness', params: [column!], condition: goodRatio(o) })
              : customSql(`SELECT COUNT(${sqlName(column!)}) - COUNT(DISTINCT ${sqlName(column!)}) FROM primary`, o))));
        }
        if (!Array.isArray(listed) || listed.length === 0 || listed.some((x) => typeof x !== 'string')) {
          this.problem(`${path}.arguments.properties`, 'must list the names of the properties whose combination must be unique', listed,
            'Write e.g. properties: [tenant_id, order_id].');
          return undefined;
        }
        const cols: string[] = [];
        let ok = true;
        (listed as string[]).forEach((name, i) => {
          const col = s.columnByProperty.get(name);
          if (col === undefined) {
            this.problem(`${path}.arguments.properties[${i}]`, `must name a property of the object (${[...s.columnByProperty.keys()].join(', ')})`, name,
              didYouMean(name, [...s.columnByProperty.keys()], 'Fix the property name.'));
            ok = false;
          } else {
            cols.push(col);
          }
        });
        if (!ok) return undefined;
        const keys = cols.map(sqlName).join(', ');
        const surplus = `SELECT COALESCE(SUM(n) - COUNT(*), 0) FROM (SELECT COUNT(*) AS n FROM primary GROUP BY ${keys} HAVING COUNT(*) > 1)`;
        return done(ops.map((o) => {
          if (isZero(o, percent) && cols.every((x) => required.has(x))) return renderRule({ type: 'IsPrimaryKey', params: cols });
          if (percent) {
            return customSql(`SELECT COALESCE(SUM(n) - COUNT(*), 0) * 100.0 / (SELECT COUNT(*) FROM primary) FROM (SELECT COUNT(*) AS n FROM primary GROUP BY ${keys} HAVING COUNT(*) > 1)`, o);
          }
          return customSql(surplus, o);
        }));
      }
      default:
        return undefined;
    }
  }

  /** The comparison operators of a library rule. */
  private operators(q: OdcsQualityRule, path: string, metric: string, percent: boolean): Operator[] | undefined {
    const ops: Operator[] = [];
    let ok = true;
    for (const op of QUALITY_OPERATORS) {
      const v = q[op];
      if (v === undefined || v === null) continue;
      if (op === 'mustBeBetween' || op === 'mustNotBeBetween') {
        ops.push({ op, value: v as readonly [number, number] });
      } else if (typeof v !== 'number') {
        this.problem(`${path}.${op}`, `must be a number for metric ${metric}`, v, 'Write a number, e.g. mustBe: 0.');
        ok = false;
      } else {
        ops.push({ op, value: v });
      }
    }
    for (const o of ops) {
      const values = typeof o.value === 'number' ? [o.value] : o.value;
      if (percent && values.some((x) => x < 0 || x > 100)) {
        this.problem(`${path}.${o.op}`, 'must be a percentage between 0 and 100 (unit: percent)', o.value, 'Fix the value or the unit.');
        ok = false;
      }
      if (metric !== 'rowCount' && !percent && values.some((x) => x < 0)) {
        this.problem(`${path}.${o.op}`, 'must not be negative (it counts rows)', o.value, 'Fix the value.');
        ok = false;
      }
    }
    if (!ok) return undefined;
    if (ops.length === 0) {
      if (metric === 'rowCount') {
        this.problem(path, `must compare the metric with an operator (${QUALITY_OPERATORS.join(', ')})`, undefined, 'Add e.g. mustBeGreaterThan: 0.');
        return undefined;
      }
      this.warn(CONTRACT_RULE_APPROXIMATED, path, `has no operator: mustBe: 0 is assumed (no ${metric === 'duplicateValues' ? 'duplicate' : metric === 'nullValues' ? 'null' : metric === 'missingValues' ? 'missing' : 'invalid'} values).`);
      return [{ op: 'mustBe', value: 0 }];
    }
    return ops;
  }

  private valueList(v: unknown, field: string, what: string): (string | number | boolean | null)[] | undefined {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => x !== null && typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')) {
      this.problem(field, `must be a list of values for ${what}`, v, `Write e.g. ${what}: [a, b].`);
      return undefined;
    }
    return v as (string | number | boolean | null)[];
  }

  // -------------------------------------------------------------------------------------------------------
  // SLA

  private sla(): ContractSla {
    let latency: number | undefined;
    let frequency: number | undefined;
    let retention: number | undefined;
    const seen = new Map<string, string>();
    (this.c.slaProperties ?? []).forEach((p, k) => {
      const path = `slaProperties[${k}]`;
      const kind = SLA_ALIASES[squash(p.property)];
      if (kind === undefined) {
        this.warn(CONTRACT_SLA_UNSUPPORTED, `${path}.property`, `"${p.property}" is not acted on by the toolkit (it reads latency, frequency and retention).`);
        return;
      }
      if (seen.has(kind)) {
        this.warn(CONTRACT_SLA_UNSUPPORTED, path, `repeats ${kind} (first at ${seen.get(kind)}); the first is used.`);
        return;
      }
      seen.set(kind, path);
      const seconds = this.duration(p.value, p.unit, path, kind === 'frequency');
      if (seconds === undefined) return;
      if (kind === 'latency') latency = seconds;
      else if (kind === 'frequency') frequency = seconds;
      else retention = seconds;
    });
    const freshness = latency !== undefined ? { maxAgeSeconds: latency, source: 'latency' as const }
      : frequency !== undefined ? { maxAgeSeconds: frequency, source: 'frequency' as const } : undefined;
    return {
      ...(freshness ? { freshness } : {}),
      ...(retention !== undefined ? { retentionDays: Math.ceil(retention / DAY) } : {}),
    };
  }

  private duration(value: unknown, unit: string | undefined, path: string, frequency: boolean): number | undefined {
    if (typeof value === 'string' && /^P/i.test(value.trim()) && unit === undefined) {
      const s = isoDuration(value.trim());
      if (s !== undefined && s > 0) return s;
      this.problem(`${path}.value`, 'must be an ISO 8601 duration such as P1D or PT4H', value, 'Fix the duration, or write a number with a unit.');
      return undefined;
    }
    if (frequency && typeof value === 'string' && unit === undefined && FREQUENCY_WORDS[squash(value)] !== undefined) return FREQUENCY_WORDS[squash(value)];
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n) || n <= 0) {
      this.problem(`${path}.value`, 'must be a positive number (with a unit) or an ISO 8601 duration', value, 'Write e.g. value: 4 with unit: h.');
      return undefined;
    }
    const factor = unit === undefined ? undefined : UNIT_SECONDS[unit.trim().toLowerCase()];
    if (factor === undefined) {
      this.problem(`${path}.unit`, `must be a time unit (${Object.keys(UNIT_SECONDS).join(', ')})`, unit, 'Write e.g. unit: d.');
      return undefined;
    }
    return Math.round(n * factor);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Types

/** Physical type spellings of common databases → Glue. */
const PHYSICAL_ALIASES: Readonly<Record<string, string>> = {
  integer: 'int', int32: 'int', int4: 'int', long: 'bigint', int64: 'bigint', int8: 'bigint', short: 'smallint', int16: 'smallint', int2: 'smallint',
  byte: 'tinyint', text: 'string', str: 'string', bool: 'boolean', real: 'float', float4: 'float', float32: 'float', float8: 'double', float64: 'double',
  'double precision': 'double', datetime: 'timestamp', timestamp_ntz: 'timestamp', timestamp_ltz: 'timestamp', timestamp_tz: 'timestamp',
  timestamptz: 'timestamp', 'timestamp with time zone': 'timestamp', 'timestamp without time zone': 'timestamp', bytes: 'binary', varbinary: 'binary',
};

/** A physicalType as a canonical Glue type, when it is one (aliases included), else undefined. */
export function gluePhysicalType(physical: string): string | undefined {
  const s = physical.trim().toLowerCase().replace(/\s+/g, ' ');
  const alias = PHYSICAL_ALIASES[s];
  if (alias) return alias;
  const m = /^(numeric|number|varchar2|nvarchar|nvarchar2|character varying|nchar|character)\s*\((.*)\)$/.exec(s);
  if (m) {
    const target = m[1] === 'numeric' || m[1] === 'number' ? 'decimal' : m[1] === 'nchar' || m[1] === 'character' ? 'char' : 'varchar';
    return normalizeGlueType(`${target}(${m[2]})`);
  }
  return normalizeGlueType(s);
}

type Family = 'string' | 'integer' | 'fraction' | 'boolean' | 'date' | 'timestamp' | 'array' | 'struct' | 'map';

function familyOf(glue: string): Family {
  const t = parseGlueType(glue)!;
  if (t.kind !== 'primitive') return t.kind;
  const name = t.name.replace(/\(.*$/, '');
  if (['string', 'varchar', 'char', 'binary'].includes(name)) return 'string';
  if (['tinyint', 'smallint', 'int', 'integer', 'bigint'].includes(name)) return 'integer';
  if (name === 'decimal') return /^decimal\(\d+(,0)?\)$/.test(t.name) ? 'integer' : 'fraction';
  if (['float', 'double'].includes(name)) return 'fraction';
  return name as Family;
}

/** Glue type families a logicalType accepts as physicalType. */
const FAMILIES: Readonly<Record<string, readonly Family[]>> = {
  string: ['string'],
  integer: ['integer'],
  number: ['integer', 'fraction'],
  boolean: ['boolean'],
  date: ['date', 'timestamp', 'string'],
  timestamp: ['timestamp', 'string'],
  time: ['string'],
  array: ['array'],
  object: ['struct', 'map'],
};

const EXAMPLES: Readonly<Record<string, string>> = {
  string: 'varchar(64)', integer: 'bigint', number: 'decimal(12,2)', boolean: 'boolean', date: 'date', timestamp: 'timestamp', time: 'string',
  array: 'array<string>', object: 'struct<street:string>',
};

const INTEGER_FORMATS: Readonly<Record<string, string>> = {
  i8: 'tinyint', i16: 'smallint', i32: 'int', i64: 'bigint', u8: 'smallint', u16: 'int', u32: 'bigint', u64: 'decimal(20,0)', i128: 'decimal(38,0)', u128: 'decimal(38,0)',
};

function inferLogicalType(p: OdcsPropertyBase, gluePhysical: string | undefined): string | undefined {
  if (p.items) return 'array';
  if (p.properties && p.properties.length > 0) return 'object';
  if (gluePhysical === undefined) return undefined;
  switch (familyOf(gluePhysical)) {
    case 'integer': return 'integer';
    case 'fraction': return 'number';
    case 'struct':
    case 'map': return 'object';
    default: return familyOf(gluePhysical);
  }
}

function columnParams(p: OdcsProperty): Record<string, string> {
  const out: Record<string, string> = {};
  if (p.required === true) out.required = 'true';
  if (p.primaryKey === true) {
    out.primary_key = 'true';
    if (typeof p.primaryKeyPosition === 'number' && p.primaryKeyPosition >= 1) out.primary_key_position = String(p.primaryKeyPosition);
  }
  if (p.unique === true) out.unique = 'true';
  if (p.criticalDataElement === true) out.critical_data_element = 'true';
  if (typeof p.businessName === 'string' && p.businessName !== '') out.business_name = p.businessName;
  return out;
}

/** A field reported by validateTable (relative to the TableSpec) → the contract field it comes from. */
function translateTableField(field: string, s: TableSource): string | undefined {
  if (field === '' || field === 'name') return `${s.path}.${s.nameField}`;
  if (field === 'classification') return s.classificationField;
  if (field === 'columns' || field === 'partitionKeys') return `${s.path}.properties`;
  const col = /^columns\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (col) {
    const c = s.columns[Number(col[1])];
    if (!c) return `${s.path}.properties`;
    const sub = col[2];
    if (sub === 'type') return c.broken ? undefined : `${c.path}.${c.typeField}`;
    if (sub === 'name') return `${c.path}.${c.nameField}`;
    if (sub === 'comment') return `${c.path}.description`;
    return sub ? `${c.path}.${sub}` : c.path;
  }
  if (/^partitionKeys\[\d+\]/.test(field)) return `${s.path}.properties`;
  if (field.startsWith('projection') && s.projectionField) return s.projectionField;
  return s.path;
}

// ---------------------------------------------------------------------------------------------------------
// Quality helpers

const METRIC_ALIASES: Readonly<Record<string, string>> = {
  nullvalues: 'nullValues', nullcount: 'nullValues', nullcheck: 'nullValues', notnull: 'nullValues',
  missingvalues: 'missingValues', missingcount: 'missingValues',
  invalidvalues: 'invalidValues', invalidcount: 'invalidValues', validvalues: 'invalidValues',
  duplicatevalues: 'duplicateValues', duplicatecount: 'duplicateValues',
  rowcount: 'rowCount',
};

function num(n: number): DqdlValue {
  return { kind: 'number', value: n };
}

/** The rule's condition on the metric itself. */
function direct(o: Operator): DqdlCondition {
  switch (o.op) {
    case 'mustBeBetween': return { op: 'between', low: num(o.value[0]), high: num(o.value[1]) };
    case 'mustNotBeBetween': return { op: 'not between', low: num(o.value[0]), high: num(o.value[1]) };
    default: return { op: COMPARISONS[o.op], value: num(o.value) };
  }
}

const COMPARISONS = {
  mustBe: '=', mustNotBe: '!=', mustBeGreaterThan: '>', mustBeGreaterOrEqualTo: '>=', mustBeLessThan: '<', mustBeLessOrEqualTo: '<=',
} as const;
const FLIPPED = { '=': '=', '!=': '!=', '>': '<', '>=': '<=', '<': '>', '<=': '>=' } as const;

/**
 * A condition on the percentage of bad rows, as a condition on the ratio of good rows that Glue's
 * Completeness, Uniqueness and `with threshold` measure: bad% < p ⇔ good > 1 - p/100.
 */
function goodRatio(o: Operator): DqdlCondition {
  const r = (p: number): DqdlValue => num(Number((1 - p / 100).toFixed(10)));
  switch (o.op) {
    case 'mustBeBetween': return { op: 'between', low: r(o.value[1]), high: r(o.value[0]) };
    case 'mustNotBeBetween': return { op: 'not between', low: r(o.value[1]), high: r(o.value[0]) };
    default: return { op: FLIPPED[COMPARISONS[o.op]], value: r(o.value) };
  }
}

/** Whether the operator demands no bad row at all. */
function isZero(o: Operator, percent: boolean): boolean {
  const v = o.value;
  if (typeof v !== 'number') return false;
  if (o.op === 'mustBe' || o.op === 'mustBeLessOrEqualTo') return v === 0 || (!percent && o.op === 'mustBeLessOrEqualTo' && v < 1 && v >= 0);
  return !percent && o.op === 'mustBeLessThan' && v > 0 && v <= 1;
}

function customSql(sql: string, o: Operator): string {
  return renderRule({ type: 'CustomSql', params: [sql], condition: direct(o) });
}

function sqlName(column: string): string {
  return `\`${column.replace(/`/g, '``')}\``;
}

/** A Spark SQL string literal; `regex` doubles backslashes (Spark unescapes them in literals). */
function sqlLiteral(s: string, regex = false): string {
  const body = (regex ? s.replace(/\\/g, '\\\\') : s).replace(/'/g, "''");
  return `'${body}'`;
}

function sqlValue(v: string | number | boolean): string {
  return typeof v === 'string' ? sqlLiteral(v) : String(v);
}

/** `c IS NULL OR c IN (...)` for a list that may hold null. */
function sqlMembership(column: string, values: readonly (string | number | boolean | null)[]): string {
  const nonNull = values.filter((v): v is string | number | boolean => v !== null);
  const parts: string[] = [];
  if (values.includes(null)) parts.push(`${sqlName(column)} IS NULL`);
  if (nonNull.length > 0) parts.push(`${sqlName(column)} IN (${nonNull.map(sqlValue).join(', ')})`);
  return parts.length > 0 ? parts.join(' OR ') : 'FALSE';
}

/** DQDL values of a list: null → NULL, '' → EMPTY; all strings unless every value is a number. */
function dqdlValues(values: readonly (string | number | boolean | null)[]): DqdlValue[] {
  const numeric = values.every((v) => v === null || typeof v === 'number');
  return values.map((v): DqdlValue => {
    if (v === null) return { kind: 'keyword', value: 'NULL' };
    if (v === '') return { kind: 'keyword', value: 'EMPTY' };
    if (numeric && typeof v === 'number') return num(v);
    return { kind: 'string', value: typeof v === 'number' ? dqdlNumber(v) : String(v) };
  });
}

function isRegExp(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------
// SLA helpers

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

const SLA_ALIASES: Readonly<Record<string, 'latency' | 'frequency' | 'retention'>> = {
  latency: 'latency', ly: 'latency', freshness: 'latency', frequency: 'frequency', fy: 'frequency', retention: 'retention', re: 'retention',
};

/**
 * Units of SLA values. `m` is minutes (`mo` is months); months are 30 days and years 365 days.
 */
export const UNIT_SECONDS: Readonly<Record<string, number>> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: MINUTE, min: MINUTE, mins: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, hr: HOUR, hrs: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, day: DAY, days: DAY,
  w: 7 * DAY, wk: 7 * DAY, week: 7 * DAY, weeks: 7 * DAY,
  mo: 30 * DAY, mon: 30 * DAY, month: 30 * DAY, months: 30 * DAY,
  y: 365 * DAY, yr: 365 * DAY, yrs: 365 * DAY, year: 365 * DAY, years: 365 * DAY,
};

const FREQUENCY_WORDS: Readonly<Record<string, number>> = {
  hourly: HOUR, daily: DAY, weekly: 7 * DAY, monthly: 30 * DAY, yearly: 365 * DAY, annually: 365 * DAY,
};

/** Seconds of an ISO 8601 duration (`P1Y2M3W4DT5H6M7S`), months 30 days and years 365 days. */
function isoDuration(s: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (!m || s.toUpperCase() === 'P' || /T$/i.test(s)) return undefined;
  const f = [365 * DAY, 30 * DAY, 7 * DAY, DAY, HOUR, MINUTE, 1];
  return Math.round(f.reduce((sum, factor, i) => sum + (m[i + 1] ? Number(m[i + 1]) * factor : 0), 0));
}

function emailOf(channel: string, url: string | undefined, tool: string | undefined): string | undefined {
  if (typeof url === 'string' && /^mailto:/i.test(url)) {
    const address = decodeURIComponent(url.slice('mailto:'.length).split('?')[0]).trim();
    if (EMAIL.test(address)) return address;
  }
  if (tool !== undefined && squash(tool) === 'email') {
    if (typeof url === 'string' && EMAIL.test(url.trim())) return url.trim();
  }
  if (EMAIL.test(channel.trim())) return channel.trim();
  return undefined;
}

