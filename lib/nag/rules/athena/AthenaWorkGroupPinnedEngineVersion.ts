import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, propertiesIfType, stringAt } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An Athena workgroup (`AWS::Athena::WorkGroup`) pins its engine version
 * (`WorkGroupConfiguration.EngineVersion.SelectedEngineVersion`, not `AUTO`), so that an engine upgrade, which can
 * change query results, is a reviewed change.
 */
export const AthenaWorkGroupPinnedEngineVersion = namedRule('AthenaWorkGroupPinnedEngineVersion', (node) => {
  const props = propertiesIfType(node, 'AWS::Athena::WorkGroup');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const version = stringAt(props, 'WorkGroupConfiguration', 'EngineVersion', 'SelectedEngineVersion');
  if (version === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  return version !== undefined && version.trim() !== '' && version.trim().toUpperCase() !== 'AUTO'
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});
