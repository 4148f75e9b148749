import { CfnDeletionPolicy, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, it } from 'vitest';
import { expectCompliant, expectFlagged, newStack } from './nag-test-utils';

describe('DataMesh-S3BucketRetained', () => {
  const id = 'DataMesh-S3BucketRetained';

  it('compliant: RemovalPolicy.RETAIN (the default of s3.Bucket)', () => {
    const { stack } = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expectCompliant(stack, id);
  });

  it('compliant: DeletionPolicy RetainExceptOnCreate', () => {
    const { stack } = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    expectCompliant(stack, id);
  });

  it('non-compliant: RemovalPolicy.DESTROY', () => {
    const { stack } = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS_MANAGED, removalPolicy: RemovalPolicy.DESTROY });
    expectFlagged(stack, id, ['Test/Bucket/Resource']);
  });

  it('non-compliant: an L1 bucket without DeletionPolicy (CloudFormation deletes it)', () => {
    const { stack } = newStack();
    new s3.CfnBucket(stack, 'Bucket');
    expectFlagged(stack, id, ['Test/Bucket']);
  });

  it('non-compliant: DeletionPolicy Delete set by a raw override', () => {
    const { stack } = newStack();
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    bucket.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    bucket.addOverride('DeletionPolicy', 'Delete');
    expectFlagged(stack, id, ['Test/Bucket']);
  });
});

describe('DataMesh-S3BucketKmsEncrypted', () => {
  const id = 'DataMesh-S3BucketKmsEncrypted';

  it('compliant: SSE-KMS with a customer-managed key', () => {
    const { stack } = newStack();
    new s3.Bucket(stack, 'Bucket', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), bucketKeyEnabled: true });
    expectCompliant(stack, id);
  });

  it('compliant: dual-layer SSE-KMS (aws:kms:dsse)', () => {
    const { stack } = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.DSSE_MANAGED });
    expectCompliant(stack, id);
  });

  it('non-compliant: SSE-S3', () => {
    const { stack } = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
    expectFlagged(stack, id, ['Test/Bucket/Resource']);
  });

  it('non-compliant: no default encryption configured', () => {
    const { stack } = newStack();
    new s3.CfnBucket(stack, 'Bucket');
    expectFlagged(stack, id, ['Test/Bucket']);
  });
});
