import { describe, expect, it } from 'vitest';
import { buildSingleAccountApp } from '../../examples/single-account-constructs';
import { newApp } from '../helpers/app';
import { dataMeshFindings } from './nag-test-utils';

/**
 * Findings the DataMesh pack reports on the toolkit's own single-account example, by rule ID and construct path.
 * Update this list deliberately: a new entry is either a regression to fix or a finding to acknowledge (with the
 * reason) in the construct that creates the resource.
 */
// The toolkit fixes or acknowledges (on the exact construct, with a reason) every finding of its own pack.
const EXPECTED_FINDINGS: Record<string, string[]> = {};

function sorted(findings: Map<string, string[]>): Record<string, string[]> {
  return Object.fromEntries([...findings.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, paths]) => [id, [...paths].sort()]));
}

describe('the single-account example (examples/single-account-constructs.ts)', () => {
  it('is compliant with the DataMesh pack except for the listed findings, before and after synthesis', () => {
    const app = buildSingleAccountApp(newApp());
    const before = sorted(dataMeshFindings(app));
    expect(Object.keys(before)).toEqual(Object.keys(EXPECTED_FINDINGS).sort());
    expect(before).toEqual(EXPECTED_FINDINGS);

    // Synthesis turns construct dependencies into DependsOn; the verdicts must not change.
    app.synth();
    expect(sorted(dataMeshFindings(app))).toEqual(before);
  });
});
