import { IConstruct } from 'constructs';
import { compliancePacks } from '../../lib/compliance';

export interface NagFinding {
  readonly pack: string;
  readonly ruleName: string;
  readonly constructPaths: readonly string[];
}

/** Runs the project's cdk-nag packs ({@link compliancePacks}) over `scope` and lists every unacknowledged finding. */
export function nagFindings(scope: IConstruct): NagFinding[] {
  const findings: NagFinding[] = [];
  for (const pack of compliancePacks(scope)) {
    const report = pack.validateScope(scope);
    for (const v of report.violations) {
      findings.push({ pack: pack.readPackName, ruleName: v.ruleName, constructPaths: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?') });
    }
    if (report.success !== (report.violations.length === 0)) throw new Error(`${pack.readPackName}: success disagrees with violations`);
  }
  return findings;
}

/** Findings rendered one per line, for readable assertion failures. */
export function describeFindings(findings: readonly NagFinding[]): string {
  return findings.map((f) => `${f.ruleName} at ${f.constructPaths.join(', ')}`).join('\n');
}
