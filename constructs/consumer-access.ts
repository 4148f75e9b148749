import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { ProblemCollector } from '../lib/errors';
import { productDatabaseName } from '../lib/naming';
import { RAM_INVITATION_ACTIONS, RAM_SHARE_INSPECTION_ACTIONS } from '../lib/perms';
import { HandlerFunction } from '../lib/private/handler-function';
import { lfGrant, readGrants } from '../lib/private/lf-grants';
import type { TableSpec } from '../lib/table-schema';
import { DataDomain } from './data-domain';
import { LakeFormationSettings } from './lake-formation-settings';

/** A product a domain reads, by name. */
export interface SubscribedProduct {
  readonly domainName: string;
  readonly productName: string;
}

/**
 * A product the account holds with the grant option (a subscription with `grantToAccount`): the account's
 * administrator (CloudFormation) re-grants to the reader's query role exactly the tables and columns the
 * subscription allows, never more than the account holds.
 */
export interface RegrantedProduct extends SubscribedProduct {
  readonly tables: readonly TableSpec[];
  readonly productClassification: string;
  readonly allowedClassifications: readonly string[];
}

/** One domain of the account and the products it reads. */
export interface ProductReader {
  /** The reading domain (in this stack's account): a consumer, or a producer reading its own products. */
  readonly domain: DataDomain;
  readonly products: readonly SubscribedProduct[];
  /** @default - none */
  readonly regrants?: readonly RegrantedProduct[];
}

export interface ConsumerAccessProps {
  /** Every domain of this account that reads products of the governance catalog. */
  readonly readers: readonly ProductReader[];
  /** Account and region of the governance catalog that holds the products. */
  readonly governanceAccount: string;
  readonly governanceRegion: string;
  /**
   * Whether this account and the governance account share an AWS Organization with RAM sharing with AWS
   * Organizations enabled. Then Lake Formation's shares are available at once, with no invitation
   * (https://docs.aws.amazon.com/lake-formation/latest/dg/viewing-shared-resources.html), and no acceptance
   * resource is created. Otherwise a custom resource accepts the invitations: see {@link ConsumerAccess}.
   * @default false
   */
  readonly sharedOrganization?: boolean;
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
}

/**
 * The reading side of a mesh in one account: a resource link per product database any domain of the
 * account reads (links are how another account's catalog appears in Athena; one per account, because a
 * catalog holds each name once), DESCRIBE on the links for each reader's query role (a grant on a link does
 * not grant the target, which the governance account grants), re-grants of products the account holds
 * with the grant option, and, outside a shared Organization, the acceptance of Lake Formation's RAM
 * invitations.
 *
 * RAM invitations (`Custom::RamInvitationAcceptance`, only when `sharedOrganization` is false): Lake Formation
 * shares the governance catalog's databases and tables through AWS RAM, and an account outside the governance
 * account's organization sees nothing until it accepts the invitation
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/accepting-ram-invite.html). The custom resource accepts
 * only pending invitations from the governance account whose shares hold nothing but Data Catalog resources
 * (`glue:Catalog`, `glue:Database`, `glue:Table`) of that account, then waits, polling with backoff until shortly
 * before its Lambda timeout, until every governance database this account links to or re-grants is reachable
 * through an accepted share. It fails naming the databases still missing (typically: the governance stack's
 * grants are not deployed yet). Invitations for other shares are left pending.
 *
 * In an AWS Organization that shares automatically (`sharedOrganization: true`), nothing is accepted and no
 * custom resource exists: the shares are active as soon as Lake Formation creates them. That requires RAM
 * sharing with AWS Organizations to be enabled in the organization's management account
 * (`aws ram enable-sharing-with-aws-organization`); if it is not, the invitations stay pending and the resource
 * links point at databases the account cannot see.
 */
export class ConsumerAccess extends Construct {
  public readonly resourceLinks: ReadonlyMap<string, glue.CfnDatabase>;
  public readonly grants: readonly lakeformation.CfnPrincipalPermissions[];
  public readonly invitationAcceptance?: CustomResource;

