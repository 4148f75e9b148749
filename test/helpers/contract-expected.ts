/**
 * An independent reading of an ODCS contract file (parsed with the `yaml` package, not with lib/contracts): what
 * examples/contracts/README.md says a data product deploys from it. The construct tests compare the synthesized
 * template with these values field by field, so that they fail when the mapping drifts from the contract.
 *
 * The oracle covers the constructs the example contracts use; anything else throws, so that a new construct in a
 * contract forces the oracle (and its test) to be extended rather than silently skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Json } from './template';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The example contract, resolved from the repository root. */
export const ORDERS_CONTRACT = path.join(REPO_ROOT, 'examples', 'contracts', 'orders.odcs.yaml');
/** Glue's limit for column comments. */
export const COMMENT_LIMIT = 255;

/** The contract file as plain data. */
export function readContract(file: string = ORDERS_CONTRACT): Json {
  return parse(fs.readFileSync(file, 'utf8'));
}

const GLUE_PRIMITIVE = /^(boolean|tinyint|smallint|int|bigint|float|double|string|date|timestamp|binary|decimal(\(\d+(,\d+)?\))?|varchar\(\d+\)|char\(\d+\))$/;

/** The Glue type of a property, by the type table of the README. */
export function expectedGlueType(p: Json): string {
  switch (p.logicalType) {
    case 'array':
      return `array<${expectedGlueType(p.items)}>`;
    case 'object':
      return `struct<${(p.properties as Json[]).map((f) => `${String(f.physicalName ?? f.name).toLowerCase()}:${expectedGlueType(f)}`).join(',')}>`;
    default:
      break;
  }
  const physical = typeof p.physicalType === 'string' ? p.physicalType.trim().toLowerCase() : undefined;
  if (physical !== undefined) {
    if (physical === 'integer') return 'int';
    if (GLUE_PRIMITIVE.test(physical)) return physical;
    throw new Error(`oracle: physicalType ${p.physicalType} is not covered`);
  }
  switch (p.logicalType) {
    case 'string':
    case 'time':
      return 'string';
    case 'integer':
      return 'bigint';
    case 'number': {
      const o = p.logicalTypeOptions ?? {};
      return o.precision !== undefined ? `decimal(${o.precision},${o.scale ?? 0})` : 'double';
    }
    case 'boolean':
    case 'date':
    case 'timestamp':
      return p.logicalType;
    default:
      throw new Error(`oracle: logicalType ${p.logicalType} is not covered`);
  }
}

export interface ExpectedColumn {
  readonly name: string;
  readonly type: string;
  /** The full description (the comment is this, clipped to {@link COMMENT_LIMIT}). */
  readonly description?: string;
  readonly classification?: string;
  /** Index of the property in the schema object. */
  readonly index: number;
}

export interface ExpectedTable {
  readonly name: string;
  /** Index in `schema`. */
  readonly index: number;
  readonly description?: string;
  readonly format: string;
  readonly classification?: string;
  /** Data columns, in document order. */
  readonly columns: readonly ExpectedColumn[];
  /** Partition columns, by partitionKeyPosition. */
  readonly partitionKeys: readonly ExpectedColumn[];
  /** `contract.primary_key`, `contract.required`, `contract.unique` (only those with columns). */
  readonly parameters: Readonly<Record<string, string>>;
}

function customProperty(list: Json[] | undefined, name: string): Json {
  return (list ?? []).find((p) => p.property === name)?.value;
}

/** The S3 server the product reads its format from: the prod/production one, else the first. */
function s3Server(contract: Json): Json {
  const s3 = (contract.servers ?? []).filter((s: Json) => s.type === 's3');
  return s3.find((s: Json) => ['prod', 'production'].includes(s.environment)) ?? s3[0];
}

