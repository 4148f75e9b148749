/**
 * Every default the toolkit applies, defined once. Code, docs and tests read these constants so that the
 * README can never state a default the code does not use.
 */

/** Athena per-query scan limit applied to every domain workgroup unless changed: 100 GiB (about USD 0.50). */
export const DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY = 100 * 1024 ** 3;
/** Smallest per-query scan limit Athena accepts. */
export const MIN_BYTES_SCANNED_CUTOFF_PER_QUERY = 10_000_000;
/** Athena engine version pinned on workgroups, so engine upgrades are a reviewed change. */
export const DEFAULT_ATHENA_ENGINE_VERSION = 'Athena engine version 3';
/** Days after which Athena query results expire from the results bucket. */
export const DEFAULT_ATHENA_RESULTS_EXPIRATION_DAYS = 30;
/** Days after which noncurrent object versions are removed from data buckets. */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;
/** Days S3 server access logs are kept in the domain log bucket. */
export const DEFAULT_ACCESS_LOG_EXPIRATION_DAYS = 365;
/** Days the toolkit's own Lambda log groups keep their events. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;
/** Lake Formation cross-account version written into the data lake settings. */
export const DEFAULT_CROSS_ACCOUNT_VERSION = 4;
/** Cross-account versions the toolkit supports (3 is the first that grants to IAM roles of other accounts). */
export const SUPPORTED_CROSS_ACCOUNT_VERSIONS: readonly number[] = [3, 4, 5];

/** The LF-tag key every product database carries, valued with the owning domain's name. */
export const DOMAIN_TAG_KEY = 'domain';
/** The LF-tag key for data sensitivity. */
export const CLASSIFICATION_TAG_KEY = 'classification';
/**
 * Default classification values, ordered from least to most sensitive. A custom ontology may replace them;
 * order matters: it decides which levels a role limited to "up to X" may read.
 */
export const DEFAULT_CLASSIFICATION_VALUES: readonly string[] = ['public', 'internal', 'confidential', 'pii'];
/** Classification given to a product when it does not name one. */
export const DEFAULT_PRODUCT_CLASSIFICATION = 'internal';
/**
 * Highest classification a domain's query role may read in its own products by default. Columns classified
 * above it (in the default ontology: `pii`) are excluded from the query role's grants.
 */
export const DEFAULT_QUERY_ROLE_MAX_CLASSIFICATION = 'confidential';

/** CloudFormation limit of resources per stack. */
export const CFN_MAX_RESOURCES_PER_STACK = 500;
/** Shard size the mesh aims at, leaving headroom below the CloudFormation limit. */
export const TARGET_MAX_RESOURCES_PER_STACK = 400;
/** CloudFormation limit of outputs per stack. */
export const CFN_MAX_OUTPUTS_PER_STACK = 200;
/** Lake Formation: LF-tags per catalog resource. */
export const LF_MAX_TAGS_PER_RESOURCE = 50;
/** Lake Formation: values per LF-tag. */
export const LF_MAX_VALUES_PER_TAG = 1000;
/** CloudFormation `AWS::LakeFormation::Tag`: values per resource. */
export const CFN_MAX_VALUES_PER_TAG_RESOURCE = 50;
/** Lake Formation: characters of an LF-tag key or value the toolkit allows. */
export const LF_MAX_TAG_LENGTH = 50;
/** Lake Formation: conditions in one LF-tag expression. */
export const LF_MAX_EXPRESSION_CONDITIONS = 5;
/** Athena: workgroups per account. */
export const ATHENA_MAX_WORKGROUPS_PER_ACCOUNT = 1000;
/** Glue: characters of a column comment. */
export const GLUE_MAX_COMMENT_LENGTH = 255;
/** When a product's Glue Data Quality rulesets are evaluated (EventBridge Scheduler expression). */
export const DEFAULT_QUALITY_SCHEDULE = 'rate(1 day)';
/** Longest freshness window an alarm can watch (CloudWatch evaluates at most 7 days of daily periods). */
export const MAX_FRESHNESS_WINDOW_DAYS = 7;
