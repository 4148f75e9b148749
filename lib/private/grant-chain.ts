import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const CHAINS = new WeakMap<Stack, CfnResource[]>();

/**
 * Lake Formation rejects many grants created in parallel (`ConcurrentModificationException`,
 * `AlreadyExists`). Every `AWS::LakeFormation::PrincipalPermissions` of a stack is therefore chained:
 * each depends on the one registered before it, in registration order (which the mesh keeps sorted).
 */
export function chainGrant(grant: CfnResource): void {
  const stack = Stack.of(grant);
  const chain = CHAINS.get(stack) ?? [];
  const previous = chain[chain.length - 1];
  if (previous) grant.addResourceDependency(previous);
  chain.push(grant);
  CHAINS.set(stack, chain);
}

/** The grants chained in `scope`'s stack so far, in order (for tests and reports). */
export function grantChainOf(scope: IConstruct): readonly CfnResource[] {
  return CHAINS.get(Stack.of(scope)) ?? [];
}
