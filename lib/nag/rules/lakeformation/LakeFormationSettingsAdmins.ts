import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, isPresent, listAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * `Custom::LakeFormationSettings` (this toolkit's settings) names at least one data lake administrator, and no
 * blank one: the CloudFormation execution role must be an administrator before any Glue or Lake Formation
 * resource is created.
 */
export const LakeFormationSettingsAdmins = namedRule('LakeFormationSettingsAdmins', (node) => {
  const props = propertiesIfType(node, 'Custom::LakeFormationSettings');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const admins = listAt(props, 'Admins');
  if (admins === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  if (admins === undefined || admins.length === 0 || !admins.every(isPresent)) return NagRuleCompliance.NON_COMPLIANT;
  return NagRuleCompliance.COMPLIANT;
});
