/**
 * Findings about a contract that do not stop the import. Each has an ID so that users can acknowledge it,
 * and a message that starts with where it was found (`<file>:<line>:<col>`, or the label of an in-memory
 * contract).
 */
export interface ContractWarning {
  /** `cdk-data-mesh:contract-<what>`. */
  readonly id: string;
  readonly message: string;
}

/** A key the validator does not know, outside the top level of the contract. */
export const CONTRACT_UNKNOWN_KEY = 'cdk-data-mesh:contract-unknown-key';
/** A key that is deprecated or not part of ODCS but still read (`owner`, `rule`, `slaDefaultElement`). */
export const CONTRACT_NONSTANDARD_KEY = 'cdk-data-mesh:contract-nonstandard-key';
/** A value outside the values ODCS lists, where ODCS allows others (server type, quality dimension). */
export const CONTRACT_UNKNOWN_VALUE = 'cdk-data-mesh:contract-unknown-value';
/** A YAML construct that is legal but suspicious. */
export const CONTRACT_YAML_WARNING = 'cdk-data-mesh:contract-yaml-warning';
/** A description longer than Glue's column comment limit, clipped. */
export const CONTRACT_COMMENT_CLIPPED = 'cdk-data-mesh:contract-comment-clipped';
/** A quality rule that is not turned into DQDL (also listed in `unsupportedRules`). */
export const CONTRACT_RULE_UNSUPPORTED = 'cdk-data-mesh:contract-rule-unsupported';
/** A quality rule turned into DQDL with an assumption or an approximation worth knowing. */
export const CONTRACT_RULE_APPROXIMATED = 'cdk-data-mesh:contract-rule-approximated';
/** A server that is not S3 (or a second S3 server): it does not give the product's location. */
export const CONTRACT_SERVER_UNSUPPORTED = 'cdk-data-mesh:contract-server-unsupported';
/** A server or table format the toolkit cannot store (not parquet, json or csv). */
export const CONTRACT_FORMAT_UNSUPPORTED = 'cdk-data-mesh:contract-format-unsupported';
/** An S3 location with globs or placeholders, shortened to the prefix before them. */
export const CONTRACT_LOCATION_TRIMMED = 'cdk-data-mesh:contract-location-trimmed';
/** A tag that is not an LF-tag of the ontology (`key:value` with a declared key). */
export const CONTRACT_TAG_IGNORED = 'cdk-data-mesh:contract-tag-ignored';
/** An SLA property the toolkit does not act on. */
export const CONTRACT_SLA_UNSUPPORTED = 'cdk-data-mesh:contract-sla-unsupported';
/** A type with no exact Glue equivalent (`time`), or a physicalType that is not a Glue type. */
export const CONTRACT_TYPE_APPROXIMATED = 'cdk-data-mesh:contract-type-approximated';
/** No owner or description in the contract: a fallback was used. */
export const CONTRACT_DEFAULTED = 'cdk-data-mesh:contract-defaulted';
/** Something on a nested field (inside an object or array) that Glue or Lake Formation cannot apply to it. */
export const CONTRACT_NESTED_IGNORED = 'cdk-data-mesh:contract-nested-ignored';
