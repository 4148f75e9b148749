import { App, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { DataMeshChecks } from '../../lib/nag';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';

/** A fresh app with one environment-specific stack `Test`. */
export function newStack(id = 'Test'): { app: App; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, id, { env: { account: ACCOUNT, region: REGION } });
  return { app, stack };
}

/** Unacknowledged DataMesh findings in `scope`: rule ID → construct paths. */
export function dataMeshFindings(scope: IConstruct): Map<string, string[]> {
  const report = new DataMeshChecks().validateScope(scope);
  const out = new Map<string, string[]>();
  for (const v of report.violations) {
    out.set(v.ruleName, [...(out.get(v.ruleName) ?? []), ...v.violatingResources.map((r) => r.constructPath ?? '?')]);
  }
  expect(report.success).toBe(report.violations.length === 0);
  return out;
}

/** Construct paths that `ruleId` flags in `scope`. */
export function flaggedBy(scope: IConstruct, ruleId: string): string[] {
  return dataMeshFindings(scope).get(ruleId) ?? [];
}

/** Asserts that `ruleId` flags exactly `paths` in `scope` (none when empty). */
export function expectFlagged(scope: IConstruct, ruleId: string, paths: readonly string[]): void {
  expect(flaggedBy(scope, ruleId).sort()).toEqual([...paths].sort());
}

/** Asserts that `ruleId` flags nothing in `scope`. */
export function expectCompliant(scope: IConstruct, ruleId: string): void {
  expectFlagged(scope, ruleId, []);
}
