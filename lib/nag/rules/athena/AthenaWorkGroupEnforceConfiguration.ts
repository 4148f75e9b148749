import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, booleanAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An Athena workgroup (`AWS::Athena::WorkGroup`) sets `WorkGroupConfiguration.EnforceWorkGroupConfiguration:
 * true`: otherwise each query may override the result location, its encryption and the scan limit.
 */
export const AthenaWorkGroupEnforceConfiguration = namedRule('AthenaWorkGroupEnforceConfiguration', (node) => {
  const props = propertiesIfType(node, 'AWS::Athena::WorkGroup');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const enforce = booleanAt(props, 'WorkGroupConfiguration', 'EnforceWorkGroupConfiguration');
  return enforce === true || enforce === UNRESOLVED ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
