import { Token } from 'aws-cdk-lib';
import { DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY, MIN_BYTES_SCANNED_CUTOFF_PER_QUERY } from './defaults';
import { ProblemCollector } from './errors';

/** Athena's per-query scan limit. Tokens (e.g. CloudFormation parameters) are checked by CloudFormation instead. */
export function validateCutoff(c: ProblemCollector, value: number): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < MIN_BYTES_SCANNED_CUTOFF_PER_QUERY) {
    c.add('bytesScannedCutoffPerQuery', `must be a whole number of bytes of at least ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY.toLocaleString('en-US')} (Athena's minimum)`,
      value, `Use at least ${MIN_BYTES_SCANNED_CUTOFF_PER_QUERY}, e.g. the default ${DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY}.`);
  }
}
