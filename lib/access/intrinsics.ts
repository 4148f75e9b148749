/**
 * Resolution of the CloudFormation intrinsics that appear in principals, ARNs and names of a synthesized
 * template, as far as they can be resolved without deploying: pseudo parameters from the stack's environment,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select`/`Fn::Split`, parameter defaults, and references to resources of the same
 * stack whose physical name is a literal (IAM roles, Glue databases and tables, S3 buckets). Whatever cannot be
 * resolved becomes an opaque, deterministic string such as `<Ref:LogicalId>` or `<GetAtt:LogicalId.Arn>`.
 */

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface ResolveContext {
  readonly account: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  readonly stackName: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
}

/** Marker for `AWS::NoValue`: the property is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves every intrinsic in `value` (recursively); objects that are not intrinsics are resolved member by member. */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  const r = resolveInner(value, ctx, 0);
  return r === NO_VALUE ? undefined : r;
}

/** Resolves `value` to a string (opaque for what cannot be resolved). */
export function resolveString(value: unknown, ctx: ResolveContext): string {
  return asString(resolveValue(value, ctx));
}

const MAX_DEPTH = 50;

function resolveInner(value: unknown, ctx: ResolveContext, depth: number): unknown {
  if (depth > MAX_DEPTH) return '<too-deep>';
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return value.map((v) => resolveInner(v, ctx, depth + 1)).filter((v) => v !== NO_VALUE);
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys;
    const arg = o[k];
    switch (k) {
      case 'Ref': return resolveRef(asString(resolveInner(arg, ctx, depth + 1)), ctx, depth);
      case 'Fn::GetAtt': return resolveGetAtt(arg, ctx, depth);
      case 'Fn::Join': return resolveJoin(arg, ctx, depth);
      case 'Fn::Sub': return resolveSub(arg, ctx, depth);
      case 'Fn::Select': return resolveSelect(arg, ctx, depth);
      case 'Fn::Split': return resolveSplit(arg, ctx, depth);
      case 'Fn::ImportValue': return `<Import:${asString(resolveInner(arg, ctx, depth + 1))}>`;
      case 'Fn::If': return `<If:${Array.isArray(arg) ? asString(arg[0]) : '?'}>`;
      case 'Fn::GetAZs': return `<GetAZs:${ctx.region}>`;
      case 'Fn::Base64': return `<Base64>`;
      default: break;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = resolveInner(o[k], ctx, depth + 1);
    if (v !== NO_VALUE) out[k] = v;
  }
  return out;
}

function resolveRef(name: string, ctx: ResolveContext, depth: number): unknown {
  switch (name) {
    case 'AWS::Partition': return ctx.partition ?? 'aws';
    case 'AWS::AccountId': return ctx.account;
    case 'AWS::Region': return ctx.region;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::StackName': return ctx.stackName;
    case 'AWS::StackId': return `<StackId:${ctx.stackName}>`;
    case 'AWS::NoValue': return NO_VALUE;
    case 'AWS::NotificationARNs': return [];
    default: break;
  }
  const param = ctx.parameters?.[name];
  if (param) {
    return param.Default !== undefined ? resolveInner(param.Default, ctx, depth + 1) : `<Ref:${name}>`;
  }
  const resource = ctx.resources[name];
  if (resource) {
    const physical = physicalName(resource, ctx, depth);
    if (physical !== undefined) return physical;
  }
  return `<Ref:${name}>`;
}

/** The literal physical name of a resource, for the types whose `Ref` returns it. */
function physicalName(resource: TemplateResource, ctx: ResolveContext, depth: number): string | undefined {
  const p = resource.Properties ?? {};
  const literal = (v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    const s = asString(resolveInner(v, ctx, depth + 1));
    return isOpaque(s) ? undefined : s;
  };
  switch (resource.Type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
      return literal(p.RoleName ?? p.UserName);
    case 'AWS::S3::Bucket':
      return literal(p.BucketName);
    case 'AWS::Glue::Database':
      return literal((p.DatabaseInput as Record<string, unknown> | undefined)?.Name);
    case 'AWS::Glue::Table':
      return literal((p.TableInput as Record<string, unknown> | undefined)?.Name);
    default:
      return undefined;
  }
}

