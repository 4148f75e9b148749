import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

export interface CfnTemplate {
  readonly Resources: Record<string, { Type: string; Properties?: Json; DependsOn?: string | string[]; DeletionPolicy?: string; UpdateReplacePolicy?: string; Metadata?: Json }>;
  readonly [key: string]: Json;
}

/** The synthesized template of `stack` (synthesizes the app once; later calls reuse the assembly). */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** The template of `stack` as JSON. */
export function templateJson(stack: Stack): CfnTemplate {
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

/** `[logicalId, resource]` of every resource of `type`. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnTemplate['Resources'][string]][] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

export function asArray<T>(x: T | T[] | undefined): T[] {
  if (x === undefined) return [];
  return Array.isArray(x) ? x : [x];
}

/** `DependsOn` of a resource as a list. */
export function dependsOn(resource: { DependsOn?: string | string[] }): string[] {
  return asArray(resource.DependsOn);
}

/** Logical ID of the L1 resource behind `construct`: itself when it is a CfnResource, else down its default children. */
export function logicalIdOf(construct: IConstruct): string {
  let current: IConstruct | undefined = construct;
  while (current && !CfnResource.isCfnResource(current)) current = current.node.defaultChild;
  if (!current) throw new Error(`${construct.node.path} has no CfnResource default child`);
  return Stack.of(current).getLogicalId(current as CfnResource);
}

/** Logical IDs of every CfnResource at or below `construct`. */
export function logicalIdsBelow(construct: IConstruct): string[] {
  return construct.node.findAll().filter(CfnResource.isCfnResource).map((c) => Stack.of(c).getLogicalId(c as CfnResource));
}

export interface PolicyStatementRef {
  readonly logicalId: string;
  readonly type: string;
  /** `identity` (IAM policies of roles/users) or `resource` (bucket and key policies). */
  readonly kind: 'identity' | 'resource';
  readonly statement: Json;
}

/** Every statement of every identity and resource policy document in `template`. */
export function policyStatements(template: CfnTemplate): PolicyStatementRef[] {
  const out: PolicyStatementRef[] = [];
  const push = (logicalId: string, type: string, kind: 'identity' | 'resource', doc: Json) => {
    for (const statement of asArray(doc?.Statement)) out.push({ logicalId, type, kind, statement });
  };
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        push(id, r.Type, 'identity', p.PolicyDocument);
        break;
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        for (const inline of asArray<Json>(p.Policies)) push(id, r.Type, 'identity', inline.PolicyDocument);
        break;
      case 'AWS::S3::BucketPolicy':
        push(id, r.Type, 'resource', p.PolicyDocument);
        break;
      case 'AWS::KMS::Key':
        push(id, r.Type, 'resource', p.KeyPolicy);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Actions of a statement as a list. */
export function actionsOf(statement: Json): string[] {
  return asArray<string>(statement.Action);
}

/** Actions no policy of the toolkit may allow. */
export const FORBIDDEN_ACTIONS: readonly string[] = ['*', 's3:*', 'glue:*', 'lakeformation:*'];

/**
 * Places where a string contains a CloudFormation placeholder such as `${AWS::Partition}` outside an `Fn::Sub`,
 * i.e. where CloudFormation would keep the placeholder as literal text.
 */
export function literalPlaceholders(node: Json, path = ''): string[] {
  if (typeof node === 'string') return /\$\{AWS::[A-Za-z]+\}/.test(node) ? [`${path}: ${node}`] : [];
  if (Array.isArray(node)) return node.flatMap((x, i) => literalPlaceholders(x, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => (k === 'Fn::Sub' ? [] : literalPlaceholders(v, `${path}.${k}`)));
  }
  return [];
}

/** Every `Fn::Sub` template string in `node`. */
export function subTemplates(node: Json): string[] {
  if (Array.isArray(node)) return node.flatMap(subTemplates);
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => {
      if (k !== 'Fn::Sub') return subTemplates(v);
      return [typeof v === 'string' ? v : (v as Json[])[0]];
    });
  }
  return [];
}

/** The stacks `stack` depends on, directly or through other stacks. */
export function stackDependencyClosure(stack: Stack): Set<Stack> {
  const seen = new Set<Stack>();
  const visit = (s: Stack) => {
    for (const d of s.dependencies) {
      if (!seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(stack);
  return seen;
}

/**
 * Whether CloudFormation creates `target` before `resource` (a CfnResource of `from`): through `DependsOn`
 * in the same stack, or through a stack dependency when `target` lives in another stack. `target` is a
 * CfnResource or a construct whose default child is one (e.g. a CustomResource).
 */
export function isOrderedAfter(fromStack: Stack, resourceDependsOn: readonly string[], target: IConstruct): boolean {
  const targetStack = Stack.of(target);
  if (targetStack !== fromStack) return stackDependencyClosure(fromStack).has(targetStack);
  return resourceDependsOn.includes(logicalIdOf(target));
}

/**
 * A policy resource rendered as plain text: `Ref AWS::Partition` becomes `aws`, other references
 * `<LogicalId>` / `<LogicalId.Attribute>`, `Fn::Join` is joined. For matching ARNs with {@link arnPatternMatches}.
 */
export function flattenArn(node: Json): string {
  if (typeof node === 'string') return node;
  if (node?.['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, Json[]];
    return items.map(flattenArn).join(delimiter);
  }
  if (node?.Ref === 'AWS::Partition') return 'aws';
  if (node?.Ref !== undefined) return `<${node.Ref}>`;
  if (node?.['Fn::GetAtt']) return `<${node['Fn::GetAtt'][0]}.${node['Fn::GetAtt'][1]}>`;
  throw new Error(`cannot flatten ${JSON.stringify(node)}`);
}

/** Whether the IAM resource pattern `pattern` (with `*` and `?` wildcards) matches `arn`, as IAM evaluates it. */
export function arnPatternMatches(pattern: string, arn: string): boolean {
  const regex = pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, 's').test(arn);
}

/** `[logicalId, resource]` of every customer managed policy attached to the role with logical ID `roleLogicalId`. */
export function managedPoliciesOfRole(template: CfnTemplate, roleLogicalId: string): [string, CfnTemplate['Resources'][string]][] {
  return resourcesOfType(template, 'AWS::IAM::ManagedPolicy').filter(([, p]) => asArray<Json>(p.Properties.Roles).some((r) => r.Ref === roleLogicalId));
}
