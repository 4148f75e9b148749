import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

const DEFAULT_PERMISSION_LISTS = ['CreateDatabaseDefaultPermissions', 'CreateTableDefaultPermissions'];

/**
 * `AWS::LakeFormation::DataLakeSettings` sets both default-permission lists to `[]`. Left out, new databases and
 * tables grant `IAM_ALLOWED_PRINCIPALS`, and tag-based sharing silently does nothing; CloudFormation cannot clear
 * the lists later.
 */
export const LakeFormationSettingsNoDefaultPermissions = namedRule('LakeFormationSettingsNoDefaultPermissions', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::DataLakeSettings');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  for (const name of DEFAULT_PERMISSION_LISTS) {
    const list = at(props, name);
    if (list === UNRESOLVED) continue;
    if (!Array.isArray(list) || list.length > 0) return NagRuleCompliance.NON_COMPLIANT;
  }
  return NagRuleCompliance.COMPLIANT;
});
