import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { ProblemCollector } from '../lib/errors';
import { productDatabaseName } from '../lib/naming';
import { RAM_INVITATION_ACTIONS } from '../lib/perms';
import { HandlerFunction } from '../lib/private/handler-function';
import { lfGrant } from '../lib/private/lf-grants';
import { DataDomain } from './data-domain';
import { LakeFormationSettings } from './lake-formation-settings';

/** A product the consumer reaches, by name. */
export interface SubscribedProduct {
  readonly domainName: string;
  readonly productName: string;
}

export interface ConsumerAccessProps {
  /** The domain reading the products (in this stack's account): a consumer, or a producer reading its own products. */
  readonly consumer: DataDomain;
  /** Account and region of the governance catalog that holds the products. */
  readonly governanceAccount: string;
  readonly governanceRegion: string;
  /** Every product the consumer's subscriptions reach (computed from the same evaluation as the grants). */
  readonly products: readonly SubscribedProduct[];
  /**
   * Whether this account and the governance account share an AWS Organization with RAM sharing enabled;
   * otherwise the RAM invitations Lake Formation sends are accepted by a custom resource.
   * @default false
   */
  readonly sharedOrganization?: boolean;
  /**
   * Products reached through grants to this account with the grant option: the account's administrator
   * (CloudFormation) re-grants them to the consumer's query role.
   * @default - none
   */
  readonly regrantedProducts?: readonly SubscribedProduct[];
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
}

/**
 * The consumer side of the subscriptions of one domain: in the consumer's account, a resource link per
 * subscribed product database (links are how another account's catalog appears in Athena), DESCRIBE on the
 * links for the consumer's query role (a grant on a link does not grant the target, which the governance
 * account grants), and, outside a shared Organization, the acceptance of Lake Formation's RAM invitations.
 */
export class ConsumerAccess extends Construct {
  public readonly resourceLinks: ReadonlyMap<string, glue.CfnDatabase>;
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  public readonly invitationAcceptance?: CustomResource;

  constructor(scope: Construct, id: string, props: ConsumerAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const consumer = props.consumer;
    const c = new ProblemCollector();
    if (props.products.length === 0 && (props.regrantedProducts ?? []).length === 0) {
      c.add('products', 'must list at least one product', props.products, 'Create ConsumerAccess only for domains that reach products.');
    }
    if (stack.account === props.governanceAccount) {
      c.add('governanceAccount', 'must differ from the consumer\'s account: in the governance account, products are read directly without resource links',
        props.governanceAccount, 'Do not create ConsumerAccess for consumers in the governance account.');
    }
    const seen = new Set<string>();
    for (const p of props.products) {
      const db = productDatabaseName(p.domainName, p.productName);
      if (seen.has(db)) c.add('products', 'must not list a product twice', `${p.domainName}.${p.productName}`, 'Remove the duplicate.');
      seen.add(db);
    }
    c.throwIfAny(this);
    const settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, `ConsumerAccess of "${consumer.domainName}"`);
    const products = [...props.products].sort((a, b) => productDatabaseName(a.domainName, a.productName).localeCompare(productDatabaseName(b.domainName, b.productName)));

    if (!(props.sharedOrganization ?? false) && products.length > 0) {
      const handler = new HandlerFunction(this, 'InvitationHandler', {
        handler: 'ram-invitations',
        description: `Accepts the RAM invitations of Lake Formation shares from the governance account for ${consumer.domainName}`,
        statements: [new iam.PolicyStatement({ actions: [...RAM_INVITATION_ACTIONS], resources: ['*'] })],
        wildcardResourceReason: 'RAM resource share invitation ARNs are created by Lake Formation at grant time and cannot be known in advance.',
        timeout: Duration.minutes(5),
      });
      this.invitationAcceptance = new CustomResource(this, 'InvitationAcceptance', {
        serviceToken: handler.function.functionArn,
        resourceType: 'Custom::RamInvitationAcceptance',
        properties: {
          SenderAccountId: props.governanceAccount,
          ExpectedShares: '1',
          // Re-runs the acceptance whenever the subscribed products change.
          Fingerprint: products.map((p) => productDatabaseName(p.domainName, p.productName)).join(','),
        },
      });
    }

    const links = new Map<string, glue.CfnDatabase>();
    const grants: lakeformation.CfnPrincipalPermissions[] = [];
    for (const p of products) {
      const name = productDatabaseName(p.domainName, p.productName);
      const link = new glue.CfnDatabase(this, `Link-${name}`, {
        catalogId: stack.account,
        databaseInput: {
          name,
          description: `Resource link to ${name} in the governance catalog ${props.governanceAccount}`,
          targetDatabase: { catalogId: props.governanceAccount, databaseName: name, region: props.governanceRegion },
        },
      });
      // A link is only a pointer; removing the subscription should remove it.
      link.applyRemovalPolicy(RemovalPolicy.DESTROY);
      link.node.addDependency(settings);
      if (this.invitationAcceptance) link.node.addDependency(this.invitationAcceptance);
      links.set(name, link);
      grants.push(lfGrant(this, `LinkGrant-${name}`, {
        principal: consumer.queryRoleArn,
        resource: { database: { catalogId: stack.account, name } },
        permissions: ['DESCRIBE'],
        dependsOn: [link],
        after: [settings],
      }));
    }
    for (const p of [...(props.regrantedProducts ?? [])].sort((a, b) => `${a.domainName}.${a.productName}`.localeCompare(`${b.domainName}.${b.productName}`))) {
      const name = productDatabaseName(p.domainName, p.productName);
      const after = [settings, ...(this.invitationAcceptance ? [this.invitationAcceptance] : [])];
      grants.push(lfGrant(this, `RegrantDatabase-${name}`, {
        principal: consumer.queryRoleArn,
        resource: { database: { catalogId: props.governanceAccount, name } },
        permissions: ['DESCRIBE'],
        after,
      }));
      grants.push(lfGrant(this, `RegrantTables-${name}`, {
        principal: consumer.queryRoleArn,
        resource: { table: { catalogId: props.governanceAccount, databaseName: name, tableWildcard: {} } },
        permissions: ['SELECT', 'DESCRIBE'],
        after,
      }));
    }
    this.resourceLinks = links;
    this.grants = grants;
  }
}
