import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, listAt, propertiesIfType, stringAt } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** S3 default-encryption algorithms that use a KMS key. */
export const S3_KMS_ALGORITHMS: readonly string[] = ['aws:kms', 'aws:kms:dsse'];

/**
 * An S3 bucket (`AWS::S3::Bucket`) encrypts objects by default with KMS (`SSEAlgorithm` `aws:kms` or
 * `aws:kms:dsse` in every `ServerSideEncryptionConfiguration` rule): key policies then decide who decrypts, and
 * CloudTrail records every use. Buckets that receive S3 server access logs cannot use SSE-KMS: acknowledge the
 * finding on them.
 */
export const S3BucketKmsEncrypted = namedRule('S3BucketKmsEncrypted', (node) => {
  const props = propertiesIfType(node, 'AWS::S3::Bucket');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = listAt(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
  if (rules === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  if (rules === undefined || rules.length === 0) return NagRuleCompliance.NON_COMPLIANT;
  const kms = rules.every((rule) => {
    if (at(rule) === UNRESOLVED) return true;
    const algorithm = stringAt(rule, 'ServerSideEncryptionByDefault', 'SSEAlgorithm');
    return algorithm === UNRESOLVED || (algorithm !== undefined && S3_KMS_ALGORITHMS.includes(algorithm));
  });
  return kms ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
