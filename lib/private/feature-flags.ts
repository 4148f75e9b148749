import { IConstruct } from 'constructs';

/**
 * Library constructs must not depend on the feature flags of the app that uses them. Server access logs
 * are delivered through a bucket policy (not the legacy `LogDeliveryWrite` ACL, which is incompatible with
 * enforced object ownership): pin that behaviour for the construct's children.
 */
export function pinAccessLogDeliveryByPolicy(scope: IConstruct): void {
  scope.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
}
