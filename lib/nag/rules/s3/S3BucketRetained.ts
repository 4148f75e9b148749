import { NagRuleCompliance } from 'cdk-nag';
import { isIntrinsic, renderResource } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** Deletion policies that keep a bucket when its stack or resource is deleted. */
export const RETAINING_DELETION_POLICIES: readonly string[] = ['Retain', 'RetainExceptOnCreate'];

/**
 * An S3 bucket (`AWS::S3::Bucket`) is retained when it leaves its stack (`DeletionPolicy: Retain`, or
 * `RetainExceptOnCreate`, which only deletes a bucket whose creation failed). Destroying data needs an explicit,
 * acknowledged choice.
 */
export const S3BucketRetained = namedRule('S3BucketRetained', (node) => {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const policy = renderResource(node).deletionPolicy;
  if (isIntrinsic(policy)) return NagRuleCompliance.COMPLIANT;
  return typeof policy === 'string' && RETAINING_DELETION_POLICIES.includes(policy) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
