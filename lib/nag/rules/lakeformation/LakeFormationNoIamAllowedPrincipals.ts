import { NagRuleCompliance } from 'cdk-nag';
import { propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** Lake Formation's pseudo-principal that hands access control back to IAM. */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/**
 * No grant to `IAM_ALLOWED_PRINCIPALS` (in `AWS::LakeFormation::PrincipalPermissions` or the legacy
 * `AWS::LakeFormation::Permissions`): it turns Lake Formation off for the resource, so LF-tag grants no longer
 * decide who reads it. The name is flagged wherever it appears literally in the principal, also inside an
 * intrinsic (`Fn::If`, `Fn::Join`...).
 */
export const LakeFormationNoIamAllowedPrincipals = namedRule('LakeFormationNoIamAllowedPrincipals', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::PrincipalPermissions', 'AWS::LakeFormation::Permissions');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const principal = node.cfnResourceType === 'AWS::LakeFormation::Permissions' ? props.DataLakePrincipal : props.Principal;
  return mentions(principal, IAM_ALLOWED_PRINCIPALS) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});

function mentions(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.toUpperCase().includes(text);
  if (Array.isArray(value)) return value.some((v) => mentions(v, text));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => mentions(v, text));
  return false;
}
