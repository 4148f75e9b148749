import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on one construct (and only its children), each with the same specific
 * reason. Callers pass fully qualified rule ids (e.g. `NIST.800.53.R5-LambdaInsideVPC`) so that a reviewer
 * can grep for every acknowledgement of a rule.
 */
export function acknowledge(construct: IConstruct, ruleIds: readonly string[], reason: string): void {
  for (const id of ruleIds) {
    Validations.of(construct).acknowledge({ id, reason });
  }
}

/** The same rule in the three compliance packs that share rule names. */
export function inCompliancePacks(rule: string, packs: readonly ('NIST' | 'HIPAA' | 'PCI')[] = ['NIST', 'HIPAA', 'PCI']): string[] {
  const prefix = { NIST: 'NIST.800.53.R5', HIPAA: 'HIPAA.Security', PCI: 'PCI.DSS.321' } as const;
  return packs.map((p) => `${prefix[p]}-${rule}`);
}

/**
 * The id cdk-nag gives an AwsSolutions-IAM5 finding for `resource` (an ARN that may contain tokens):
 * references are flattened to `<AWS::Partition>`, `<LogicalId.Arn>` and so on.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges the IAM5 findings of the wildcard resources among `resources` on `policy`. */
export function acknowledgeWildcardResources(policy: IConstruct, resources: readonly string[], reason: string): void {
  const ids = resources.map((r) => wildcardResourceFinding(policy, r)).filter((id) => id.includes('*'));
  acknowledge(policy, [...new Set(ids)], reason);
}

/** Acknowledges the IAM5 findings of the wildcard actions among `actions` on `policy`. */
export function acknowledgeWildcardActions(policy: IConstruct, actions: readonly string[], reason: string): void {
  acknowledge(policy, actions.filter((a) => a.includes('*')).map((a) => `AwsSolutions-IAM5[Action::${a}]`), reason);
}

function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (o['Fn::Sub'] !== undefined) return flattenReference(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (o['Fn::ImportValue'] !== undefined) return flattenReference(o['Fn::ImportValue']);
  if (o.Ref !== undefined) return `<${flattenReference(o.Ref)}>`;
  return JSON.stringify(node);
}