export function expectedTables(contract: Json): ExpectedTable[] {
  const serverFormat = s3Server(contract)?.format;
  return (contract.schema as Json[]).map((o, index) => {
    const all: ExpectedColumn[] = (o.properties as Json[]).map((p, i) => ({
      name: p.physicalName ?? p.name,
      type: expectedGlueType(p),
      ...(p.description !== undefined ? { description: p.description } : {}),
      ...(p.classification !== undefined ? { classification: p.classification } : {}),
      index: i,
    }));
    const props = o.properties as Json[];
    const partitioned = props.map((p, i) => ({ p, i })).filter(({ p }) => p.partitioned === true)
      .sort((a, b) => (a.p.partitionKeyPosition ?? Infinity) - (b.p.partitionKeyPosition ?? Infinity) || a.i - b.i);
    const parameters: Record<string, string> = {};
    for (const [key, flag] of [['primary_key', 'primaryKey'], ['required', 'required'], ['unique', 'unique']] as const) {
      const cols = props.filter((p) => p[flag] === true).map((p) => p.physicalName ?? p.name);
      if (cols.length > 0) parameters[`contract.${key}`] = cols.join(',');
    }
    return {
      name: o.physicalName ?? o.name,
      index,
      ...(o.description !== undefined ? { description: o.description } : {}),
      format: customProperty(o.customProperties, 'format') ?? serverFormat ?? 'parquet',
      ...(o.classification ?? customProperty(o.customProperties, 'classification')
        ? { classification: o.classification ?? customProperty(o.customProperties, 'classification') } : {}),
      columns: all.filter((c) => props[c.index].partitioned !== true),
      partitionKeys: partitioned.map(({ i }) => all[i]),
      parameters,
    };
  });
}

/** Seconds per SLA unit (months 30 days, years 365). */
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, min: 60, h: 3600, d: 86_400, w: 604_800, mo: 2_592_000, y: 31_536_000 };

/** Seconds of the SLA property `name` (`value` + `unit`), or undefined. */
export function slaSeconds(contract: Json, name: string): number | undefined {
  const p = (contract.slaProperties ?? []).find((x: Json) => x.property === name);
  if (p === undefined) return undefined;
  const factor = UNIT_SECONDS[p.unit];
  if (typeof p.value !== 'number' || factor === undefined) throw new Error(`oracle: SLA ${name} ${p.value} ${p.unit} is not covered`);
  return p.value * factor;
}

/** Email addresses of the support channels: `mailto:` URLs, else an address as channel. */
export function supportEmails(contract: Json): string[] {
  const out: string[] = [];
  for (const s of contract.support ?? []) {
    const address = typeof s.url === 'string' && s.url.startsWith('mailto:') ? s.url.slice('mailto:'.length)
      : /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.channel) ? s.channel : undefined;
    if (address !== undefined && !out.includes(address)) out.push(address);
  }
  return out;
}

/** `key:value` tags of the contract. */
export function contractTags(contract: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of contract.tags ?? []) {
    const m = /^([^:=]+)[:=](.*)$/.exec(t);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Database parameters derived from the contract (README: Mapping), SLA and support included. */
export function expectedDatabaseParameters(contract: Json, qualityTables: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    contract_id: contract.id,
    contract_version: contract.version,
    contract_status: contract.status,
    contract_name: contract.name,
    odcs_api_version: contract.apiVersion,
    contract_domain: contract.domain,
    contract_tenant: contract.tenant,
    contract_limitations: contract.description.limitations,
    contract_usage: contract.description.usage,
  };
  for (const p of contract.customProperties ?? []) out[p.property] = typeof p.value === 'string' ? p.value : JSON.stringify(p.value);
  if (contract.team?.name) out.team = contract.team.name;
  const emails = supportEmails(contract);
  if (emails.length > 0) out.support_emails = emails.join(',');
  const freshness = slaSeconds(contract, 'latency') ?? slaSeconds(contract, 'frequency');
  if (freshness !== undefined) out.sla_freshness_seconds = String(freshness);
  const retention = slaSeconds(contract, 'retention');
  if (retention !== undefined) out.sla_retention_days = String(Math.ceil(retention / 86_400));
  if (qualityTables.length > 0) out.quality_rulesets = qualityTables.join(',');
  return out;
}

/** The owner: first current team member with an owner role. */
export function expectedOwner(contract: Json): string {
  const member = (contract.team?.members ?? []).find((m: Json) => /^(data|product|dataproduct)?owner$/i.test(String(m.role).replace(/[^a-z]/gi, '')));
  if (!member) throw new Error('oracle: the contract names no owner');
  return member.username ?? member.name;
}

export interface ExpectedQuality {
  /** Rules of the table's ruleset, in order: exact text, or a pattern for generated SQL. */
  readonly rules: readonly (string | RegExp)[];
  /** Paths of the rules that are not run (`schema[0].quality[3]`). */
  readonly unsupported: readonly string[];
}

