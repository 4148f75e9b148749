import { CfnParameter } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { describe, it } from 'vitest';
import { DEFAULT_ATHENA_ENGINE_VERSION, DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY } from '../../lib/defaults';
import { expectCompliant, expectFlagged, newStack } from './nag-test-utils';

type Config = athena.CfnWorkGroup.WorkGroupConfigurationProperty;

function workgroup(scope: Construct, id: string, overrides: Partial<Config> = {}): athena.CfnWorkGroup {
  const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true });
  return new athena.CfnWorkGroup(scope, id, {
    name: 'acme-sales',
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      bytesScannedCutoffPerQuery: DEFAULT_BYTES_SCANNED_CUTOFF_PER_QUERY,
      engineVersion: { selectedEngineVersion: DEFAULT_ATHENA_ENGINE_VERSION },
      resultConfiguration: {
        outputLocation: 's3://acme-sales-athena-results/',
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
      },
      ...overrides,
    },
  });
}

describe('DataMesh-AthenaWorkGroupEnforceConfiguration', () => {
  const id = 'DataMesh-AthenaWorkGroupEnforceConfiguration';

  it('compliant: EnforceWorkGroupConfiguration true', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup');
    expectCompliant(stack, id);
  });

  it('non-compliant: EnforceWorkGroupConfiguration false', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { enforceWorkGroupConfiguration: false });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('non-compliant: a workgroup without configuration', () => {
    const { stack } = newStack();
    new athena.CfnWorkGroup(stack, 'Workgroup', { name: 'adhoc' });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });
});

describe('DataMesh-AthenaWorkGroupResultsKmsEncrypted', () => {
  const id = 'DataMesh-AthenaWorkGroupResultsKmsEncrypted';

  it('compliant: SSE_KMS with the domain key', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup');
    expectCompliant(stack, id);
  });

  it('compliant: Athena managed query results encrypted with a KMS key', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', {
      resultConfiguration: undefined,
      managedQueryResultsConfiguration: { enabled: true, encryptionConfiguration: { kmsKey: 'arn:aws:kms:eu-west-1:111111111111:key/abc' } },
    });
    expectCompliant(stack, id);
  });

  it('non-compliant: SSE_S3', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { resultConfiguration: { outputLocation: 's3://results/', encryptionConfiguration: { encryptionOption: 'SSE_S3' } } });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('non-compliant: SSE_KMS without a key', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { resultConfiguration: { outputLocation: 's3://results/', encryptionConfiguration: { encryptionOption: 'SSE_KMS' } } });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('non-compliant: results not encrypted', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { resultConfiguration: { outputLocation: 's3://results/' } });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('compliant: managed query results given by a parameter cannot be judged and pass', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { resultConfiguration: undefined, managedQueryResultsConfiguration: new CfnParameter(stack, 'Managed').value as never });
    expectCompliant(stack, id);
  });

  it('non-compliant: managed query results without a KMS key', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { resultConfiguration: undefined, managedQueryResultsConfiguration: { enabled: true } });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });
});

describe('DataMesh-AthenaWorkGroupBytesScannedCutoff', () => {
  const id = 'DataMesh-AthenaWorkGroupBytesScannedCutoff';

  it('compliant: the default cutoff', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup');
    expectCompliant(stack, id);
  });

  it('compliant: exactly Athena\'s minimum of 10,000,000 bytes', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { bytesScannedCutoffPerQuery: 10_000_000 });
    expectCompliant(stack, id);
  });

  it('non-compliant: no cutoff', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { bytesScannedCutoffPerQuery: undefined });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('non-compliant: below Athena\'s minimum', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { bytesScannedCutoffPerQuery: 9_999_999 });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('compliant: a cutoff from a parameter cannot be judged and passes', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { bytesScannedCutoffPerQuery: new CfnParameter(stack, 'Cutoff', { type: 'Number' }).valueAsNumber });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-AthenaWorkGroupPinnedEngineVersion', () => {
  const id = 'DataMesh-AthenaWorkGroupPinnedEngineVersion';

  it('compliant: Athena engine version 3', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup');
    expectCompliant(stack, id);
  });

  it('non-compliant: AUTO', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { engineVersion: { selectedEngineVersion: 'AUTO' } });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });

  it('non-compliant: no engine version', () => {
    const { stack } = newStack();
    workgroup(stack, 'Workgroup', { engineVersion: undefined });
    expectFlagged(stack, id, ['Test/Workgroup']);
  });
});
