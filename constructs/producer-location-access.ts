import { Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IDependable } from 'constructs';
import { ProblemCollector } from '../lib/errors';
import { lfGrant } from '../lib/private/lf-grants';
import type { DataDomain } from './data-domain';
import type { DataProduct } from './data-product';
import { LakeFormationSettings } from './lake-formation-settings';

export interface ProducerLocationAccessProps {
  /** The producing domain, in this stack's account. */
  readonly domain: DataDomain;
  /** Products of the domain whose catalog half lives in another account. */
  readonly products: readonly DataProduct[];
  /** Account of the catalog where the locations are registered. */
  readonly catalogAccount: string;
  /** Further constructs the re-grants must come after (e.g. the acceptance of the catalog account's shares). @default - none */
  readonly after?: readonly IDependable[];
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
}

/**
 * The producer's half of a cross-account data location grant. The catalog account grants `DATA_LOCATION_ACCESS`
 * on each product location to the producer account with the grant option (a cross-account location grant is
 * documented only to an account); here the producer account's administrator (CloudFormation) re-grants it to the
 * domain's writer role, naming the catalog account's ID, so that pipelines can create tables and partitions at
 * the location. https://docs.aws.amazon.com/lake-formation/latest/dg/granting-location-permissions.html
 *
 * Deploy after the catalog account's grants (the mesh puts it in the producer account's access stack).
 */
export class ProducerLocationAccess extends Construct {
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];

  constructor(scope: Construct, id: string, props: ProducerLocationAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const c = new ProblemCollector();
    if (props.domain.account !== stack.account) {
      c.add('domain', `must be a domain of this stack's account (${stack.account})`, `${props.domain.domainName} (${props.domain.account})`,
        'Create ProducerLocationAccess in a stack of the producing domain\'s account.');
    }
    if (props.catalogAccount === stack.account) {
      c.add('catalogAccount', 'must differ from this account: in the catalog account the writer role is granted directly', props.catalogAccount,
        'Create ProducerLocationAccess only for products whose catalog lives in another account.');
    }
    if (!props.domain.writerRole) {
      c.add('domain', 'must be a producing domain (it has no writer role)', props.domain.domainName, 'Use a domain with role producer or both.');
    }
    props.products.forEach((p, i) => {
      if (p.domain !== props.domain) c.add(`products[${i}]`, `must be a product of domain "${props.domain.domainName}"`, p.productName, 'Pass only the domain\'s own products.');
    });
    c.throwIfAny(this);
    const settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, 'ProducerLocationAccess');
    const products = [...props.products].sort((a, b) => a.productName.localeCompare(b.productName));
    this.grants = products.map((p) => lfGrant(this, `WriterLocationGrant-${p.productName}`, {
      principal: props.domain.writerRoleArn,
      resource: { dataLocation: { catalogId: props.catalogAccount, resourceArn: p.catalog.locationArn } },
      permissions: ['DATA_LOCATION_ACCESS'],
      after: [settings, ...(props.after ?? [])],
    }));
  }
}
