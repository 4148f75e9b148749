import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { catalogKeyAlias } from '../naming';
import { KMS_CATALOG_ACTIONS } from '../perms';

/**
 * IAM side of using the mesh's catalog key (alias `alias/<mesh>/catalog` in `catalogAccount`): Glue and Athena use
 * the caller's credentials to encrypt and decrypt catalog objects
 * (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html). The key's ID is generated, so the
 * key is named by its alias.
 */
export function catalogKeyStatement(meshName: string, catalogAccount: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'UseCatalogKey',
    actions: [...KMS_CATALOG_ACTIONS],
    resources: [`arn:${Aws.PARTITION}:kms:*:${catalogAccount}:key/*`],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': catalogKeyAlias(meshName) } },
  });
}
