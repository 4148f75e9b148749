import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderResource } from './cfn';

/** The CfnResources of `node`'s own stack (not of nested stacks) whose type is one of `types`. */
export function resourcesInSameStack(node: CfnResource, types: readonly string[]): CfnResource[] {
  const stack = Stack.of(node);
  return stack.node.findAll().filter((c): c is CfnResource =>
    CfnResource.isCfnResource(c) && types.includes(c.cfnResourceType) && Stack.of(c) === stack);
}

/**
 * Whether CloudFormation creates `target` before `node`, both in the same stack: `node` depends on it directly
 * or through other resources of the stack. Dependencies are read from every place CDK keeps them, so the answer
 * is the same before synthesis and after it: resource dependencies (`addResourceDependency`), construct
 * dependencies of `node` or any of its scopes (`node.addDependency`, realized as `DependsOn` only at synthesis)
 * and a `DependsOn` raw override of `node`.
 */
export function dependsOnInStack(node: CfnResource, target: CfnResource): boolean {
  const stack = Stack.of(node);
  if (Stack.of(target) !== stack) return false;
  if (renderResource(node).dependsOn.includes(stack.resolve(target.logicalId) as string)) return true;
  const seen = new Set<CfnResource>([node]);
  const queue: CfnResource[] = [node];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const dep of directDependencies(current)) {
      if (dep === target) return true;
      if (seen.has(dep) || Stack.of(dep) !== stack) continue;
      seen.add(dep);
      queue.push(dep);
    }
  }
  return false;
}

/** Resources `node` depends on directly, in any stack. */
function directDependencies(node: CfnResource): Set<CfnResource> {
  const out = new Set<CfnResource>();
  for (const d of node.obtainDependencies()) {
    if (CfnResource.isCfnResource(d)) out.add(d);
  }
  // A construct dependency of any scope applies to every CfnResource below that scope, on every CfnResource below the target.
  for (const scope of node.node.scopes) {
    for (const dependency of scope.node.dependencies) {
      for (const c of dependency.node.findAll()) {
        if (isCfnResource(c)) out.add(c);
      }
    }
  }
  return out;
}

function isCfnResource(c: IConstruct): c is CfnResource {
  return CfnResource.isCfnResource(c);
}
