// Test-only bridge to @cloud-copilot/iam-simulate (AGPL-3.0): never imported from lib/.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { ContextValue, PolicyStatement } from '../../lib/paths';

/** `skipped`: iam-simulate ignored a context key the policies use (it drops encryption-context keys whose name has a colon). */
export type SimulatedDecision = 'allow' | 'deny' | 'implicit' | 'error' | 'skipped';

/** Stand-in for deploy-time name tokens (`⟦stack/id⟧`), which iam-simulate would reject in ARNs. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/⟦[^⟧]*⟧/g, (t) => `gen${t.length}x${[...t].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100000, 7)}`));
}

/** The decision of iam-simulate for an identity-policy-only, same-account request by a role. */
export async function simulateIdentity(principalArn: string, account: string, statements: readonly PolicyStatement[][], action: string,
  resource: string, context: Readonly<Record<string, ContextValue>>): Promise<{ decision: SimulatedDecision; detail?: string }> {
  const contextVariables: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(context)) contextVariables[k] = Array.isArray(v) ? [...v].map((x) => plain(x) as string) : plain(v) as string;
  const response = await runSimulation({
    request: { principal: plain(principalArn) as string, action, resource: { resource: plain(resource) as string, accountId: account }, contextVariables },
    identityPolicies: statements.map((st, i) => ({ name: `policy${i}`, policy: plain({ Version: '2012-10-17', Statement: st }) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  if (response.resultType === 'error') return { decision: 'error', detail: JSON.stringify(response.errors) };
  if (response.resultType !== 'single') return { decision: 'error', detail: `unexpected result type ${response.resultType}` };
  const ignored = (response.result as { ignoredContextKeys?: string[] }).ignoredContextKeys ?? [];
  const used = JSON.stringify(statements).toLowerCase();
  const usedIgnored = ignored.filter((k) => used.includes(k.toLowerCase()));
  if (usedIgnored.length > 0) return { decision: 'skipped', detail: `iam-simulate ignored ${usedIgnored.join(', ')}` };
  // The identity policies' own answer: KMS would also need a key policy, which the caller checks separately.
  const identity = response.result.analysis?.identityAnalysis?.result;
  if (identity === undefined) return { decision: 'error', detail: 'no identity analysis' };
  return { decision: identity === 'Allowed' ? 'allow' : identity === 'ExplicitlyDenied' ? 'deny' : 'implicit' };
}
