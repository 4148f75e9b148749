/**
 * Defaults of the runtime client, defined once so that code, docs and tests cannot drift apart.
 */

/** Attempts per AWS call (first try included) before a throttling or transient error is given up on. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 5;
/** Backoff before the first retry; doubles on every further retry (with jitter). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
/** Longest backoff between two retries. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 20_000;

/** How long {@link MeshClient.query} waits for a query before stopping it: 10 minutes. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10 * 60 * 1000;
/** First wait between two polls of a running query. */
export const DEFAULT_QUERY_POLL_INITIAL_MS = 250;
/** Longest wait between two polls of a running query (the wait doubles up to it). */
export const DEFAULT_QUERY_POLL_MAX_MS = 5000;
/** Rows per `GetQueryResults` page (Athena's maximum). */
export const ATHENA_RESULTS_PAGE_SIZE = 1000;

/** Glue and Lake Formation calls the client runs at the same time when it describes many resources. */
export const DEFAULT_CONCURRENCY = 4;

/** Database parameter marking a Glue database as a data product (written by `ProductCatalog`). */
export const DATA_PRODUCT_PARAMETER = 'data_product';
/** Database parameter with the product's classification, used when the database carries no LF-tag. */
export const CLASSIFICATION_LEVEL_PARAMETER = 'classification_level';
/** Prefixes of database parameters holding SLA metadata (`sla_freshness_hours`, `sla.availability`). */
export const SLA_PARAMETER_PREFIXES: readonly string[] = ['sla_', 'sla.'];
/** Prefixes of database parameters holding data quality metadata. */
export const QUALITY_PARAMETER_PREFIXES: readonly string[] = ['quality_', 'quality.'];
/** Table parameter prefix of Athena partition projection settings. */
export const PROJECTION_PARAMETER_PREFIX = 'projection.';
/** Table parameter naming the S3 path template used by partition projection. */
export const STORAGE_LOCATION_TEMPLATE_PARAMETER = 'storage.location.template';

/** Lake Formation's principal standing for "any IAM principal allowed by IAM policies". */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';
/** Key of the cross-account version in the data lake settings' `Parameters`. */
export const CROSS_ACCOUNT_VERSION_PARAMETER = 'CROSS_ACCOUNT_VERSION';
