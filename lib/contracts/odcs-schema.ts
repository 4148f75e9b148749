/**
 * Our own description of the part of the Open Data Contract Standard (ODCS) v3.1.0 that the toolkit reads,
 * written for validation: for every object of a contract, its keys, the type of their values, the allowed
 * values of enumerations and the required keys. v3.0.x documents use the same structure (the few keys that
 * v3.1.0 renamed or deprecated are accepted as well).
 *
 * Unknown keys:
 * - at the top level of the contract they are errors, with a "did you mean" suggestion: the top level is
 *   small and a typo there (`slaProperty`, `shema`) silently loses a whole section;
 * - anywhere else they are warnings (`cdk-data-mesh:contract-unknown-key`): ODCS evolves, tools add keys,
 *   and extensions belong under `customProperties`.
 *
 * Keys of the standard that the toolkit does not use (`price`, `roles`, `transformLogic`, ...) are accepted
 * silently; they are listed here so that they are not reported as unknown.
 */

/** ODCS releases the importer accepts. v2.x used another structure (`dataset`, `columns`) and is refused. */
export const SUPPORTED_API_VERSIONS: readonly string[] = ['v3.1.0', 'v3.0.2', 'v3.0.1', 'v3.0.0'];
/** The release the exporter writes. */
export const EXPORT_API_VERSION = 'v3.1.0';
export const CONTRACT_KIND = 'DataContract';

/** `logicalType` values of a property in ODCS v3.1.0. */
export const LOGICAL_TYPES: readonly string[] = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'];
/** Library metrics of ODCS v3.1.0. */
export const QUALITY_METRICS: readonly string[] = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'];
export const QUALITY_TYPES: readonly string[] = ['library', 'text', 'sql', 'custom'];
/** Comparison operators of a quality rule, in the order they are rendered. */
export const QUALITY_OPERATORS = [
  'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween',
] as const;
export type QualityOperator = typeof QUALITY_OPERATORS[number];
export const QUALITY_DIMENSIONS: readonly string[] = [
  'accuracy', 'completeness', 'conformity', 'consistency', 'coverage', 'timeliness', 'uniqueness',
  'ac', 'cp', 'cf', 'cs', 'cv', 'tm', 'uq',
];
/** Server types listed by ODCS v3.1.0. Others are reported as warnings (ODCS has `custom` for them). */
export const SERVER_TYPES: readonly string[] = [
  'api', 'athena', 'azure', 'bigquery', 'clickhouse', 'databricks', 'denodo', 'dremio', 'duckdb', 'glue', 'cloudsql', 'db2', 'hive',
  'informix', 'kafka', 'kinesis', 'local', 'mysql', 'oracle', 'postgresql', 'postgres', 'presto', 'pubsub', 'redshift', 's3', 'sftp',
  'snowflake', 'sqlserver', 'synapse', 'trino', 'vertica', 'custom',
];

// ---------------------------------------------------------------------------------------------------------
// The contract as read (after validation). Field names are the ODCS keys.

export type OdcsScalar = string | number | boolean | null;

export interface OdcsContract {
  readonly apiVersion: string;
  readonly kind: string;
  readonly id: string;
  readonly version: string;
  readonly status: string;
  readonly name?: string;
  readonly tenant?: string;
  readonly domain?: string;
  readonly dataProduct?: string;
  readonly description?: OdcsDescription;
  readonly tags?: readonly string[];
  readonly servers?: readonly OdcsServer[];
  readonly schema?: readonly OdcsSchemaObject[];
  readonly support?: readonly OdcsSupportChannel[];
  readonly price?: OdcsPrice;
  /** v3.1.0 object form, or the v3.0.x list of members (deprecated, still valid). */
  readonly team?: OdcsTeam | readonly OdcsTeamMember[];
  readonly roles?: readonly OdcsRole[];
  readonly slaDefaultElement?: string;
  readonly slaProperties?: readonly OdcsSlaProperty[];
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  readonly contractCreatedTs?: string;
  /** Not part of ODCS: accepted with a warning; prefer a team member with role `owner`. */
  readonly owner?: string;
}

export interface OdcsDescription {
  readonly purpose?: string;
  readonly limitations?: string;
  readonly usage?: string;
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
  readonly customProperties?: readonly OdcsCustomProperty[];
}

