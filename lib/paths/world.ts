import {
  CloudAssemblyStack, TemplateResource, UNKNOWN_ACCOUNT, UNKNOWN_REGION, asString, partitionOfRegion, readCloudAssembly, resolve,
} from '../assembly';
import { AccessMatrix, CatalogModel, evaluate, modelFromTemplates, stackTemplate } from '../access';
import type { PolicyStatement, SourcedPolicy } from './iam';

/**
 * What the runtime paths need from a cloud assembly: roles with their trust and identity policies, keys with their
 * key policies and aliases, buckets with their policies and keys, topics, the trail, alarms, workgroups, Lake
 * Formation registrations, data quality rulesets and schedules, and the catalog model with its effective access
 * (lib/access). Intrinsics are resolved with lib/assembly's resolver in each stack's environment; names chosen at
 * deploy time (key IDs, unnamed roles, log groups, topics) become `⟦<stack>/<logicalId>⟧` tokens, so that the same
 * resource always gets the same ARN and wildcard matches on them can be judged (see iam.ts `globMatch`).
 */
export interface World {
  readonly stacks: readonly StackRef[];
  readonly roles: readonly RoleInfo[];
  readonly keys: readonly KeyInfo[];
  readonly buckets: readonly BucketInfo[];
  readonly topics: readonly TopicInfo[];
  readonly trails: readonly TrailInfo[];
  readonly logGroups: readonly LogGroupInfo[];
  readonly alarms: readonly AlarmInfo[];
  readonly workgroups: readonly WorkgroupInfo[];
  readonly registrations: readonly RegistrationInfo[];
  readonly rulesets: readonly RulesetInfo[];
  readonly schedules: readonly ScheduleInfo[];
  /** Account → ARN of the key that encrypts the account's Glue Data Catalog (SSE-KMS). */
  readonly catalogKeys: Readonly<Record<string, string>>;
  readonly catalog: CatalogModel;
  readonly access: AccessMatrix;
}

