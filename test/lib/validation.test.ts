import { App, CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY, MIN_BYTES_SCANNED_CUTOFF_PER_QUERY } from '../../lib/defaults';
import { ProblemCollector, formatProblem } from '../../lib/errors';
import { validateCutoff } from '../../lib/validation';

function problemsOf(value: number): string[] {
  const c = new ProblemCollector();
  validateCutoff(c, value);
  return c.list.map(formatProblem);
}

describe('validateCutoff', () => {
  it.each([MIN_BYTES_SCANNED_CUTOFF_PER_QUERY, DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY, Number.MAX_SAFE_INTEGER])('accepts %j', (value) => {
    expect(problemsOf(value)).toEqual([]);
  });

  it.each([[MIN_BYTES_SCANNED_CUTOFF_PER_QUERY - 1, '9999999'], [0, '0'], [-1, '-1'], [20_000_000.5, '20000000.5']])(
    'rejects %j', (value, got) => {
      expect(problemsOf(value)).toEqual([
        `\`bytesScannedCutoffPerQuery\` must be a whole number of bytes of at least 10,000,000 (Athena's minimum), got: ${got}. `
        + `Use at least ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY}, e.g. the default ${DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY}.`,
      ]);
    });

  it('skips tokens: a CloudFormation parameter is checked by CloudFormation', () => {
    // given: number tokens, which are negative non-integers before resolution
    const stack = new Stack(new App(), 'S');
    const parameter = new CfnParameter(stack, 'Cutoff', { type: 'Number' }).valueAsNumber;
    const lazy = Lazy.number({ produce: () => 1 });
    expect(Token.isUnresolved(parameter)).toBe(true);
    expect(Number.isInteger(parameter) && parameter >= MIN_BYTES_SCANNED_CUTOFF_PER_QUERY).toBe(false);
    // when / then
    expect(problemsOf(parameter)).toEqual([]);
    expect(problemsOf(lazy)).toEqual([]);
  });
});
