import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, listAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An `AWS::LakeFormation::PrincipalPermissions` grants no permission with the grant option. With cross-account
 * version 3 or higher the governance account grants directly to IAM roles of other accounts; the grant option is
 * needed only for a grant to a whole account whose administrator re-grants, and then hands control over the data
 * to that account. Such a grant must be deliberate: acknowledge the finding on it, with the reason.
 */
export const LakeFormationNoGrantOption = namedRule('LakeFormationNoGrantOption', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::PrincipalPermissions');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const withGrantOption = listAt(props, 'PermissionsWithGrantOption');
  if (withGrantOption === UNRESOLVED || withGrantOption === undefined) return NagRuleCompliance.COMPLIANT;
  return withGrantOption.length === 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