  constructor(scope: Construct, id: string, props: ConsumerAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const c = new ProblemCollector();
    if (props.readers.every((r) => r.products.length === 0 && (r.regrants ?? []).length === 0)) {
      c.add('readers', 'must read at least one product', props.readers.map((r) => r.domain.domainName), 'Create ConsumerAccess only for accounts whose domains read products.');
    }
    if (stack.account === props.governanceAccount) {
      c.add('governanceAccount', 'must differ from this account: in the governance account, products are read directly without resource links',
        props.governanceAccount, 'Do not create ConsumerAccess in the governance account.');
    }
    props.readers.forEach((r, i) => {
      if (r.domain.account !== stack.account) {
        c.add(`readers[${i}].domain`, `must be a domain of this account (${stack.account})`, `${r.domain.domainName} (${r.domain.account})`, 'Use the ConsumerAccess of the domain\'s own account.');
      }
      const seen = new Set<string>();
      for (const p of r.products) {
        const db = productDatabaseName(p.domainName, p.productName);
        if (seen.has(db)) c.add(`readers[${i}].products`, 'must not list a product twice', `${p.domainName}.${p.productName}`, 'Remove the duplicate.');
        seen.add(db);
      }
    });
    c.throwIfAny(this);
    const settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, 'ConsumerAccess');
    const readers = [...props.readers].sort((a, b) => a.domain.domainName.localeCompare(b.domain.domainName));
    const linked = [...new Set(readers.flatMap((r) => r.products.map((p) => productDatabaseName(p.domainName, p.productName))))].sort();

    if (!(props.sharedOrganization ?? false)) {
      const handler = new HandlerFunction(this, 'InvitationHandler', {
        handler: 'ram-invitations',
        description: 'Accepts the RAM invitations of Lake Formation shares from the governance account',
        statements: [new iam.PolicyStatement({ actions: [...RAM_INVITATION_ACTIONS, ...RAM_SHARE_INSPECTION_ACTIONS], resources: ['*'] })],
        wildcardResourceReason: 'RAM resource share invitation ARNs are created by Lake Formation at grant time and cannot be known in advance; ListResources and GetResourceShareInvitations support no resource-level permissions.',
        timeout: Duration.minutes(5),
      });
      const regranted = readers.flatMap((r) => (r.regrants ?? []).map((p) => productDatabaseName(p.domainName, p.productName)));
      this.invitationAcceptance = new CustomResource(this, 'InvitationAcceptance', {
        serviceToken: handler.function.functionArn,
        resourceType: 'Custom::RamInvitationAcceptance',
        serviceTimeout: handler.serviceTimeout,
        properties: {
          SenderAccountId: props.governanceAccount,
          // Every governance database the account needs; a change re-runs the acceptance.
          ExpectedDatabases: [...new Set([...linked, ...regranted])].sort(),
          Region: props.governanceRegion,
        },
      });
    }
    const afterShares = [settings, ...(this.invitationAcceptance ? [this.invitationAcceptance] : [])];

    const links = new Map<string, glue.CfnDatabase>();
    for (const name of linked) {
      const link = new glue.CfnDatabase(this, `Link-${name}`, {
        catalogId: stack.account,
        databaseInput: {
          name,
          description: `Resource link to ${name} in the governance catalog ${props.governanceAccount}`,
          targetDatabase: { catalogId: props.governanceAccount, databaseName: name, region: props.governanceRegion },
        },
      });
      // A link is only a pointer; removing the last subscription should remove it.
      link.applyRemovalPolicy(RemovalPolicy.DESTROY);
      for (const d of afterShares) link.node.addDependency(d);
      links.set(name, link);
    }

    const grants: lakeformation.CfnPrincipalPermissions[] = [];
    for (const r of readers) {
      const reader = new Construct(this, r.domain.domainName);
      for (const name of [...new Set(r.products.map((p) => productDatabaseName(p.domainName, p.productName)))].sort()) {
        grants.push(lfGrant(reader, `LinkGrant-${name}`, {
          principal: r.domain.queryRoleArn,
          resource: { database: { catalogId: stack.account, name } },
          permissions: ['DESCRIBE'],
          dependsOn: [links.get(name)!],
          after: [settings],
        }));
      }
      for (const p of [...(r.regrants ?? [])].sort((a, b) => `${a.domainName}.${a.productName}`.localeCompare(`${b.domainName}.${b.productName}`))) {
        grants.push(...readGrants(reader, `Regrant-${productDatabaseName(p.domainName, p.productName)}-`, {
          principal: r.domain.queryRoleArn,
          catalogId: props.governanceAccount,
          databaseName: productDatabaseName(p.domainName, p.productName),
          tables: p.tables,
          productClassification: p.productClassification,
          allowedClassifications: p.allowedClassifications,
          after: afterShares,
        }));
      }
    }
    this.resourceLinks = links;
    this.grants = grants;
  }
}
