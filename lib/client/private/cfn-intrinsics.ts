/** A value that is only known at deploy time (an attribute of a resource without a physical name...). */
export class UnresolvableError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'UnresolvableError';
  }
}

export interface IntrinsicContext {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  /** The template's `Resources` (to resolve `Ref`/`Fn::GetAtt` of resources with fixed physical names). */
  readonly resources: Readonly<Record<string, { Type?: string; Properties?: Record<string, unknown> }>>;
  /** The template's `Parameters` (their `Default` is used). */
  readonly parameters: Readonly<Record<string, { Default?: unknown }>>;
}

/**
 * Resolves the CloudFormation intrinsics the toolkit's Lake Formation resources use: `Ref` (pseudo parameters,
 * template parameters with a default, resources with a fixed physical name), `Fn::Join`, `Fn::Sub`,
 * `Fn::Select`, `Fn::Split` and `Fn::GetAtt` of an `Arn` of a named role or bucket. Anything else throws
 * {@link UnresolvableError}.
 */
export function resolveIntrinsics(value: unknown, ctx: IntrinsicContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, ctx));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return resolveFunction(keys[0], obj[keys[0]], ctx);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = resolveIntrinsics(obj[k], ctx);
  return out;
}

function resolveFunction(name: string, arg: unknown, ctx: IntrinsicContext): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(String(arg), ctx);
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new UnresolvableError(`malformed Fn::Join ${JSON.stringify(arg)}`);
      const parts = resolveIntrinsics(arg[1], ctx);
      if (!Array.isArray(parts)) throw new UnresolvableError(`Fn::Join of a non-list ${JSON.stringify(arg[1])}`);
      return parts.map((p) => asString(p, 'Fn::Join part')).join(asString(arg[0], 'Fn::Join delimiter'));
    }
    case 'Fn::Sub': {
      const [template, vars] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
      const resolvedVars = resolveIntrinsics(vars, ctx) as Record<string, unknown>;
      return asString(template, 'Fn::Sub template').replace(/\$\{([^}]*)\}/g, (whole, ref: string) => {
        if (ref.startsWith('!')) return `\${${ref.slice(1)}}`;
        if (ref in resolvedVars) return asString(resolvedVars[ref], `Fn::Sub variable ${ref}`);
        const dot = ref.indexOf('.');
        if (dot > 0 && !ref.startsWith('AWS::')) return asString(resolveGetAtt(ref.slice(0, dot), ref.slice(dot + 1), ctx), whole);
        return asString(resolveRef(ref, ctx), whole);
      });
    }
    case 'Fn::Select': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new UnresolvableError(`malformed Fn::Select ${JSON.stringify(arg)}`);
      const index = Number(resolveIntrinsics(arg[0], ctx));
      const list = resolveIntrinsics(arg[1], ctx);
      if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
        throw new UnresolvableError(`Fn::Select ${JSON.stringify(arg)}`);
      }
      return list[index];
    }
    case 'Fn::Split': {
      if (!Array.isArray(arg) || arg.length !== 2) throw new UnresolvableError(`malformed Fn::Split ${JSON.stringify(arg)}`);
      return asString(resolveIntrinsics(arg[1], ctx), 'Fn::Split source').split(asString(arg[0], 'Fn::Split delimiter'));
    }
    case 'Fn::GetAtt': {
      const [logicalId, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
      return resolveGetAtt(String(logicalId), String(attr), ctx);
    }
    default:
      throw new UnresolvableError(`${name} ${JSON.stringify(arg)}`);
  }
}

function resolveRef(ref: string, ctx: IntrinsicContext): unknown {
  switch (ref) {
    case 'AWS::Partition': return ctx.partition;
    case 'AWS::AccountId': return ctx.account;
    case 'AWS::Region': return ctx.region;
    case 'AWS::URLSuffix': return ctx.urlSuffix;
    case 'AWS::StackName': return ctx.stackName;
    default: break;
  }
  const param = ctx.parameters[ref];
  if (param !== undefined) {
    if (param.Default === undefined) throw new UnresolvableError(`Ref to parameter ${ref} without a default`);
    return param.Default;
  }
  const name = physicalName(ref, ctx);
  if (name === undefined) throw new UnresolvableError(`Ref to ${ref}, whose physical name is chosen at deploy time`);
  return name;
}

function resolveGetAtt(logicalId: string, attr: string, ctx: IntrinsicContext): unknown {
  const res = ctx.resources[logicalId];
  const name = physicalName(logicalId, ctx);
  if (res && name !== undefined && attr === 'Arn') {
    if (res.Type === 'AWS::IAM::Role') {
      const path = typeof res.Properties?.Path === 'string' ? res.Properties.Path : '/';
      return `arn:${ctx.partition}:iam::${ctx.account}:role${path}${name}`;
    }
    if (res.Type === 'AWS::S3::Bucket') return `arn:${ctx.partition}:s3:::${name}`;
  }
  throw new UnresolvableError(`Fn::GetAtt ${logicalId}.${attr}, known only at deploy time`);
}

/** The physical name of a resource whose template fixes it (what `Ref` returns for these types). */
function physicalName(logicalId: string, ctx: IntrinsicContext): string | undefined {
  const res = ctx.resources[logicalId];
  if (!res) return undefined;
  const props = res.Properties ?? {};
  const prop = (() => {
    switch (res.Type) {
      case 'AWS::S3::Bucket': return props.BucketName;
      case 'AWS::IAM::Role': return props.RoleName;
      case 'AWS::Glue::Database': return (props.DatabaseInput as Record<string, unknown> | undefined)?.Name;
      case 'AWS::Glue::Table': return (props.TableInput as Record<string, unknown> | undefined)?.Name;
      default: return undefined;
    }
  })();
  if (prop === undefined) return undefined;
  const resolved = resolveIntrinsics(prop, ctx);
  return typeof resolved === 'string' ? resolved : undefined;
}

function asString(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new UnresolvableError(`${what} is not a string: ${JSON.stringify(v)}`);
}

/** The partition of a region (`cn-north-1` → `aws-cn`). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function urlSuffixOfPartition(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}
