import { NagRuleCompliance } from 'cdk-nag';
import { propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An `AWS::LakeFormation::PrincipalPermissions` sets `PermissionsWithGrantOption` (`[]` for none): the property
 * is required, and CloudFormation rejects the resource without it.
 */
export const LakeFormationGrantOptionDeclared = namedRule('LakeFormationGrantOptionDeclared', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::PrincipalPermissions');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  return props.PermissionsWithGrantOption === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});
