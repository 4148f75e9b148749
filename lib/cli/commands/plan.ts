import { Stack } from 'aws-cdk-lib';
import { Command } from 'commander';
import { readAssemblyStacks } from '../../diff/assembly-diff';
import { DataMesh } from '../../mesh/data-mesh';
import { DEFAULT_MESH_FILE, loadMeshDefinition } from '../../mesh/loader';
import { formatTable, printJson } from '../output';
import { synthesizeMesh } from '../synth';

export interface PlannedStack {
  readonly order: number;
  readonly stack: string;
  readonly stackName: string;
  readonly kind: string;
  readonly account: string;
  readonly region: string;
  readonly resources: number;
  readonly grants: number;
  readonly dependsOn: readonly string[];
}

/** Stacks in an order `cdk deploy --all` can follow: every stack after the stacks it depends on. */
export function deployOrder(mesh: DataMesh): Stack[] {
  const all = [...mesh.stacks.values()].map((s) => s.stack);
  const done = new Set<Stack>();
  const ordered: Stack[] = [];
  while (ordered.length < all.length) {
    const ready = all.filter((s) => !done.has(s) && s.dependencies.every((d) => done.has(d))).sort((a, b) => a.node.id.localeCompare(b.node.id));
    if (ready.length === 0) throw new Error('stack dependencies form a cycle');
    for (const s of ready) { done.add(s); ordered.push(s); }
  }
  return ordered;
}

/** The plan of a synthesized mesh: `assemblyDir` is where it was synthesized. */
export function planOf(mesh: DataMesh, assemblyDir: string): PlannedStack[] {
  const templates = new Map(readAssemblyStacks(assemblyDir).map((s) => [s.id, s]));
  return deployOrder(mesh).map((stack, i) => {
    const resources = Object.values(templates.get(stack.artifactId)?.resources ?? {});
    const grants = resources.filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions').length;
    return {
      order: i + 1,
      stack: stack.node.id,
      stackName: stack.stackName,
      kind: mesh.stacks.get(stack.node.id)!.kind,
      account: stack.account,
      region: stack.region,
      resources: resources.filter((r) => r.Type !== 'AWS::CDK::Metadata').length,
      grants,
      dependsOn: stack.dependencies.map((d) => d.node.id).sort(),
    };
  });
}

export function planCommand(): Command {
  return new Command('plan')
    .description('Show, per account, the stacks of the mesh in deploy order with their resource and grant counts (no AWS).')
    .argument('[file]', 'mesh definition', DEFAULT_MESH_FILE)
    .option('--json', 'print the plan as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const { mesh, outdir } = synthesizeMesh(loadMeshDefinition(file));
      const plan = planOf(mesh, outdir);
      if (opts.json) {
        printJson({ file, mesh: mesh.definition.name, stacks: plan });
        return;
      }
      const accounts = [...new Set(plan.map((p) => p.account))].sort();
      process.stdout.write(`Mesh ${mesh.definition.name}: ${plan.length} stacks in ${accounts.length} accounts, ` +
        `${plan.reduce((n, p) => n + p.resources, 0)} resources, ${plan.reduce((n, p) => n + p.grants, 0)} Lake Formation grants\n`);
      for (const account of accounts) {
        const rows = plan.filter((p) => p.account === account);
        process.stdout.write(`\nAccount ${account}\n`);
        process.stdout.write(`${formatTable(['#', 'stack', 'kind', 'region', 'resources', 'grants', 'after'],
          rows.map((p) => [p.order, p.stack, p.kind, p.region, p.resources, p.grants, p.dependsOn.join(', ') || '-']))}\n`);
      }
      process.stdout.write('\nDeploy with `npx cdk deploy --all`: CloudFormation follows the order above.\n');
    });
}
