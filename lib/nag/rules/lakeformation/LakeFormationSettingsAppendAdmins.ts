import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, stringAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * `AWS::LakeFormation::DataLakeSettings` sets `MutationType: APPEND`. Without it the resource replaces the whole
 * settings, removing every administrator and parameter it does not list (including those added outside the stack).
 */
export const LakeFormationSettingsAppendAdmins = namedRule('LakeFormationSettingsAppendAdmins', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::DataLakeSettings');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const mutationType = stringAt(props, 'MutationType');
  if (mutationType === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  return mutationType?.toUpperCase() === 'APPEND' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
