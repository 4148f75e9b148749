import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * A Glue database (`AWS::Glue::Database`) sets `DatabaseInput.CreateTableDefaultPermissions: []`. Otherwise its
 * new tables grant `IAM_ALLOWED_PRINCIPALS`, and Lake Formation grants, tag-based ones included, silently do
 * nothing for them. Resource links (`DatabaseInput.TargetDatabase`) have no tables of their own and are exempt.
 */
export const GlueDatabaseNoDefaultPermissions = namedRule('GlueDatabaseNoDefaultPermissions', (node) => {
  const props = propertiesIfType(node, 'AWS::Glue::Database');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const input = at(props, 'DatabaseInput');
  if (input === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  if (at(input, 'TargetDatabase') !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const defaults = at(input, 'CreateTableDefaultPermissions');
  if (defaults === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  return Array.isArray(defaults) && defaults.length === 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
