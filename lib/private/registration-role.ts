import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { domainKeyAlias, registrationRoleName } from '../naming';
import { KMS_DECRYPT_ACTIONS, KMS_ENCRYPT_ACTIONS, S3_BUCKET_LEVEL_ACTIONS, S3_REGISTRATION_ACTIONS } from '../perms';
import { acknowledgeWildcardActions, acknowledgeWildcardResources } from './nag';

/** Product locations per customer-managed policy of a registration role, far below IAM's 6,144-character limit. */
export const LOCATIONS_PER_REGISTRATION_POLICY = 16;


export interface RegistrationRoleProps {
  readonly meshName: string;
  /** The producing domain whose locations the role serves. */
  readonly domainName: string;
  /** Account of the domain's storage and key. */
  readonly producerAccount: string;
}

const REGISTRY = new WeakMap<IConstruct, Map<string, RegistrationRole>>();

/**
 * The role Lake Formation assumes to vend credentials for the registered locations of one producing domain
 * (`<mesh>-<domain>-lf-reg`, in the catalog account). It lists exactly the domain's product locations and is
 * limited to the domain's key, so that it reaches no other bucket or key of the mesh (audit trail included).
 * Lake Formation's needs for a user-defined registration role:
 * https://docs.aws.amazon.com/lake-formation/latest/dg/registration-role.html
 *
 * One per domain and catalog account: the first catalog of a domain creates it, later ones (in other stacks of
 * the same account) use it by name and depend on its stack.
 */
export class RegistrationRole extends Construct {
  /**
   * The registration role of a domain for catalogs in `scope`'s account, created in `owner` (default: `scope`'s
   * stack) on first use. A stack other than the owner's gets a dependency on the owner's stack.
   */
  public static of(scope: IConstruct, props: RegistrationRoleProps, owner?: Construct): RegistrationRole {
    const stack = Stack.of(scope);
    const key = `${stack.account}/${props.meshName}/${props.domainName}`;
    const registry = REGISTRY.get(scope.node.root) ?? new Map<string, RegistrationRole>();
    REGISTRY.set(scope.node.root, registry);
    const existing = registry.get(key);
    if (existing) {
      const ownerStack = Stack.of(existing);
      if (ownerStack !== stack) stack.addDependency(ownerStack);
      return existing;
    }
    const created = new RegistrationRole(owner ?? stack, `LfRegistration-${props.domainName}`, props);
    registry.set(key, created);
    if (Stack.of(created) !== stack) stack.addDependency(Stack.of(created));
    return created;
  }

  public readonly role: iam.Role;
  /** Deterministic ARN: producers' bucket and key policies trust it by name. */
  public readonly roleArn: string;
  private readonly props: RegistrationRoleProps;
  private readonly policies: { policy: iam.ManagedPolicy; objects: iam.PolicyStatement; buckets: iam.PolicyStatement; count: number }[] = [];
  private readonly locations = new Set<string>();

  private constructor(scope: Construct, id: string, props: RegistrationRoleProps) {
    super(scope, id);
    this.props = props;
    const stack = Stack.of(this);
    const name = registrationRoleName(props.meshName, props.domainName);
    this.roleArn = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: name });
    this.role = new iam.Role(this, 'Role', {
      roleName: name,
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      description: `Lake Formation reads and writes the registered product locations of domain ${props.domainName} (${props.meshName})`,
    });
    const keys = `arn:${Aws.PARTITION}:kms:*:${props.producerAccount}:key/*`;
    const keyPolicy = new iam.ManagedPolicy(this, 'KeyPolicy', {
      description: `Use of the ${props.domainName} domain key by Lake Formation`,
      roles: [this.role],
      statements: [new iam.PolicyStatement({
        sid: 'DomainKey',
        actions: [...KMS_DECRYPT_ACTIONS, ...KMS_ENCRYPT_ACTIONS],
        resources: [keys],
        // The key's ID is generated in the producer account: it is named by its alias.
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': domainKeyAlias(props.meshName, props.domainName) } },
      })],
    });
    acknowledgeWildcardResources(keyPolicy, [keys],
      `The ${props.domainName} domain key's ID is generated in account ${props.producerAccount}; the statement is limited to the key with alias ${domainKeyAlias(props.meshName, props.domainName)}, whose key policy admits this role by name.`);
    acknowledgeWildcardActions(keyPolicy, [...KMS_ENCRYPT_ACTIONS],
      'S3 SSE-KMS writes through Lake Formation need the GenerateDataKey and ReEncrypt variants; limited to the domain key.');
  }

  /** Lets Lake Formation read and write `s3://bucket[/prefix]`. Idempotent. */
  public addLocation(bucketName: string, prefix?: string): void {
    const where = prefix ? `${bucketName}/${prefix}` : bucketName;
    if (this.locations.has(where)) return;
    this.locations.add(where);
    let current = this.policies[this.policies.length - 1];
    if (!current || current.count >= LOCATIONS_PER_REGISTRATION_POLICY) {
      const n = this.policies.length + 1;
      const objects = new iam.PolicyStatement({ sid: 'ProductObjects', actions: S3_REGISTRATION_ACTIONS.filter((a) => !S3_BUCKET_LEVEL_ACTIONS.includes(a)) });
      const buckets = new iam.PolicyStatement({ sid: 'ProductBuckets', actions: [...S3_BUCKET_LEVEL_ACTIONS] });
      const policy = new iam.ManagedPolicy(this, n === 1 ? 'LocationsPolicy' : `LocationsPolicy${n}`, {
        description: `Product locations of domain ${this.props.domainName} that Lake Formation vends credentials for (part ${n})`,
        roles: [this.role],
        statements: [objects, buckets],
      });
      current = { policy, objects, buckets, count: 0 };
      this.policies.push(current);
    }
    current.count++;
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
    const objectsArn = prefix ? `${bucketArn}/${prefix}/*` : `${bucketArn}/*`;
    current.objects.addResources(objectsArn);
    if (!current.buckets.resources.includes(bucketArn)) current.buckets.addResources(bucketArn);
    acknowledgeWildcardResources(current.policy, [objectsArn],
      `Lake Formation reads and writes objects under generated names in the registered location s3://${where}; limited to that location.`);
  }
}
