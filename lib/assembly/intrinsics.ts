/**
 * Resolution of the CloudFormation intrinsics of a synthesized template, as far as they can be resolved without
 * deploying: pseudo parameters from the stack's environment, `Fn::Join`, `Fn::Sub`, `Fn::Select`/`Fn::Split`,
 * parameter defaults, and `Ref`/`Fn::GetAtt ... Arn` of resources of the same stack whose physical name is a literal
 * (IAM roles and users, S3 buckets, Glue databases and tables).
 *
 * What is known only at deploy time (an attribute of a resource without a physical name, a parameter without a
 * default, `Fn::ImportValue`, `Fn::If`...) is handled as `unresolvable` says:
 * - `'opaque'`: it becomes a deterministic opaque string such as `<Ref:LogicalId>` or `<GetAtt:LogicalId.Arn>`
 *   (lib/access: the access matrix and the report show it as it is);
 * - `'throw'`: {@link UnresolvableError} says what it depends on (`MeshClient.verify` leaves the declaration unchecked).
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
  /** The template's `Resources` (`Ref` and `Fn::GetAtt` of resources with a literal physical name). */
  readonly resources: Readonly<Record<string, TemplateResource>>;
  /** The template's `Parameters` (their `Default` is used). */
  readonly parameters?: Readonly<Record<string, { readonly Default?: unknown }>>;
}

export interface ResolveOptions {
  /** What becomes of values known only at deploy time: an opaque string, or an {@link UnresolvableError}. */
  readonly unresolvable: 'opaque' | 'throw';
}

/** A value that is only known at deploy time (an attribute of a resource without a physical name...). */
export class UnresolvableError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'UnresolvableError';
  }
}

/**
 * Resolves every intrinsic in `value` (recursively); objects that are not intrinsics are resolved member by member,
 * and `AWS::NoValue` removes the member or list item.
 */
export function resolve(value: unknown, ctx: ResolveContext, options: ResolveOptions): unknown {
  const r = new Resolver(ctx, options.unresolvable === 'throw').value(value, 0);
  return r === NO_VALUE ? undefined : r;
}

/** The partition of a region (`cn-north-1` → `aws-cn`). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/** `AWS::URLSuffix` of a partition. */
export function urlSuffixOfPartition(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** A resolved value as a string: strings as they are, numbers and booleans printed, anything else as JSON. */
export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === NO_VALUE) return '';
  return stableJson(value);
}

/** Whether a string resolved in `'opaque'` mode still contains an unresolved reference. */
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

