import { ResolveContext, asString, resolve } from '../assembly';

/**
 * Resolves every intrinsic in `value` (recursively) with lib/assembly's resolver; what is known only at deploy time
 * becomes an opaque, deterministic string such as `<Ref:LogicalId>` or `<GetAtt:LogicalId.Arn>`.
 */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  return resolve(value, ctx, { unresolvable: 'opaque' });
}

/** Resolves `value` to a string (opaque for what cannot be resolved). */
export function resolveString(value: unknown, ctx: ResolveContext): string {
  return asString(resolveValue(value, ctx));
}
