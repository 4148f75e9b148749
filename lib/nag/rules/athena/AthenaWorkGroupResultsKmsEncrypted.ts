import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, booleanAt, isPresent, propertiesIfType, stringAt } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** Athena result encryption options that use a KMS key. */
export const ATHENA_KMS_ENCRYPTION_OPTIONS: readonly string[] = ['SSE_KMS', 'CSE_KMS'];

/**
 * An Athena workgroup (`AWS::Athena::WorkGroup`) encrypts query results with a KMS key: its
 * `ResultConfiguration.EncryptionConfiguration` uses `SSE_KMS` or `CSE_KMS` with a `KmsKey`, or it keeps results in
 * Athena managed storage (`ManagedQueryResultsConfiguration.Enabled`) encrypted with a `KmsKey`. Query results
 * are copies of governed data.
 */
export const AthenaWorkGroupResultsKmsEncrypted = namedRule('AthenaWorkGroupResultsKmsEncrypted', (node) => {
  const props = propertiesIfType(node, 'AWS::Athena::WorkGroup');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const config = at(props, 'WorkGroupConfiguration');
  if (config === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  const managed = at(config, 'ManagedQueryResultsConfiguration');
  if (managed !== undefined && booleanAt(managed, 'Enabled') !== false) {
    return isPresent(at(managed, 'EncryptionConfiguration', 'KmsKey')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  }
  const encryption = at(config, 'ResultConfiguration', 'EncryptionConfiguration');
  if (encryption === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  const option = stringAt(encryption, 'EncryptionOption');
  if (option === undefined || (option !== UNRESOLVED && !ATHENA_KMS_ENCRYPTION_OPTIONS.includes(option.toUpperCase()))) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  return isPresent(at(encryption, 'KmsKey')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
