/**
 * Open Data Contract Standard (ODCS) v3.1.0 import and export: read a contract (YAML or JSON, v3.0.x
 * accepted where compatible), validate it, and map it to what a data product deploys (tables, parameters,
 * LF-tags, Glue Data Quality rulesets, SLA, owner and contact); write a product back as a contract.
 */
export * from './warnings';
export * from './odcs-schema';
export { ContractSource, ParsedContract, contractFromObject, loadContract, parseContract } from './parse';
export * from './map';
export * from './export';
export { DQDL_RULE_TYPES, dqdlNumber, dqdlString, parseDqdl, renderCondition, renderRule, renderRuleset } from './dqdl';
export type {
  DqdlComparison, DqdlComposite, DqdlCondition, DqdlExpression, DqdlParseOptions, DqdlParseResult, DqdlRule, DqdlValue,
} from './dqdl';
export { normalizeGlueType, parseGlueType, renderGlueType } from './glue-types';
export type { GlueType } from './glue-types';
