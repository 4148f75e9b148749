import { ArnFormat, CustomResource, DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_CROSS_ACCOUNT_VERSION, SUPPORTED_CROSS_ACCOUNT_VERSIONS } from '../lib/defaults';
import { DataMeshValidationError, ProblemCollector } from '../lib/errors';
import { validateMeshName } from '../lib/naming';
import { GLUE_DEFAULT_DATABASE_ACTIONS, IAM_PRINCIPAL_LOOKUP_ACTIONS, LF_ADMINS_RECORD_ACTIONS, LF_SETTINGS_ACTIONS, LF_TAG_ACTIONS } from '../lib/perms';
import { HandlerFunction } from '../lib/private/handler-function';
import { acknowledgeWildcardResources } from '../lib/private/nag';

export interface LakeFormationSettingsProps {
  /**
   * Name of the mesh these settings serve. It names the administration function (`<mesh>-lakeformation-admin`),
   * its role (`<mesh>-lf-admin-<region>`) and the record of the admins it added
   * (`/cdk-data-mesh/<mesh>/<region>/lakeformation-admins-added`), so that two meshes can share an account.
   * @default - the function is named `cdk-data-mesh-lakeformation-admin`, its role `cdk-data-mesh-lf-admin-<region>`
   *   and the record `/cdk-data-mesh/_default/<region>/lakeformation-admins-added`: one per account and region
   */
  readonly meshName?: string;
  /**
   * Roles to make data lake administrators in addition to the CDK CloudFormation execution role.
   * @default - none
   */
  readonly admins?: readonly iam.IRole[];
  /**
   * Make the CDK CloudFormation execution role of this stack's synthesizer a data lake administrator, so
   * that CloudFormation can create Glue and Lake Formation resources. Turn off only when deploying with a
   * role that is already an administrator.
   * @default true
   */
  readonly includeCdkExecutionRole?: boolean;
  /**
   * Lake Formation cross-account version (`CROSS_ACCOUNT_VERSION`). 3 or higher grants directly to IAM
   * roles of other accounts.
   * @default DEFAULT_CROSS_ACCOUNT_VERSION (4)
   */
  readonly crossAccountVersion?: number;
  /**
   * What happens to the settings when the resource leaves the stack. RETAIN keeps the administrators and the
   * empty default permissions in place; DESTROY removes the administrators this construct added.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Name of the Lake Formation administration function when no mesh name is given. */
export const LAKE_FORMATION_ADMIN_FUNCTION_NAME = 'cdk-data-mesh-lakeformation-admin';

/** Name of the Lake Formation administration function of a mesh (≤ 20 + 21 characters, within Lambda's 64). */
export function lakeFormationAdminFunctionName(meshName?: string): string {
  return meshName === undefined ? LAKE_FORMATION_ADMIN_FUNCTION_NAME : `${meshName}-lakeformation-admin`;
}

/**
 * Stable name of the administration function's role: after a teardown and redeploy the admin entry names the
 * same ARN again, instead of a deleted CloudFormation-named role that breaks every later settings write
 * (aws-cdk issue #19492). At most 20 + 10 + 14 characters, within IAM's 64.
 */
function adminRoleName(meshName: string | undefined, region: string): string {
  return `${meshName ?? 'cdk-data-mesh'}-lf-admin-${region}`;
}

/** SSM parameter in which the administration function records the admins it added itself. */
export function adminsRecordParameterName(meshName: string | undefined, region: string): string {
  // `_default` cannot collide with a mesh name, which starts with a letter.
  return `/cdk-data-mesh/${meshName ?? '_default'}/${region}/lakeformation-admins-added`;
}

const REGISTRY = new WeakMap<IConstruct, Map<string, LakeFormationSettings>>();

/**
 * The Lake Formation settings of one account and region: a singleton.
 *
 * A custom resource merges (read-modify-write) rather than replaces the settings: it adds the CDK
 * execution role and the given admins without removing administrators it did not add, removes admins it
 * added when they leave the list (a deleted admin role left in the list breaks later deploys), sets both
 * default-permission lists to `[]` (so new databases and tables do not inherit `IAM_ALLOWED_PRINCIPALS`)
 * and writes `CROSS_ACCOUNT_VERSION`.
 *
 * Everything that creates Glue or Lake Formation resources in the account must depend on it; the
 * constructs of this library find it with {@link LakeFormationSettings.of}.
 *
 * Admin handling:
 * - The admin set is fixed at deploy time: the function receives it in its environment and refuses requests
 *   that ask for other admins, so being able to invoke the function does not make anyone an admin.
 * - The function records in an SSM parameter the admins it added itself (principals that were not admins
 *   before). Only those are ever removed: when they leave the list, when their role or user no longer exists,
 *   or on delete with `RemovalPolicy.DESTROY`. An admin that existed before (for example the CDK execution role
 *   made admin by hand) is never removed.
 * - After every write the settings are read back; a missing admin fails the deployment with its ARN.
 */
export class LakeFormationSettings extends Construct {
  /** The settings registered for the account and region of `scope`'s stack, if any. */
  public static of(scope: IConstruct): LakeFormationSettings | undefined {
    const stack = Stack.of(scope);
    return REGISTRY.get(scope.node.root)?.get(envKey(stack));
  }

