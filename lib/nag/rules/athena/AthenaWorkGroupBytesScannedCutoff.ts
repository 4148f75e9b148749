import { NagRuleCompliance } from 'cdk-nag';
import { MIN_BYTES_SCANNED_CUTOFF_PER_QUERY } from '../../../defaults';
import { UNRESOLVED, numberAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An Athena workgroup (`AWS::Athena::WorkGroup`) limits the bytes one query may scan
 * (`WorkGroupConfiguration.BytesScannedCutoffPerQuery`, at least Athena's minimum of 10,000,000): a cost
 * guardrail against a runaway query over a large product.
 */
export const AthenaWorkGroupBytesScannedCutoff = namedRule('AthenaWorkGroupBytesScannedCutoff', (node) => {
  const props = propertiesIfType(node, 'AWS::Athena::WorkGroup');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const cutoff = numberAt(props, 'WorkGroupConfiguration', 'BytesScannedCutoffPerQuery');
  if (cutoff === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  return cutoff !== undefined && cutoff >= MIN_BYTES_SCANNED_CUTOFF_PER_QUERY ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
