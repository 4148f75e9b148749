import { describe, expect, it } from 'vitest';
import { evaluatePolicies, readWorld, checkPaths } from '../../lib/paths';
import { exampleAssembly } from './helpers';
import { simulateIdentity } from './simulate';

/**
 * Every (role identity policies, action, resource, context) request the example meshes' steps make is evaluated by our
 * evaluator and by iam-simulate (identity policies only, same account): both agree wherever ours can evaluate.
 */
describe.each(['mesh.yaml', 'examples/single-account.yaml', 'examples/large.yaml'])('cross-check with iam-simulate: the steps of %s', (file) => {
  it('agrees on every identity-policy request', async () => {
    const world = readWorld(exampleAssembly(file));
    const report = checkPaths(world);
    const seen = new Set<string>();
    const disagreements: string[] = [];
    let compared = 0;
    let skipped = 0;
    for (const step of report.paths.flatMap((p) => p.steps)) {
      const role = world.roles.find((r) => r.arn === step.principal);
      if (!role || !step.context || step.call.startsWith('lakeformation:') && step.call !== 'lakeformation:GetDataAccess' || step.call === 'sts:AssumeRole') continue;
      const key = JSON.stringify([role.arn, step.call, step.resource, step.context]);
      if (seen.has(key)) continue;
      seen.add(key);
      const request = { principal: { kind: 'aws' as const, arn: role.arn, account: role.account }, action: step.call, resource: step.resource, context: step.context };
      const ours = evaluatePolicies(role.policies, request, { resourcePolicy: false }).decision;
      if (ours === 'unknown') continue;
      const sim = await simulateIdentity(role.arn, role.account, role.policies.map((p) => [...p.statements]), step.call, step.resource, step.context);
      if (sim.decision === 'skipped' || sim.decision === 'error') {
        skipped++;
        continue;
      }
      compared++;
      if (sim.decision !== ours) disagreements.push(`${role.arn} ${step.call} ${step.resource}: ours ${ours}, iam-simulate ${sim.decision}`);
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(20);
    // Requests iam-simulate cannot judge stay few (encryption-context keys with colons).
    expect(skipped).toBeLessThan(compared);
  }, 120_000);
});
