import { Token } from 'aws-cdk-lib';
import { ProblemCollector } from './errors';
import { LF_MAX_TAG_LENGTH } from './defaults';

/** Domain, product, table and column names: lowercase letters, digits and underscores, starting with a letter. */
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
/** Longest domain or product name; both go into bucket and role names. */
export const MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH = 32;
/** Longest table or column name (Glue allows 255). */
export const MAX_TABLE_OR_COLUMN_NAME_LENGTH = 128;
/** Mesh name: goes into bucket and role names, so S3 rules apply. */
export const MESH_NAME_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const MAX_MESH_NAME_LENGTH = 20;
/** LF-tag keys and values the toolkit accepts (Lake Formation lowercases what it stores). */
export const LF_TAG_PATTERN = /^[a-z0-9][a-z0-9_.:/=+\-@%]*$/;
/** Longest region code in use (`ap-southeast-4`); used to size names when the region is a token. */
const MAX_REGION_LENGTH = 14;
const ACCOUNT_ID_LENGTH = 12;
export const MAX_BUCKET_NAME_LENGTH = 63;
export const MAX_ROLE_NAME_LENGTH = 64;

export type NameKind = 'domain' | 'product' | 'table' | 'column';

/** Checks a domain/product/table/column name and reports into `c` under `field`. */
export function validateName(c: ProblemCollector, field: string, kind: NameKind, value: unknown): void {
  const max = kind === 'domain' || kind === 'product' ? MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH : MAX_TABLE_OR_COLUMN_NAME_LENGTH;
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    const suggestion = typeof value === 'string' ? suggestName(value) : undefined;
    c.add(field, `must be a ${kind} name matching ${NAME_PATTERN.source} (lowercase letter first, then lowercase letters, digits or _)`,
      value, suggestion ? `Use for example "${suggestion}".` : `Rename the ${kind}.`);
    return;
  }
  if (value.length > max) {
    c.add(field, `must be at most ${max} characters for a ${kind} name`, value, `Shorten the ${kind} name.`);
  }
  if (kind === 'product' && RESERVED_PRODUCT_NAMES.includes(value)) {
    c.add(field, `must not be one of ${RESERVED_PRODUCT_NAMES.join(', ')}: its bucket name would be one of the domain's own buckets`,
      value, `Rename the product, e.g. "${value}_product".`);
  }
}

/** A lowercase, underscore-separated version of a name, for suggestions in error messages. */
export function suggestName(value: string): string | undefined {
  const s = value.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_').replace(/^[^a-z]+/, '').replace(/_$/, '');
  return s && s !== value ? s : undefined;
}

/** Bucket name prefixes S3 reserves. */
export const RESERVED_BUCKET_PREFIXES: readonly string[] = ['xn--', 'sthree-', 'amzn-s3-demo-'];
/** Product names whose bucket would be one of the domain's own buckets. */
export const RESERVED_PRODUCT_NAMES: readonly string[] = ['logs', 'athena_results', 'data'];

export function validateMeshName(c: ProblemCollector, field: string, value: unknown): void {
  if (typeof value !== 'string' || !MESH_NAME_PATTERN.test(value) || value.length > MAX_MESH_NAME_LENGTH) {
    c.add(field, `must be 2-${MAX_MESH_NAME_LENGTH} characters of lowercase letters, digits and hyphens, starting with a letter`,
      value, 'It prefixes every bucket and role name; pick a short name such as "acme-mesh".');
    return;
  }
  const reserved = RESERVED_BUCKET_PREFIXES.find((p) => value.startsWith(p));
  if (reserved) {
    c.add(field, `must not start with "${reserved}", a prefix S3 reserves for bucket names`, value, 'Pick another mesh name.');
  }
}

/** Checks one LF-tag key or value. */
export function validateLfTagString(c: ProblemCollector, field: string, what: 'key' | 'value', value: unknown): void {
  if (typeof value !== 'string' || !LF_TAG_PATTERN.test(value) || value.length > LF_MAX_TAG_LENGTH) {
    c.add(field, `must be an LF-tag ${what} of 1-${LF_MAX_TAG_LENGTH} lowercase characters (${LF_TAG_PATTERN.source})`, value,
      typeof value === 'string' && value.toLowerCase() !== value
        ? `Use "${value.toLowerCase()}": Lake Formation stores tags in lowercase.`
        : `Rename the tag ${what}.`);
  }
}

/** The Glue database of a product: `<domain>_<product>`. */
export function productDatabaseName(domain: string, product: string): string {
  return `${domain}_${product}`;
}

function s3Part(name: string): string {
  return name.replace(/_/g, '-');
}

/**
 * The bucket of a product: `<mesh>-<domain>-<product>-<account>-<region>` (underscores become hyphens).
 * Deterministic so that other accounts can name it without a cross-stack reference.
 */
export function productBucketName(mesh: string, domain: string, product: string, account: string, region: string): string {
  return `${mesh}-${s3Part(domain)}-${s3Part(product)}-${account}-${region}`;
}

/** A bucket of the domain itself (`logs`, `athena-results`, or the shared `data` bucket). */
export function domainBucketName(mesh: string, domain: string, purpose: string, account: string, region: string): string {
  return `${mesh}-${s3Part(domain)}-${purpose}-${account}-${region}`;
}

/** Length a bucket name will have once CloudFormation resolves account and region tokens. */
export function resolvedLength(name: string, account: string, region: string): number {
  let n = name.length;
  if (Token.isUnresolved(account)) n += ACCOUNT_ID_LENGTH - account.length;
  if (Token.isUnresolved(region)) n += MAX_REGION_LENGTH - region.length;
  return n;
}

export function validateBucketName(c: ProblemCollector, field: string, name: string, account: string, region: string): void {
  const len = resolvedLength(name, account, region);
  if (len > MAX_BUCKET_NAME_LENGTH) {
    c.add(field, `makes a bucket name of ${len} characters; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`,
      Token.isUnresolved(name) ? '<name with account/region tokens>' : name,
      `Shorten the mesh, domain or product name by ${len - MAX_BUCKET_NAME_LENGTH} characters (names are never truncated, so that other accounts can compute them).`);
  }
}

/** IAM role names are prefixed by the mesh name. */
export function domainRoleName(mesh: string, domain: string, purpose: 'writer' | 'query'): string {
  return `${mesh}-${domain}-${purpose}`;
}

/**
 * The role Lake Formation assumes to read and write the registered product locations of one producing domain (in
 * the catalog account). One per domain, so that it can list exactly that domain's buckets and key.
 */
export function registrationRoleName(mesh: string, domain: string): string {
  return `${mesh}-${domain}-lf-reg`;
}

export function validateRoleName(c: ProblemCollector, field: string, name: string): void {
  if (name.length > MAX_ROLE_NAME_LENGTH) {
    c.add(field, `makes an IAM role name of ${name.length} characters; IAM allows at most ${MAX_ROLE_NAME_LENGTH}`, name,
      'Shorten the mesh or domain name.');
  }
}

/** Athena workgroup of a domain. */
export function workgroupName(mesh: string, domain: string): string {
  return `${mesh}-${domain}`;
}

/** Name of the KMS alias of a domain key. */
export function domainKeyAlias(mesh: string, domain: string): string {
  return `alias/${mesh}/${domain}`;
}

/** Alias of the mesh's catalog encryption key in the governance account. */
export function catalogKeyAlias(mesh: string): string {
  return `alias/${mesh}/catalog`;
}