export interface OdcsServer {
  readonly server: string;
  readonly type: string;
  readonly id?: string;
  readonly description?: string;
  readonly environment?: string;
  readonly roles?: readonly OdcsRole[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  // Type-specific keys (the union of those of every server type the toolkit may meet).
  readonly location?: string;
  readonly path?: string;
  readonly format?: string;
  readonly delimiter?: string;
  readonly endpointUrl?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly schema?: string;
  readonly catalog?: string;
  readonly account?: string;
  readonly project?: string;
  readonly dataset?: string;
  readonly region?: string;
  readonly regionName?: string;
  readonly stagingDir?: string;
  readonly warehouse?: string;
  readonly serviceName?: string;
  readonly topic?: string;
  readonly stream?: string;
}

/** Keys shared by objects (tables) and properties (columns). */
export interface OdcsElement {
  readonly id?: string;
  readonly physicalName?: string;
  readonly physicalType?: string;
  readonly description?: string;
  readonly businessName?: string;
  readonly tags?: readonly string[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
  readonly quality?: readonly OdcsQualityRule[];
  readonly relationships?: readonly unknown[];
  /** Standard on properties; on objects an extension of this toolkit (the table's classification). */
  readonly classification?: string;
}

export interface OdcsSchemaObject extends OdcsElement {
  readonly name: string;
  /** Always `object` for a schema object. */
  readonly logicalType?: string;
  readonly dataGranularityDescription?: string;
  readonly properties?: readonly OdcsProperty[];
}

export interface OdcsPropertyBase extends OdcsElement {
  readonly logicalType?: string;
  readonly logicalTypeOptions?: OdcsLogicalTypeOptions;
  readonly required?: boolean;
  readonly unique?: boolean;
  readonly primaryKey?: boolean;
  readonly primaryKeyPosition?: number;
  readonly partitioned?: boolean;
  readonly partitionKeyPosition?: number;
  readonly encryptedName?: string;
  readonly criticalDataElement?: boolean;
  readonly transformSourceObjects?: readonly string[];
  readonly transformLogic?: string;
  readonly transformDescription?: string;
  readonly examples?: readonly unknown[];
  /** Element type of an `array`. */
  readonly items?: OdcsItems;
  /** Fields of an `object`. */
  readonly properties?: readonly OdcsProperty[];
}

export interface OdcsProperty extends OdcsPropertyBase {
  readonly name: string;
}

/** The `items` of an array: a property whose name is optional. */
export interface OdcsItems extends OdcsPropertyBase {
  readonly name?: string;
}

export interface OdcsLogicalTypeOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: OdcsScalar;
  readonly maximum?: OdcsScalar;
  readonly exclusiveMinimum?: OdcsScalar;
  readonly exclusiveMaximum?: OdcsScalar;
  readonly multipleOf?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly required?: readonly string[];
  readonly timezone?: boolean;
  readonly defaultTimezone?: string;
  /** Extension of this toolkit: digits of a `number` stored as `decimal(precision,scale)`. */
  readonly precision?: number;
  /** Extension of this toolkit: see `precision`. @default 0 */
  readonly scale?: number;
}

export interface OdcsQualityRule {
  readonly id?: string;
  readonly type?: string;
  readonly metric?: string;
  /** Deprecated name of `metric` (v3.0.x used `rule` with values such as `duplicateCount` or `validValues`). */
  readonly rule?: string;
  readonly name?: string;
  readonly description?: string;
  readonly dimension?: string;
  readonly method?: string;
  readonly severity?: string;
  readonly businessImpact?: string;
  readonly schedule?: string;
  readonly scheduler?: string;
  readonly unit?: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
  readonly query?: string;
  readonly engine?: string;
  readonly implementation?: string | Readonly<Record<string, unknown>>;
  readonly mustBe?: OdcsScalar;
  readonly mustNotBe?: OdcsScalar;
  readonly mustBeGreaterThan?: number;
  readonly mustBeGreaterOrEqualTo?: number;
  readonly mustBeLessThan?: number;
  readonly mustBeLessOrEqualTo?: number;
  readonly mustBeBetween?: readonly [number, number];
  readonly mustNotBeBetween?: readonly [number, number];
  /** v3.0.x: the valid values of a `validValues` rule, written next to the rule instead of under `arguments`. */
  readonly validValues?: readonly unknown[];
  readonly tags?: readonly string[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
}

export interface OdcsSlaProperty {
  readonly property: string;
  readonly value: OdcsScalar;
  readonly id?: string;
  readonly valueExt?: OdcsScalar;
  readonly unit?: string;
  readonly element?: string;
  readonly driver?: string;
  readonly description?: string;
  readonly scheduler?: string;
  readonly schedule?: string;
}

export interface OdcsTeam {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly members?: readonly OdcsTeamMember[];
  readonly tags?: readonly string[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
}

export interface OdcsTeamMember {
  readonly id?: string;
  readonly username?: string;
  readonly name?: string;
  readonly description?: string;
  readonly role?: string;
  readonly dateIn?: string;
  readonly dateOut?: string;
  readonly replacedByUsername?: string;
  readonly tags?: readonly string[];
  readonly customProperties?: readonly OdcsCustomProperty[];
  readonly authoritativeDefinitions?: readonly OdcsAuthoritativeDefinition[];
}

export interface OdcsSupportChannel {
  readonly channel: string;
  readonly id?: string;
  readonly url?: string;
  readonly description?: string;
  readonly tool?: string;
  readonly scope?: string;
  readonly invitationUrl?: string;
  readonly customProperties?: readonly OdcsCustomProperty[];
}

export interface OdcsCustomProperty {
  readonly property: string;
  readonly value: unknown;
  readonly id?: string;
  readonly description?: string;
}

export interface OdcsAuthoritativeDefinition {
  readonly url?: string;
  readonly type?: string;
  readonly id?: string;
  readonly description?: string;
}

export interface OdcsRole {
  readonly role: string;
  readonly id?: string;
  readonly description?: string;
  readonly access?: string;
  readonly firstLevelApprovers?: string;
  readonly secondLevelApprovers?: string;
  readonly customProperties?: readonly OdcsCustomProperty[];
}

export interface OdcsPrice {
  readonly priceAmount?: number;
  readonly priceCurrency?: string;
  readonly priceUnit?: string;
}

// ---------------------------------------------------------------------------------------------------------
// The table of allowed keys. Checked against the interfaces above by the compiler: every key present, no
// extra key, and `required: true` exactly for the required fields.

export type SchemaName =
  | 'contract' | 'description' | 'server' | 'schemaObject' | 'property' | 'items' | 'logicalTypeOptions' | 'quality' | 'sla'
  | 'team' | 'teamMember' | 'support' | 'customProperty' | 'authoritativeDefinition' | 'role' | 'price';

/**
 * What a value must be:
 * `scalar` (string, number, boolean or null), `any`, `map` (any key: value map), `list` (any list),
 * `string[]`, `range` (a list of two numbers), `stringOrMap`, `team` (an `object:team` or a `list:teamMember`),
 * `object:<schema>`, `list:<schema>`.
 */
export type ValueKind =
  | 'string' | 'number' | 'integer' | 'boolean' | 'scalar' | 'any' | 'map' | 'list' | 'string[]' | 'range' | 'stringOrMap' | 'team'
  | `object:${SchemaName}` | `list:${SchemaName}`;

export interface FieldRule<Required extends boolean = boolean> {
  readonly kind: ValueKind;
  readonly required: Required;
  /** Allowed values of a string. */
  readonly values?: readonly string[];
  /** Whether a value outside `values` is an error (true) or a warning (false). @default true */
  readonly strict?: boolean;
  /** When set, using the key is reported as a warning with this advice (non-standard or deprecated keys). */
  readonly caution?: string;
  /** The key is deprecated since this release: `caution` is reported only for contracts of this release or later. */
  readonly deprecatedSince?: string;
  /** Shown in "how to fix" messages. */
  readonly example?: string;
}

type Fields<T> = { readonly [K in keyof T]-?: FieldRule<object extends Pick<T, K> ? false : true> };

export interface ObjectSchema {
  /** How the object is named in messages: "the contract", "a property", ... */
  readonly noun: string;
  readonly fields: Readonly<Record<string, FieldRule>>;
  /** What an unknown key is. */
  readonly unknownKeys: 'error' | 'warning';
}

const opt = (kind: ValueKind, more: Omit<Partial<FieldRule>, 'kind' | 'required'> = {}): FieldRule<false> => ({ kind, required: false, ...more });
const req = (kind: ValueKind, more: Omit<Partial<FieldRule>, 'kind' | 'required'> = {}): FieldRule<true> => ({ kind, required: true, ...more });

const TAGS = opt('string[]', { example: 'tags: [finance]' });
const CUSTOM = opt('list:customProperty', { example: 'customProperties: [{ property: refRulesetName, value: gcsc.ruleset.name }]' });
const AUTH_DEFS = opt('list:authoritativeDefinition');
const ID = opt('string');

const CONTRACT_FIELDS: Fields<OdcsContract> = {
  apiVersion: req('string', { values: SUPPORTED_API_VERSIONS, example: 'apiVersion: v3.1.0' }),
  kind: req('string', { values: [CONTRACT_KIND], example: 'kind: DataContract' }),
  id: req('string', { example: 'id: 53581432-6c55-4ba2-a65f-72344a91553a' }),
  version: req('string', { example: 'version: "1.0.0"' }),
  status: req('string', { example: 'status: active' }),
  name: opt('string', { example: 'name: orders' }),
  tenant: opt('string'),
  domain: opt('string', { example: 'domain: sales' }),
  dataProduct: opt('string', { example: 'dataProduct: orders' }),
  description: opt('object:description', { example: 'description: { purpose: Every order placed in the web shop }' }),
  tags: TAGS,
  servers: opt('list:server', { example: 'servers: [{ server: production, type: s3, location: "s3://bucket/orders/", format: parquet }]' }),
  schema: opt('list:schemaObject', { example: 'schema: [{ name: orders, logicalType: object, properties: [...] }]' }),
  support: opt('list:support', { example: 'support: [{ channel: orders-team, tool: email, url: "mailto:orders@example.com" }]' }),
  price: opt('object:price'),
  team: opt('team', { example: 'team: { members: [{ username: jdoe, role: owner }] }' }),
  roles: opt('list:role'),
  slaDefaultElement: opt('string', { caution: 'is deprecated since ODCS v3.1.0; use element on each SLA property.', deprecatedSince: 'v3.1.0' }),
  slaProperties: opt('list:sla', { example: 'slaProperties: [{ property: latency, value: 4, unit: h }]' }),
  authoritativeDefinitions: AUTH_DEFS,
  customProperties: CUSTOM,
  contractCreatedTs: opt('string'),
  owner: opt('string', { caution: 'is not an ODCS key (read by the toolkit); declare the owner as a team member with role: owner, or as the custom property owner.' }),
};

const DESCRIPTION_FIELDS: Fields<OdcsDescription> = {
  purpose: opt('string', { example: 'purpose: Every order placed in the web shop' }),
  limitations: opt('string'),
  usage: opt('string'),
  authoritativeDefinitions: AUTH_DEFS,
  customProperties: CUSTOM,
};

const SERVER_FIELDS: Fields<OdcsServer> = {
  server: req('string', { example: 'server: production' }),
  type: req('string', { values: SERVER_TYPES, strict: false, example: 'type: s3' }),
  id: ID,
  description: opt('string'),
  environment: opt('string'),
  roles: opt('list:role'),
  customProperties: CUSTOM,
  location: opt('string', { example: 'location: "s3://my-bucket/orders/"' }),
  path: opt('string'),
  format: opt('string', { example: 'format: parquet' }),
  delimiter: opt('string'),
  endpointUrl: opt('string'),
  host: opt('string'),
  port: opt('integer'),
  database: opt('string'),
  schema: opt('string'),
  catalog: opt('string'),
  account: opt('string'),
  project: opt('string'),
  dataset: opt('string'),
  region: opt('string'),
  regionName: opt('string'),
  stagingDir: opt('string'),
  warehouse: opt('string'),
  serviceName: opt('string'),
  topic: opt('string'),
  stream: opt('string'),
};

const ELEMENT_FIELDS: Fields<OdcsElement> = {
  id: ID,
  physicalName: opt('string'),
  physicalType: opt('string'),
  description: opt('string'),
  businessName: opt('string'),
  tags: TAGS,
  customProperties: CUSTOM,
  authoritativeDefinitions: AUTH_DEFS,
  quality: opt('list:quality', { example: 'quality: [{ metric: nullValues, mustBe: 0 }]' }),
  relationships: opt('list'),
  classification: opt('string', { example: 'classification: internal' }),
};

const SCHEMA_OBJECT_FIELDS: Fields<OdcsSchemaObject> = {
  ...ELEMENT_FIELDS,
  name: req('string', { example: 'name: orders' }),
  logicalType: opt('string', { values: ['object'], example: 'logicalType: object' }),
  dataGranularityDescription: opt('string'),
  properties: opt('list:property', { example: 'properties: [{ name: order_id, logicalType: string }]' }),
};

const PROPERTY_BASE_FIELDS: Fields<OdcsPropertyBase> = {
  ...ELEMENT_FIELDS,
  logicalType: opt('string', { values: LOGICAL_TYPES, example: 'logicalType: string' }),
  logicalTypeOptions: opt('object:logicalTypeOptions'),
  required: opt('boolean', { example: 'required: true' }),
  unique: opt('boolean', { example: 'unique: true' }),
  primaryKey: opt('boolean', { example: 'primaryKey: true' }),
  primaryKeyPosition: opt('integer', { example: 'primaryKeyPosition: 1' }),
  partitioned: opt('boolean', { example: 'partitioned: true' }),
  partitionKeyPosition: opt('integer', { example: 'partitionKeyPosition: 1' }),
  encryptedName: opt('string'),
  criticalDataElement: opt('boolean'),
  transformSourceObjects: opt('string[]'),
  transformLogic: opt('string'),
  transformDescription: opt('string'),
  examples: opt('list'),
  items: opt('object:items', { example: 'items: { logicalType: string }' }),
  properties: opt('list:property', { example: 'properties: [{ name: street, logicalType: string }]' }),
};

const PROPERTY_FIELDS: Fields<OdcsProperty> = { ...PROPERTY_BASE_FIELDS, name: req('string', { example: 'name: order_id' }) };
const ITEMS_FIELDS: Fields<OdcsItems> = { ...PROPERTY_BASE_FIELDS, name: opt('string') };

const LOGICAL_TYPE_OPTIONS_FIELDS: Fields<OdcsLogicalTypeOptions> = {
  minLength: opt('integer'),
  maxLength: opt('integer'),
  pattern: opt('string'),
  format: opt('string'),
  minimum: opt('scalar'),
  maximum: opt('scalar'),
  exclusiveMinimum: opt('scalar'),
  exclusiveMaximum: opt('scalar'),
  multipleOf: opt('number'),
  minItems: opt('integer'),
  maxItems: opt('integer'),
  uniqueItems: opt('boolean'),
  minProperties: opt('integer'),
  maxProperties: opt('integer'),
  required: opt('string[]'),
  timezone: opt('boolean'),
  defaultTimezone: opt('string'),
  precision: opt('integer', { example: 'precision: 12' }),
  scale: opt('integer', { example: 'scale: 2' }),
};

const NUMBER_OPERATOR = opt('number');
const QUALITY_FIELDS: Fields<OdcsQualityRule> = {
  id: ID,
  type: opt('string', { values: QUALITY_TYPES, example: 'type: library' }),
  metric: opt('string', { example: 'metric: nullValues' }),
  rule: opt('string', { caution: 'is deprecated since ODCS v3.1.0; use metric (nullValues, missingValues, invalidValues, duplicateValues, rowCount).', deprecatedSince: 'v3.1.0' }),
  name: opt('string'),
  description: opt('string'),
  dimension: opt('string', { values: QUALITY_DIMENSIONS, strict: false }),
  method: opt('string'),
  severity: opt('string'),
  businessImpact: opt('string'),
  schedule: opt('string'),
  scheduler: opt('string'),
  unit: opt('string', { example: 'unit: percent' }),
  arguments: opt('map', { example: 'arguments: { validValues: [pounds, kg] }' }),
  query: opt('string'),
  engine: opt('string', { example: 'engine: glue-data-quality' }),
  implementation: opt('stringOrMap', { example: 'implementation: ColumnValues "status" in ["open", "closed"]' }),
  mustBe: opt('scalar', { example: 'mustBe: 0' }),
  mustNotBe: opt('scalar', { example: 'mustNotBe: 0' }),
  mustBeGreaterThan: NUMBER_OPERATOR,
  mustBeGreaterOrEqualTo: NUMBER_OPERATOR,
  mustBeLessThan: NUMBER_OPERATOR,
  mustBeLessOrEqualTo: NUMBER_OPERATOR,
  mustBeBetween: opt('range', { example: 'mustBeBetween: [100, 120]' }),
  mustNotBeBetween: opt('range', { example: 'mustNotBeBetween: [0, 10]' }),
  validValues: opt('list'),
  tags: TAGS,
  customProperties: CUSTOM,
  authoritativeDefinitions: AUTH_DEFS,
};

const SLA_FIELDS: Fields<OdcsSlaProperty> = {
  property: req('string', { example: 'property: latency' }),
  value: req('scalar', { example: 'value: 4' }),
  id: ID,
  valueExt: opt('scalar'),
  unit: opt('string', { example: 'unit: h' }),
  element: opt('string'),
  driver: opt('string'),
  description: opt('string'),
  scheduler: opt('string'),
  schedule: opt('string'),
};

const TEAM_FIELDS: Fields<OdcsTeam> = {
  id: ID,
  name: opt('string'),
  description: opt('string'),
  members: opt('list:teamMember', { example: 'members: [{ username: jdoe, role: owner }]' }),
  tags: TAGS,
  customProperties: CUSTOM,
  authoritativeDefinitions: AUTH_DEFS,
};

const TEAM_MEMBER_FIELDS: Fields<OdcsTeamMember> = {
  id: ID,
  username: opt('string', { example: 'username: jdoe' }),
  name: opt('string'),
  description: opt('string'),
  role: opt('string', { example: 'role: owner' }),
  dateIn: opt('string'),
  dateOut: opt('string'),
  replacedByUsername: opt('string'),
  tags: TAGS,
  customProperties: CUSTOM,
  authoritativeDefinitions: AUTH_DEFS,
};

const SUPPORT_FIELDS: Fields<OdcsSupportChannel> = {
  channel: req('string', { example: 'channel: orders-team' }),
  id: ID,
  url: opt('string', { example: 'url: "mailto:orders@example.com"' }),
  description: opt('string'),
  tool: opt('string', { example: 'tool: email' }),
  scope: opt('string'),
  invitationUrl: opt('string'),
  customProperties: CUSTOM,
};

const CUSTOM_PROPERTY_FIELDS: Fields<OdcsCustomProperty> = {
  property: req('string', { example: 'property: owner' }),
  value: req('any', { example: 'value: sales-data-team' }),
  id: ID,
  description: opt('string'),
};

const AUTHORITATIVE_DEFINITION_FIELDS: Fields<OdcsAuthoritativeDefinition> = {
  url: opt('string'),
  type: opt('string'),
  id: ID,
  description: opt('string'),
};

const ROLE_FIELDS: Fields<OdcsRole> = {
  role: req('string', { example: 'role: analyst_read' }),
  id: ID,
  description: opt('string'),
  access: opt('string'),
  firstLevelApprovers: opt('string'),
  secondLevelApprovers: opt('string'),
  customProperties: CUSTOM,
};

const PRICE_FIELDS: Fields<OdcsPrice> = {
  priceAmount: opt('number'),
  priceCurrency: opt('string'),
  priceUnit: opt('string'),
};

/** Every object of a contract the validator knows. */
export const ODCS_SCHEMAS: Readonly<Record<SchemaName, ObjectSchema>> = {
  contract: { noun: 'the contract', fields: CONTRACT_FIELDS, unknownKeys: 'error' },
  description: { noun: 'description', fields: DESCRIPTION_FIELDS, unknownKeys: 'warning' },
  server: { noun: 'a server', fields: SERVER_FIELDS, unknownKeys: 'warning' },
  schemaObject: { noun: 'a schema object', fields: SCHEMA_OBJECT_FIELDS, unknownKeys: 'warning' },
  property: { noun: 'a property', fields: PROPERTY_FIELDS, unknownKeys: 'warning' },
  items: { noun: 'array items', fields: ITEMS_FIELDS, unknownKeys: 'warning' },
  logicalTypeOptions: { noun: 'logicalTypeOptions', fields: LOGICAL_TYPE_OPTIONS_FIELDS, unknownKeys: 'warning' },
  quality: { noun: 'a quality rule', fields: QUALITY_FIELDS, unknownKeys: 'warning' },
  sla: { noun: 'an SLA property', fields: SLA_FIELDS, unknownKeys: 'warning' },
  team: { noun: 'team', fields: TEAM_FIELDS, unknownKeys: 'warning' },
  teamMember: { noun: 'a team member', fields: TEAM_MEMBER_FIELDS, unknownKeys: 'warning' },
  support: { noun: 'a support channel', fields: SUPPORT_FIELDS, unknownKeys: 'warning' },
  customProperty: { noun: 'a custom property', fields: CUSTOM_PROPERTY_FIELDS, unknownKeys: 'warning' },
  authoritativeDefinition: { noun: 'an authoritative definition', fields: AUTHORITATIVE_DEFINITION_FIELDS, unknownKeys: 'warning' },
  role: { noun: 'a role', fields: ROLE_FIELDS, unknownKeys: 'warning' },
  price: { noun: 'price', fields: PRICE_FIELDS, unknownKeys: 'warning' },
};
