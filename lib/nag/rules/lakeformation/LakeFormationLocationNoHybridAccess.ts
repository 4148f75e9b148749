import { NagRuleCompliance } from 'cdk-nag';
import { booleanAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * A data location registration (`AWS::LakeFormation::Resource`) does not enable hybrid access mode: with it, IAM
 * policies keep granting access to the location's data beside Lake Formation, so LF-tag grants no longer decide
 * alone. Acknowledge the finding on a registration that opts in deliberately (e.g. during a migration).
 */
export const LakeFormationLocationNoHybridAccess = namedRule('LakeFormationLocationNoHybridAccess', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::Resource');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  return booleanAt(props, 'HybridAccessEnabled') === true ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
