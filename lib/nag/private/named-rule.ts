import { CfnResource } from 'aws-cdk-lib';
import { NagRuleResult } from 'cdk-nag';

/** A cdk-nag rule: checks one CfnResource. */
export type DataMeshRule = (node: CfnResource) => NagRuleResult;

/**
 * Gives `rule` its name for good: cdk-nag derives the rule ID (`DataMesh-<name>`) from the function name, which
 * bundlers and minifiers may rewrite.
 */
export function namedRule(name: string, rule: DataMeshRule): DataMeshRule {
  Object.defineProperty(rule, 'name', { value: name });
  return rule;
}