const COMPARE: Readonly<Record<string, string>> = {
  mustBe: '=', mustNotBe: '!=', mustBeGreaterThan: '>', mustBeGreaterOrEqualTo: '>=', mustBeLessThan: '<', mustBeLessOrEqualTo: '<=',
};
const FLIP: Readonly<Record<string, string>> = { '=': '=', '!=': '!=', '>': '<', '>=': '<=', '<': '>', '<=': '>=' };
const DQDL_ENGINES = ['glue-data-quality', 'aws-glue-data-quality', 'glue', 'dqdl'];

const q = (s: string) => `"${s.replace(/\\(?=["\\]|$)/g, '\\\\').replace(/"/g, '\\"')}"`;
const ratio = (percent: number) => String(Number((1 - percent / 100).toFixed(10)));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The one operator of a rule (the example uses one per rule), or `mustBe: 0` when there is none. */
function operatorOf(rule: Json): { op: string; value: number } {
  const ops = Object.keys(COMPARE).filter((k) => rule[k] !== undefined);
  if (ops.length > 1 || rule.mustBeBetween !== undefined || rule.mustNotBeBetween !== undefined) throw new Error('oracle: several operators are not covered');
  return ops.length === 0 ? { op: '=', value: 0 } : { op: COMPARE[ops[0]], value: rule[ops[0]] };
}

/** The DQDL the README documents for a library or custom rule; undefined when the rule is not run. */
function expectedRule(rule: Json, column: string | undefined, required: ReadonlySet<string>): string | RegExp | undefined {
  const type = rule.type ?? (rule.metric ? 'library' : 'custom');
  if (type === 'text' || type === 'sql') return undefined;
  if (type === 'custom') {
    if (!DQDL_ENGINES.includes(String(rule.engine))) return undefined;
    return String(rule.implementation).trim();
  }
  const { op, value } = operatorOf(rule);
  const percent = rule.unit === 'percent';
  const zero = op === '=' && value === 0;
  const args = rule.arguments ?? {};
  switch (rule.metric) {
    case 'rowCount':
      return `RowCount ${op} ${value}`;
    case 'nullValues':
      if (zero) return `IsComplete ${q(column!)}`;
      if (percent) return `Completeness ${q(column!)} ${FLIP[op]} ${ratio(value)}`;
      break;
    case 'duplicateValues':
      if (args.properties !== undefined) {
        if (zero && (args.properties as string[]).every((p) => required.has(p))) return `IsPrimaryKey ${(args.properties as string[]).map(q).join(' ')}`;
        break;
      }
      if (zero) return `IsUnique ${q(column!)}`;
      break;
    case 'invalidValues': {
      if (args.pattern !== undefined && zero) return `ColumnValues ${q(column!)} matches ${q(args.pattern)} where ${q(`\`${column}\` IS NOT NULL`)}`;
      if (args.validValues !== undefined) {
        const set = `in [${[...(args.validValues as string[]).map(q), 'NULL'].join(', ')}]`;
        if (zero) return `ColumnValues ${q(column!)} ${set}`;
        if (percent) return `ColumnValues ${q(column!)} ${set} with threshold ${FLIP[op]} ${ratio(value)}`;
      }
      break;
    }
    case 'missingValues':
      if (!percent && !zero) {
        // A count of missing rows is checked with SQL on Glue's `primary` view.
        return new RegExp(`^CustomSql "SELECT COUNT\\(\\*\\) FROM primary WHERE .*${escapeRe(`\`${column}\``)}.*" ${escapeRe(op)} ${value}$`);
      }
      break;
    default:
      return undefined;
  }
  throw new Error(`oracle: rule ${JSON.stringify(rule)} is not covered`);
}

/** The ruleset of a schema object: object-level rules first, then property rules in document order. */
export function expectedQuality(o: Json, index: number): ExpectedQuality {
  const rules: (string | RegExp)[] = [];
  const unsupported: string[] = [];
  const required = new Set<string>((o.properties as Json[]).filter((p) => p.required === true || p.primaryKey === true).map((p) => p.name));
  (o.quality ?? []).forEach((r: Json, k: number) => {
    const e = expectedRule(r, undefined, required);
    if (e === undefined) unsupported.push(`schema[${index}].quality[${k}]`);
    else rules.push(e);
  });
  (o.properties as Json[]).forEach((p, j) => {
    (p.quality ?? []).forEach((r: Json, k: number) => {
      const e = expectedRule(r, p.physicalName ?? p.name, required);
      if (e === undefined) unsupported.push(`schema[${index}].properties[${j}].quality[${k}]`);
      else rules.push(e);
    });
  });
  return { rules, unsupported };
}
