import { CfnResource, Stack } from 'aws-cdk-lib';

/**
 * A value the rules cannot judge at synth time: an intrinsic function (`Ref`, `Fn::*`) or something that
 * contains one where a literal is needed. Rules are lenient with it (compliant) and strict with literals.
 */
export const UNRESOLVED: unique symbol = Symbol('cdk-data-mesh.nag.unresolved');
export type Unresolved = typeof UNRESOLVED;

/** A resource as CloudFormation will receive it: raw overrides applied, tokens resolved. */
export interface RenderedResource {
  readonly type: string;
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly dependsOn: readonly string[];
  readonly deletionPolicy?: unknown;
}

interface Renderable {
  _toCloudFormation(): unknown;
}

/**
 * Renders `node` the way the stack template will contain it. Reading the rendered template (instead of the L1
 * properties) covers generic `CfnResource`s, `CfnInclude` and `addPropertyOverride` alike, with CloudFormation
 * property names. Never throws: a resource that cannot be rendered has no properties.
 */
export function renderResource(node: CfnResource): RenderedResource {
  const stack = Stack.of(node);
  let logicalId = '';
  try {
    logicalId = stack.resolve(node.logicalId) as string;
  } catch {
    logicalId = node.node.id;
  }
  let rendered: unknown;
  try {
    const fragment = stack.resolve((node as unknown as Renderable)._toCloudFormation());
    const resources = isRecord(fragment) ? fragment.Resources : undefined;
    rendered = isRecord(resources) ? Object.values(resources)[0] : undefined;
  } catch {
    rendered = undefined;
  }
  if (!isRecord(rendered)) {
    return { type: node.cfnResourceType, logicalId, properties: {}, dependsOn: [], deletionPolicy: node.cfnOptions.deletionPolicy };
  }
  const dependsOn = rendered.DependsOn;
  return {
    type: typeof rendered.Type === 'string' ? rendered.Type : node.cfnResourceType,
    logicalId,
    properties: isRecord(rendered.Properties) ? rendered.Properties : {},
    dependsOn: Array.isArray(dependsOn) ? dependsOn.filter((d): d is string => typeof d === 'string') : typeof dependsOn === 'string' ? [dependsOn] : [],
    deletionPolicy: rendered.DeletionPolicy,
  };
}

/** The rendered properties of `node` when it is of one of `types`, else undefined (the rule does not apply). */
export function propertiesIfType(node: CfnResource, ...types: string[]): Readonly<Record<string, unknown>> | undefined {
  if (!types.includes(node.cfnResourceType)) return undefined;
  return renderResource(node).properties;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a CloudFormation intrinsic function (`{ Ref }` or `{ "Fn::...": ... }`). */
export function isIntrinsic(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * The value at `path` below `value`: `undefined` when absent, {@link UNRESOLVED} when an intrinsic stands on the
 * way or is the value itself.
 */
export function at(value: unknown, ...path: string[]): unknown {
  if (value === UNRESOLVED) return UNRESOLVED;
  let current = value;
  for (const key of path) {
    if (isIntrinsic(current)) return UNRESOLVED;
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isIntrinsic(current) ? UNRESOLVED : current;
}

/** A list property: the array, {@link UNRESOLVED} for an intrinsic, `undefined` when absent; a scalar becomes a list of one. */
export function listAt(value: unknown, ...path: string[]): unknown[] | Unresolved | undefined {
  const v = at(value, ...path);
  if (v === undefined || v === UNRESOLVED) return v;
  return Array.isArray(v) ? v : [v];
}

/** A CloudFormation boolean (`true`, `"true"`, `false`, `"false"`), {@link UNRESOLVED} for anything else present. */
export function booleanAt(value: unknown, ...path: string[]): boolean | Unresolved | undefined {
  const v = at(value, ...path);
  if (v === undefined || v === UNRESOLVED || typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return UNRESOLVED;
}

/** A CloudFormation number (number or numeric string), {@link UNRESOLVED} for anything else present. */
export function numberAt(value: unknown, ...path: string[]): number | Unresolved | undefined {
  const v = at(value, ...path);
  if (v === undefined || v === UNRESOLVED) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return UNRESOLVED;
}

/** A string property: the string, {@link UNRESOLVED} for an intrinsic (or a non-string), `undefined` when absent. */
export function stringAt(value: unknown, ...path: string[]): string | Unresolved | undefined {
  const v = at(value, ...path);
  if (v === undefined || v === UNRESOLVED || typeof v === 'string') return v;
  return UNRESOLVED;
}

/** A string that is present and not blank; intrinsics count as present. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

/** Whether a literal string is lowercase; non-strings (intrinsics) pass. */
export function isLowercaseOrUnresolved(value: unknown): boolean {
  return typeof value !== 'string' || value === value.toLowerCase();
}

/** A 12-digit account ID, or an intrinsic (e.g. `AWS::AccountId`). */
export function isCatalogIdOrUnresolved(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return /^\d{12}$/.test(value);
  return isIntrinsic(value) || value === UNRESOLVED;
}
