import { NagRuleCompliance } from 'cdk-nag';
import { namedRule } from '../../private/named-rule';

/**
 * No legacy `AWS::LakeFormation::Permissions`: it cannot express LF-tag policies, and its updates revoke and
 * re-grant out of order. Grants are `AWS::LakeFormation::PrincipalPermissions`.
 */
export const LakeFormationNoLegacyPermissions = namedRule('LakeFormationNoLegacyPermissions', (node) =>
  (node.cfnResourceType === 'AWS::LakeFormation::Permissions' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE));