export interface StackRef {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export interface Located {
  /** Stack ID (artifact ID in the manifest). */
  readonly stack: string;
  readonly logicalId: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

export interface RoleInfo extends Located {
  readonly arn: string;
  readonly name: string;
  readonly trust: SourcedPolicy;
  /** Inline policies, AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached to the role. */
  readonly policies: readonly SourcedPolicy[];
  /** Attached managed policies whose document the assembly does not hold (AWS managed policies...). */
  readonly unknownPolicies: readonly string[];
}

export interface KeyInfo extends Located {
  readonly arn: string;
  readonly policy: SourcedPolicy;
  /** Alias names (`alias/...`) pointing at the key. */
  readonly aliases: readonly string[];
}

export interface BucketInfo extends Located {
  readonly name: string;
  readonly arn: string;
  readonly policy?: SourcedPolicy;
  /** Default SSE-KMS key of the bucket. */
  readonly kmsKeyArn?: string;
  readonly bucketKeyEnabled: boolean;
}

export interface TopicInfo extends Located {
  readonly arn: string;
  readonly policy?: SourcedPolicy;
  readonly kmsKey?: string;
}

export interface TrailInfo extends Located {
  readonly arn: string;
  readonly name: string;
  readonly bucketName: string;
  readonly kmsKey?: string;
  readonly logGroupArn?: string;
  readonly logsRoleArn?: string;
}

export interface LogGroupInfo extends Located {
  /** `arn:...:log-group:<name>` (without `:*`). */
  readonly arn: string;
  readonly kmsKey?: string;
}

export interface AlarmInfo extends Located {
  readonly arn: string;
  readonly actions: readonly string[];
}

export interface WorkgroupInfo extends Located {
  readonly name: string;
  readonly outputLocation?: string;
  readonly encryptionOption?: string;
  readonly kmsKey?: string;
}

export interface RegistrationInfo extends Located {
  readonly resourceArn: string;
  readonly roleArn?: string;
  readonly useServiceLinkedRole: boolean;
}

export interface RulesetInfo extends Located {
  readonly name: string;
  readonly arn: string;
  readonly database?: string;
  readonly table?: string;
}

export interface ScheduleInfo extends Located {
  readonly roleArn: string;
  readonly targetArn: string;
  /** Parsed `Target.Input`, when it is JSON. */
  readonly input?: Record<string, unknown>;
}

/** `⟦<stack>/<logicalId>⟧`: a name chosen at deploy time. */
export function generatedToken(stack: string, logicalId: string): string {
  return `⟦${stack}/${logicalId}⟧`;
}

type Props = Record<string, unknown>;

/** Reads a cloud assembly directory (nested assemblies included). */
export function readWorld(dir: string): World {
  return worldFromStacks(readCloudAssembly(dir));
}

export function worldFromStacks(input: readonly CloudAssemblyStack[]): World {
  const catalog = modelFromTemplates(input.map(stackTemplate));
  const w = {
    stacks: [] as StackRef[], roles: [] as RoleInfo[], keys: [] as KeyInfo[], buckets: [] as BucketInfo[], topics: [] as TopicInfo[],
    trails: [] as TrailInfo[], logGroups: [] as LogGroupInfo[], alarms: [] as AlarmInfo[], workgroups: [] as WorkgroupInfo[],
    registrations: [] as RegistrationInfo[], rulesets: [] as RulesetInfo[], schedules: [] as ScheduleInfo[], catalogKeys: {} as Record<string, string>,
  };
  for (const s of input) readStack(s, w);
  return { ...w, catalog, access: evaluate(catalog) };
}

function readStack(s: CloudAssemblyStack, w: {
  stacks: StackRef[]; roles: RoleInfo[]; keys: KeyInfo[]; buckets: BucketInfo[]; topics: TopicInfo[]; trails: TrailInfo[];
  logGroups: LogGroupInfo[]; alarms: AlarmInfo[]; workgroups: WorkgroupInfo[]; registrations: RegistrationInfo[];
  rulesets: RulesetInfo[]; schedules: ScheduleInfo[]; catalogKeys: Record<string, string>;
}): void {
  const account = s.account ?? UNKNOWN_ACCOUNT;
  const region = s.region ?? UNKNOWN_REGION;
  const partition = partitionOfRegion(region);
  w.stacks.push({ id: s.id, account, region, partition });
  const raw = s.template.Resources ?? {};
  const literals = generatedLiterals(s.id, raw, account, region, partition);
  // Roles and buckets without a physical name get a token name, so that lib/assembly resolves their Ref and Arn.
  const resources: Record<string, TemplateResource> = {};
  for (const [id, r] of Object.entries(raw)) {
    const p = { ...(r.Properties ?? {}) };
    if (r.Type === 'AWS::IAM::Role' && p.RoleName === undefined) p.RoleName = generatedToken(s.id, id);
    if (r.Type === 'AWS::S3::Bucket' && p.BucketName === undefined) p.BucketName = generatedToken(s.id, id);
    resources[id] = { Type: r.Type, Properties: p };
  }
  const ctx = { account, region, partition, stackName: s.stackName ?? s.artifactId, resources, parameters: s.template.Parameters };
  const props = (id: string): Props => (resolve(substitute(resources[id].Properties ?? {}, literals), ctx, { unresolvable: 'opaque' }) ?? {}) as Props;
  const loc = (logicalId: string): Located => ({ stack: s.id, logicalId, account, region, partition });
  const where = (logicalId: string) => `${s.id}/${logicalId}`;

  const ids = Object.keys(resources).sort();
  const policiesByRole = new Map<string, SourcedPolicy[]>();
  const managedByArn = new Map<string, SourcedPolicy>();
  const attach = (roleName: string, policy: SourcedPolicy) => policiesByRole.set(roleName, [...(policiesByRole.get(roleName) ?? []), policy]);
  const aliases = new Map<string, string[]>();
  const bucketPolicies = new Map<string, SourcedPolicy>();
  const topicPolicies = new Map<string, SourcedPolicy>();

  for (const id of ids) {
    const type = resources[id].Type;
    if (type === 'AWS::IAM::ManagedPolicy' || type === 'AWS::IAM::Policy') {
      const p = props(id);
      const label = `${type === 'AWS::IAM::ManagedPolicy' ? 'managed policy' : 'policy'} ${where(id)}`;
      const policy: SourcedPolicy = { label, statements: statementsOf(p.PolicyDocument) };
      for (const role of asArray(p.Roles)) attach(asString(role), policy);
      if (type === 'AWS::IAM::ManagedPolicy') managedByArn.set(asString(literals.get(`Ref:${id}`) ?? ''), policy);
    } else if (type === 'AWS::KMS::Alias') {
      const p = props(id);
      const target = asString(p.TargetKeyId);
      aliases.set(target, [...(aliases.get(target) ?? []), asString(p.AliasName)]);
    } else if (type === 'AWS::S3::BucketPolicy') {
      const p = props(id);
      bucketPolicies.set(asString(p.Bucket), { label: `bucket policy ${where(id)}`, statements: statementsOf(p.PolicyDocument) });
    } else if (type === 'AWS::SNS::TopicPolicy') {
      const p = props(id);
      for (const t of asArray(p.Topics)) topicPolicies.set(asString(t), { label: `topic policy ${where(id)}`, statements: statementsOf(p.PolicyDocument) });
    }
  }

  for (const id of ids) {
    const type = resources[id].Type;
    switch (type) {
      case 'AWS::IAM::Role': {
        const p = props(id);
        const name = asString(p.RoleName);
        const path = p.Path === undefined ? '/' : asString(p.Path);
        const arn = `arn:${partition}:iam::${account}:role${path.startsWith('/') ? path : `/${path}`}${path.endsWith('/') ? '' : '/'}${name}`;
        const inline = asArray(p.Policies).map((x, i) => {
          const ip = x as Props;
          return { label: `inline policy ${asString(ip.PolicyName ?? i)} of role ${where(id)}`, statements: statementsOf(ip.PolicyDocument) };
        });
        const unknownPolicies: string[] = [];
        const managed: SourcedPolicy[] = [];
        for (const m of asArray(p.ManagedPolicyArns)) {
          const known = managedByArn.get(asString(m));
          if (known) managed.push(known);
          else unknownPolicies.push(asString(m));
        }
        w.roles.push({
          ...loc(id), arn, name,
          trust: { label: `trust policy of role ${where(id)}`, statements: statementsOf(p.AssumeRolePolicyDocument) },
          policies: [...inline, ...managed, ...(policiesByRole.get(name) ?? [])],
          unknownPolicies,
        });
        break;
      }
      case 'AWS::KMS::Key': {
        const p = props(id);
        const arn = asString(literals.get(`GetAtt:${id}.Arn`));
        const keyId = asString(literals.get(`Ref:${id}`));
        w.keys.push({
          ...loc(id), arn,
          policy: { label: `key policy of ${where(id)}`, statements: statementsOf(p.KeyPolicy) },
          aliases: [...(aliases.get(arn) ?? []), ...(aliases.get(keyId) ?? [])].sort(),
        });
        break;
      }
      case 'AWS::S3::Bucket': {
        const p = props(id);
        const name = asString(p.BucketName);
        const rule = asArray(((p.BucketEncryption as Props | undefined)?.ServerSideEncryptionConfiguration))[0] as Props | undefined;
        const byDefault = rule?.ServerSideEncryptionByDefault as Props | undefined;
        const kms = byDefault?.SSEAlgorithm === 'aws:kms' && byDefault.KMSMasterKeyID !== undefined ? asString(byDefault.KMSMasterKeyID) : undefined;
        const policy = bucketPolicies.get(name);
        w.buckets.push({
          ...loc(id), name, arn: `arn:${partition}:s3:::${name}`, ...(policy ? { policy } : {}), ...(kms ? { kmsKeyArn: kms } : {}),
          bucketKeyEnabled: rule?.BucketKeyEnabled === true,
        });
        break;
      }
      case 'AWS::SNS::Topic': {
        const p = props(id);
        const arn = asString(literals.get(`Ref:${id}`));
        const policy = topicPolicies.get(arn);
        w.topics.push({ ...loc(id), arn, ...(policy ? { policy } : {}), ...(p.KmsMasterKeyId !== undefined ? { kmsKey: asString(p.KmsMasterKeyId) } : {}) });
        break;
      }
      case 'AWS::CloudTrail::Trail': {
        const p = props(id);
        w.trails.push({
          ...loc(id), arn: asString(literals.get(`GetAtt:${id}.Arn`)), name: asString(literals.get(`Ref:${id}`)), bucketName: asString(p.S3BucketName),
          ...(p.KMSKeyId !== undefined ? { kmsKey: asString(p.KMSKeyId) } : {}),
          ...(p.CloudWatchLogsLogGroupArn !== undefined ? { logGroupArn: asString(p.CloudWatchLogsLogGroupArn) } : {}),
          ...(p.CloudWatchLogsRoleArn !== undefined ? { logsRoleArn: asString(p.CloudWatchLogsRoleArn) } : {}),
        });
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const p = props(id);
        w.logGroups.push({ ...loc(id), arn: asString(literals.get(`GetAtt:${id}.Arn`)).replace(/:\*$/, ''), ...(p.KmsKeyId !== undefined ? { kmsKey: asString(p.KmsKeyId) } : {}) });
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const p = props(id);
        w.alarms.push({ ...loc(id), arn: asString(literals.get(`GetAtt:${id}.Arn`)), actions: [...asArray(p.AlarmActions), ...asArray(p.OKActions)].map(asString) });
        break;
      }
      case 'AWS::Athena::WorkGroup': {
        const p = props(id);
        const result = ((p.WorkGroupConfiguration as Props | undefined)?.ResultConfiguration ?? {}) as Props;
        const enc = (result.EncryptionConfiguration ?? {}) as Props;
        w.workgroups.push({
          ...loc(id), name: asString(p.Name),
          ...(result.OutputLocation !== undefined ? { outputLocation: asString(result.OutputLocation) } : {}),
          ...(enc.EncryptionOption !== undefined ? { encryptionOption: asString(enc.EncryptionOption) } : {}),
          ...(enc.KmsKey !== undefined ? { kmsKey: asString(enc.KmsKey) } : {}),
        });
        break;
      }
      case 'AWS::LakeFormation::Resource': {
        const p = props(id);
        w.registrations.push({
          ...loc(id), resourceArn: asString(p.ResourceArn), ...(p.RoleArn !== undefined ? { roleArn: asString(p.RoleArn) } : {}),
          useServiceLinkedRole: p.UseServiceLinkedRole === true || p.UseServiceLinkedRole === 'true',
        });
        break;
      }
      case 'AWS::Glue::DataQualityRuleset': {
        const p = props(id);
        const target = (p.TargetTable ?? {}) as Props;
        const name = asString(p.Name);
        w.rulesets.push({
          ...loc(id), name, arn: `arn:${partition}:glue:${region}:${account}:dataQualityRuleset/${name}`,
          ...(target.DatabaseName !== undefined ? { database: asString(target.DatabaseName) } : {}),
          ...(target.TableName !== undefined ? { table: asString(target.TableName) } : {}),
        });
        break;
      }
      case 'AWS::Scheduler::Schedule': {
        const p = props(id);
        const target = (p.Target ?? {}) as Props;
        let input: Record<string, unknown> | undefined;
        try {
          const parsed = JSON.parse(asString(target.Input));
          if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) input = parsed as Record<string, unknown>;
        } catch {
          input = undefined;
        }
        w.schedules.push({ ...loc(id), roleArn: asString(target.RoleArn), targetArn: asString(target.Arn), ...(input ? { input } : {}) });
        break;
      }
      case 'AWS::Glue::DataCatalogEncryptionSettings': {
        const p = props(id);
        const atRest = ((p.DataCatalogEncryptionSettings as Props | undefined)?.EncryptionAtRest ?? {}) as Props;
        if (atRest.CatalogEncryptionMode === 'SSE-KMS' && atRest.SseAwsKmsKeyId !== undefined) {
          w.catalogKeys[asString(p.CatalogId ?? account)] = asString(atRest.SseAwsKmsKeyId);
        }
        break;
      }
      default:
        break;
    }
  }
}

/** Literal values of `Ref`/`Fn::GetAtt` for resources whose identifiers lib/assembly leaves unresolved. */
function generatedLiterals(stack: string, resources: Readonly<Record<string, TemplateResource>>, account: string, region: string,
  partition: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    const token = generatedToken(stack, id);
    const named = (prop: string) => (typeof p[prop] === 'string' ? p[prop] as string : token);
    switch (r.Type) {
      case 'AWS::KMS::Key': {
        const arn = `arn:${partition}:kms:${region}:${account}:key/${token}`;
        out.set(`Ref:${id}`, token).set(`GetAtt:${id}.Arn`, arn).set(`GetAtt:${id}.KeyId`, token);
        break;
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName');
        const arn = `arn:${partition}:sns:${region}:${account}:${name}`;
        out.set(`Ref:${id}`, arn).set(`GetAtt:${id}.TopicArn`, arn).set(`GetAtt:${id}.TopicName`, name);
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName');
        out.set(`Ref:${id}`, name).set(`GetAtt:${id}.Arn`, `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`);
        break;
      }
      case 'AWS::CloudTrail::Trail': {
        const name = named('TrailName');
        out.set(`Ref:${id}`, name).set(`GetAtt:${id}.Arn`, `arn:${partition}:cloudtrail:${region}:${account}:trail/${name}`);
        break;
      }
      case 'AWS::CloudWatch::Alarm': {
        const name = named('AlarmName');
        out.set(`Ref:${id}`, name).set(`GetAtt:${id}.Arn`, `arn:${partition}:cloudwatch:${region}:${account}:alarm:${name}`);
        break;
      }
      case 'AWS::IAM::ManagedPolicy': {
        const name = named('ManagedPolicyName');
        out.set(`Ref:${id}`, `arn:${partition}:iam::${account}:policy/${name}`).set(`GetAtt:${id}.PolicyArn`, `arn:${partition}:iam::${account}:policy/${name}`);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** Replaces `Ref`/`Fn::GetAtt` (also inside `Fn::Sub` templates) of resources in `literals` with their literal value. */
function substitute(value: unknown, literals: ReadonlyMap<string, string>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, literals));
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys;
    const arg = o[k];
    if (k === 'Ref' && typeof arg === 'string' && literals.has(`Ref:${arg}`)) return literals.get(`Ref:${arg}`);
    if (k === 'Fn::GetAtt') {
      const [id, attr] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)]
        : Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string' ? [arg[0], arg[1]] : [undefined, undefined];
      if (id !== undefined && literals.has(`GetAtt:${id}.${attr}`)) return literals.get(`GetAtt:${id}.${attr}`);
    }
    if (k === 'Fn::Sub') {
      const subOne = (template: unknown) => (typeof template !== 'string' ? template : template.replace(/\$\{([^}!][^}]*)\}/g, (whole, inner: string) => {
        const name = inner.trim();
        const dot = name.indexOf('.');
        const key = dot > 0 ? `GetAtt:${name}` : `Ref:${name}`;
        return literals.get(key) ?? whole;
      }));
      if (typeof arg === 'string') return { 'Fn::Sub': subOne(arg) };
      if (Array.isArray(arg)) return { 'Fn::Sub': [subOne(arg[0]), substitute(arg[1], literals)] };
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = substitute(o[k], literals);
  return out;
}

function statementsOf(document: unknown): PolicyStatement[] {
  const st = (document as Props | undefined)?.Statement;
  return asArray(st).filter((x): x is PolicyStatement => x !== null && typeof x === 'object');
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}