  /** Like {@link of}, but fails with an explanation when there is none. */
  public static require(scope: IConstruct, who: string): LakeFormationSettings {
    const found = LakeFormationSettings.of(scope);
    if (!found) {
      const stack = Stack.of(scope);
      throw new DataMeshValidationError(scope.node.path, [
        `\`lakeFormationSettings\` must exist for account ${stack.account} and region ${stack.region} before ${who} is created, got: nothing. ` +
        'Create `new LakeFormationSettings(...)` in a stack of that account and region first, or pass `lakeFormationSettings`.',
      ]);
    }
    return found;
  }

  /** The administrator ARNs this construct maintains. */
  public readonly adminArns: readonly string[];
  public readonly crossAccountVersion: number;
  /**
   * ARN of the account's Lake Formation administration function (deterministic), the service token of
   * `Custom::LfTag` resources in any stack of the same account and region.
   */
  public readonly adminFunctionArn: string;
  /** The custom resource; depend on it (or on this construct) before creating Glue or Lake Formation resources. */
  public readonly resource: CustomResource;
  /** `ServiceTimeout` for custom resources served by the administration function (such as `Custom::LfTag`). */
  public readonly adminServiceTimeout: Duration;

  constructor(scope: Construct, id: string, props: LakeFormationSettingsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const c = new ProblemCollector();

    this.crossAccountVersion = props.crossAccountVersion ?? DEFAULT_CROSS_ACCOUNT_VERSION;
    if (!SUPPORTED_CROSS_ACCOUNT_VERSIONS.includes(this.crossAccountVersion)) {
      c.add('crossAccountVersion', `must be one of ${SUPPORTED_CROSS_ACCOUNT_VERSIONS.join(', ')}`, props.crossAccountVersion,
        'Use 4 (the default) unless your organization requires another version.');
    }
    if (props.meshName !== undefined) validateMeshName(c, 'meshName', props.meshName);
    if (props.removalPolicy !== undefined && props.removalPolicy !== RemovalPolicy.RETAIN && props.removalPolicy !== RemovalPolicy.DESTROY) {
      c.add('removalPolicy', 'must be RETAIN or DESTROY', props.removalPolicy, 'Use RemovalPolicy.RETAIN (default) or RemovalPolicy.DESTROY.');
    }

    const admins: string[] = [];
    if (props.includeCdkExecutionRole ?? true) {
      const synth = stack.synthesizer;
      if (synth instanceof DefaultStackSynthesizer) {
        // The synthesizer's ARN carries ${AWS::Partition} (and ${AWS::AccountId}/${AWS::Region} in
        // environment-agnostic stacks) placeholders: only Fn::Sub turns them into the real ARN.
        admins.push(Fn.sub(synth.cloudFormationExecutionRoleArn));
      } else {
        c.add('includeCdkExecutionRole', 'needs a stack using DefaultStackSynthesizer to find the CloudFormation execution role',
          synth.constructor.name, 'Set includeCdkExecutionRole: false and pass the deploying role in `admins`.');
      }
    }
    for (const role of props.admins ?? []) admins.push(role.roleArn);
    if (admins.length === 0) {
      c.add('admins', 'must name at least one administrator', [], 'Keep includeCdkExecutionRole on or pass admin roles.');
    }
    this.adminArns = admins;

    const key = envKey(stack);
    const registry = REGISTRY.get(this.node.root) ?? new Map<string, LakeFormationSettings>();
    const existing = registry.get(key);
    if (existing) {
      c.add('LakeFormationSettings', `must be the only one for account ${stack.account} and region ${stack.region} (one already exists at ${existing.node.path})`,
        this.node.path, 'Remove one of them; every stack of that account and region shares the single settings resource.');
    }
    c.throwIfAny(this);
    registry.set(key, this);
    REGISTRY.set(this.node.root, registry);

    const functionName = lakeFormationAdminFunctionName(props.meshName);
    const recordParameter = adminsRecordParameterName(props.meshName, stack.region);
    const recordParameterArn = stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: recordParameter.slice(1) });
    const principalArns = ['role', 'user'].map((kind) => stack.formatArn({ service: 'iam', region: '', resource: kind, resourceName: '*' }));
    const handler = new HandlerFunction(this, 'Handler', {
      handler: 'lake-formation-admin',
      functionName,
      roleName: adminRoleName(props.meshName, stack.region),
      description: 'cdk-data-mesh Lake Formation administration: merges data lake settings and maintains LF-tags with many values',
      statements: [
        new iam.PolicyStatement({ actions: [...LF_SETTINGS_ACTIONS, ...LF_TAG_ACTIONS], resources: ['*'] }),
        new iam.PolicyStatement({ actions: [...LF_ADMINS_RECORD_ACTIONS], resources: [recordParameterArn] }),
        // The handler creates the catalog's `default` database when it is missing (Athena needs DESCRIBE on it).
        new iam.PolicyStatement({
          actions: [...GLUE_DEFAULT_DATABASE_ACTIONS],
          resources: [stack.formatArn({ service: 'glue', resource: 'catalog' }), stack.formatArn({ service: 'glue', resource: 'database', resourceName: 'default' })],
        }),
        new iam.PolicyStatement({ actions: [...IAM_PRINCIPAL_LOOKUP_ACTIONS], resources: principalArns }),
      ],
      wildcardResourceReason: 'Lake Formation settings and LF-tag APIs (Get/PutDataLakeSettings, Get/Create/Update/DeleteLFTag) support no resource-level permissions.',
    });
    acknowledgeWildcardResources(handler.policy, principalArns,
      'iam:GetRole/GetUser (read-only) checks whether a data lake admin the function recorded as added still exists; recorded admins can be any role or user of this account, so the names are not known at synth time.');
    // The function's own role must be a data lake administrator to create LF-tags.
    admins.push(handler.role.roleArn);
    // The admin set is fixed here, at deploy time; the handler refuses requests that ask for other admins.
    handler.function.addEnvironment('ADMIN_ARNS', stack.toJsonString(admins));
    handler.function.addEnvironment('ADMINS_RECORD_PARAMETER', recordParameter);
    handler.function.addEnvironment('HANDLER_ROLE_ARN', handler.role.roleArn);
    this.adminFunctionArn = stack.formatArn({
      service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.adminServiceTimeout = handler.serviceTimeout;

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.function.functionArn,
      resourceType: 'Custom::LakeFormationSettings',
      serviceTimeout: handler.serviceTimeout,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      properties: {
        CatalogId: stack.account,
        Admins: admins,
        CrossAccountVersion: String(this.crossAccountVersion),
      },
    });
  }
}

function envKey(stack: Stack): string {
  // Environment-agnostic stacks share the same unresolved tokens, so they collide as they should.
  const account = Token.isUnresolved(stack.account) ? '<any account>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<any region>' : stack.region;
  return `${account}/${region}`;
}
