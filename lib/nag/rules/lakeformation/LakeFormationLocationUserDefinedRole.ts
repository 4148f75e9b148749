import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, booleanAt, isPresent, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * A data location registration (`AWS::LakeFormation::Resource`) uses a user-defined role: `UseServiceLinkedRole:
 * false` and a `RoleArn`. CloudFormation does not create the service-linked role, and it cannot reach locations in
 * other accounts or use customer-managed KMS keys.
 */
export const LakeFormationLocationUserDefinedRole = namedRule('LakeFormationLocationUserDefinedRole', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::Resource');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const useServiceLinkedRole = booleanAt(props, 'UseServiceLinkedRole');
  if (useServiceLinkedRole === true || useServiceLinkedRole === undefined) return NagRuleCompliance.NON_COMPLIANT;
  const roleArn = at(props, 'RoleArn');
  if (roleArn !== UNRESOLVED && !isPresent(roleArn)) return NagRuleCompliance.NON_COMPLIANT;
  return NagRuleCompliance.COMPLIANT;
});