/** Marker for `AWS::NoValue`: the property is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

const MAX_DEPTH = 50;

class Resolver {
  constructor(private readonly ctx: ResolveContext, private readonly throws: boolean) {}

  value(value: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) return this.unresolvable(`intrinsics nested deeper than ${MAX_DEPTH} levels`, () => '<too-deep>');
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1)).filter((v) => v !== NO_VALUE);
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.fn(o, keys[0], o[keys[0]], depth);
    return this.members(o, depth);
  }

  /** Something known only at deploy time: `opaque()`, or an {@link UnresolvableError} saying `reason`. */
  private unresolvable(reason: string, opaque: () => unknown): unknown {
    if (this.throws) throw new UnresolvableError(reason);
    return opaque();
  }

  /** A resolved value where a string is needed: scalars printed; anything else as JSON, or unresolvable. */
  private text(value: unknown, what: string): string {
    if (this.throws && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new UnresolvableError(`${what} is not a string: ${JSON.stringify(value)}`);
    }
    return asString(value);
  }

  private members(o: Record<string, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
      const v = this.value(o[k], depth + 1);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private fn(o: Record<string, unknown>, name: string, arg: unknown, depth: number): unknown {
    const deployTime = () => `${name} ${JSON.stringify(arg)}`;
    switch (name) {
      case 'Ref': return this.ref(this.text(this.value(arg, depth + 1), 'Ref'), depth);
      case 'Fn::GetAtt': return this.getAtt(arg, depth);
      case 'Fn::Join': return this.join(arg, depth);
      case 'Fn::Sub': return this.sub(arg, depth);
      case 'Fn::Select': return this.select(arg, depth);
      case 'Fn::Split': return this.split(arg, depth);
      case 'Fn::ImportValue': return this.unresolvable(deployTime(), () => `<Import:${asString(this.value(arg, depth + 1))}>`);
      case 'Fn::If': return this.unresolvable(deployTime(), () => `<If:${Array.isArray(arg) ? asString(arg[0]) : '?'}>`);
      case 'Fn::GetAZs': return this.unresolvable(deployTime(), () => `<GetAZs:${this.ctx.region}>`);
      case 'Fn::Base64': return this.unresolvable(deployTime(), () => '<Base64>');
      // Other functions (Fn::FindInMap, Fn::Cidr...): opaque mode keeps them, their arguments resolved.
      default: return this.unresolvable(deployTime(), () => this.members(o, depth));
    }
  }

  private ref(name: string, depth: number): unknown {
    const ctx = this.ctx;
    const partition = ctx.partition ?? 'aws';
    switch (name) {
      case 'AWS::Partition': return partition;
      case 'AWS::AccountId': return ctx.account;
      case 'AWS::Region': return ctx.region;
      case 'AWS::URLSuffix': return urlSuffixOfPartition(partition);
      case 'AWS::StackName': return ctx.stackName;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::StackId': return this.unresolvable(`Ref to ${name}, known only at deploy time`, () => `<StackId:${ctx.stackName}>`);
      case 'AWS::NotificationARNs': return this.unresolvable(`Ref to ${name}, known only at deploy time`, () => []);
      default: break;
    }
    const param = ctx.parameters?.[name];
    if (param) {
      if (param.Default === undefined) return this.unresolvable(`Ref to parameter ${name} without a default`, () => `<Ref:${name}>`);
      return this.value(param.Default, depth + 1);
    }
    const resource = ctx.resources[name];
    const physical = resource ? this.physicalName(resource, depth) : undefined;
    if (physical !== undefined) return physical;
    return this.unresolvable(`Ref to ${name}, whose physical name is chosen at deploy time`, () => `<Ref:${name}>`);
  }

  /** The literal physical name of a resource, for the types whose `Ref` returns it. */
  private physicalName(resource: TemplateResource, depth: number): string | undefined {
    const p = resource.Properties ?? {};
    const name = (() => {
      switch (resource.Type) {
        case 'AWS::IAM::Role': return p.RoleName;
        case 'AWS::IAM::User': return p.UserName;
        case 'AWS::S3::Bucket': return p.BucketName;
        case 'AWS::Glue::Database': return (p.DatabaseInput as Record<string, unknown> | undefined)?.Name;
        case 'AWS::Glue::Table': return (p.TableInput as Record<string, unknown> | undefined)?.Name;
        default: return undefined;
      }
    })();
    if (name === undefined) return undefined;
    const s = asString(this.value(name, depth + 1));
    return isOpaque(s) ? undefined : s;
  }

  private getAtt(arg: unknown, depth: number): unknown {
    let logicalId: string;
    let attribute: string;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      logicalId = dot < 0 ? arg : arg.slice(0, dot);
      attribute = dot < 0 ? '' : arg.slice(dot + 1);
    } else if (Array.isArray(arg) && arg.length >= 2) {
      logicalId = this.text(this.value(arg[0], depth + 1), 'Fn::GetAtt logical ID');
      attribute = this.text(this.value(arg[1], depth + 1), 'Fn::GetAtt attribute');
    } else {
      return this.unresolvable(`malformed Fn::GetAtt ${JSON.stringify(arg)}`, () => '<GetAtt:?>');
    }
    const resource = this.ctx.resources[logicalId];
    const name = resource ? this.physicalName(resource, depth) : undefined;
    if (resource && name !== undefined && attribute === 'Arn') {
      const partition = this.ctx.partition ?? 'aws';
      if (resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::User') {
        const rawPath = resource.Properties?.Path;
        const path = rawPath === undefined ? '/' : this.text(this.value(rawPath, depth + 1), 'Path');
        const kind = resource.Type === 'AWS::IAM::Role' ? 'role' : 'user';
        return `arn:${partition}:iam::${this.ctx.account}:${kind}${path.startsWith('/') ? path : `/${path}`}${path.endsWith('/') ? '' : '/'}${name}`;
      }
      if (resource.Type === 'AWS::S3::Bucket') return `arn:${partition}:s3:::${name}`;
    }
    return this.unresolvable(`Fn::GetAtt ${logicalId}.${attribute}, known only at deploy time`, () => `<GetAtt:${logicalId}.${attribute}>`);
  }

  private join(arg: unknown, depth: number): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unresolvable(`malformed Fn::Join ${JSON.stringify(arg)}`, () => '<Join:?>');
    const items = this.value(arg[1], depth + 1);
    if (!Array.isArray(items)) return this.unresolvable(`Fn::Join of a non-list ${JSON.stringify(arg[1])}`, () => asString(items));
    const parts = items.map((item) => this.text(item, 'Fn::Join part'));
    return parts.join(this.text(this.value(arg[0], depth + 1), 'Fn::Join delimiter'));
  }

  private sub(arg: unknown, depth: number): unknown {
    const [template, rawVars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    // Every variable is resolved, used or not: one known only at deploy time makes the whole value so.
    const vars = new Map<string, unknown>();
    if (rawVars !== null && typeof rawVars === 'object' && !Array.isArray(rawVars)) {
      for (const [k, v] of Object.entries(rawVars)) vars.set(k, this.value(v, depth + 1));
    }
    if (typeof template !== 'string') return this.unresolvable(`Fn::Sub template is not a string: ${JSON.stringify(template)}`, () => '<Sub:?>');
    return template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (vars.has(name)) return this.text(vars.get(name), `Fn::Sub variable ${name}`);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return this.text(this.getAtt([name.slice(0, dot), name.slice(dot + 1)], depth + 1), whole);
      return this.text(this.ref(name, depth + 1), whole);
    });
  }

  private select(arg: unknown, depth: number): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unresolvable(`malformed Fn::Select ${JSON.stringify(arg)}`, () => '<Select:?>');
    const index = Number(asString(this.value(arg[0], depth + 1)));
    const list = this.value(arg[1], depth + 1);
    if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
      return this.unresolvable(`Fn::Select ${JSON.stringify(arg)}`, () => `<Select:${index}>`);
    }
    return list[index];
  }

  private split(arg: unknown, depth: number): unknown {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unresolvable(`malformed Fn::Split ${JSON.stringify(arg)}`, () => ['<Split:?>']);
    const source = this.text(this.value(arg[1], depth + 1), 'Fn::Split source');
    const delimiter = this.text(this.value(arg[0], depth + 1), 'Fn::Split delimiter');
    return delimiter === '' ? [source] : source.split(delimiter);
  }
}