function resolveGetAtt(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  let logicalId: string;
  let attribute: string;
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    logicalId = dot < 0 ? arg : arg.slice(0, dot);
    attribute = dot < 0 ? '' : arg.slice(dot + 1);
  } else if (Array.isArray(arg) && arg.length >= 2) {
    logicalId = asString(resolveInner(arg[0], ctx, depth + 1));
    attribute = asString(resolveInner(arg[1], ctx, depth + 1));
  } else {
    return '<GetAtt:?>';
  }
  const resource = ctx.resources[logicalId];
  const partition = ctx.partition ?? 'aws';
  if (resource && attribute === 'Arn') {
    const name = physicalName(resource, ctx, depth);
    if (name !== undefined) {
      if (resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::User') {
        const rawPath = resource.Properties?.Path;
        const path = rawPath === undefined ? '/' : asString(resolveInner(rawPath, ctx, depth + 1));
        const kind = resource.Type === 'AWS::IAM::Role' ? 'role' : 'user';
        return `arn:${partition}:iam::${ctx.account}:${kind}${path.startsWith('/') ? path : `/${path}`}${path.endsWith('/') ? '' : '/'}${name}`;
      }
      if (resource.Type === 'AWS::S3::Bucket') return `arn:${partition}:s3:::${name}`;
    }
  }
  return `<GetAtt:${logicalId}.${attribute}>`;
}

function resolveJoin(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return '<Join:?>';
  const delimiter = asString(resolveInner(arg[0], ctx, depth + 1));
  const items = resolveInner(arg[1], ctx, depth + 1);
  if (!Array.isArray(items)) return asString(items);
  return items.map(asString).join(delimiter);
}

function resolveSub(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  let text: string;
  let vars: Record<string, unknown> = {};
  if (typeof arg === 'string') {
    text = arg;
  } else if (Array.isArray(arg) && typeof arg[0] === 'string') {
    text = arg[0];
    vars = (arg[1] ?? {}) as Record<string, unknown>;
  } else {
    return '<Sub:?>';
  }
  return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    if (Object.prototype.hasOwnProperty.call(vars, name)) return asString(resolveInner(vars[name], ctx, depth + 1));
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return asString(resolveGetAtt([name.slice(0, dot), name.slice(dot + 1)], ctx, depth + 1));
    return asString(resolveRef(name, ctx, depth + 1));
  });
}

function resolveSelect(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return '<Select:?>';
  const index = Number(asString(resolveInner(arg[0], ctx, depth + 1)));
  const list = resolveInner(arg[1], ctx, depth + 1);
  if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) return `<Select:${index}>`;
  return list[index];
}

function resolveSplit(arg: unknown, ctx: ResolveContext, depth: number): unknown {
  if (!Array.isArray(arg) || arg.length !== 2) return ['<Split:?>'];
  const delimiter = asString(resolveInner(arg[0], ctx, depth + 1));
  const source = asString(resolveInner(arg[1], ctx, depth + 1));
  return delimiter === '' ? [source] : source.split(delimiter);
}

/** A resolved value as a string: strings as they are, numbers and booleans printed, anything else as JSON. */
export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === NO_VALUE) return '';
  return stableJson(value);
}

/** Whether a resolved string still contains an unresolved reference. */
export function isOpaque(s: string): boolean {
  return /<(Ref|GetAtt|Import|If|Sub|Join|Select|Split|GetAZs|Base64|StackId|too-deep)[:>]/.test(s);
}

/** JSON with object keys sorted: independent of key order. */
export function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeysDeep(value), undefined, indent);
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (o[k] !== undefined) out[k] = sortKeysDeep(o[k]);
  }
  return out;
}
