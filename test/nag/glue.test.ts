import { CfnParameter, CfnResource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { describe, it } from 'vitest';
import { ACCOUNT, OTHER_ACCOUNT, expectCompliant, expectFlagged, newStack } from './nag-test-utils';

function database(scope: Construct, id: string, input: Partial<glue.CfnDatabase.DatabaseInputProperty> = {}): glue.CfnDatabase {
  return new glue.CfnDatabase(scope, id, {
    catalogId: ACCOUNT,
    databaseInput: {
      name: 'sales_orders',
      description: 'Every confirmed order',
      createTableDefaultPermissions: [],
      parameters: { data_product: 'true', owner: 'sales-data-team' },
      ...input,
    },
  });
}

function resourceLink(scope: Construct, id: string): glue.CfnDatabase {
  return new glue.CfnDatabase(scope, id, {
    catalogId: ACCOUNT,
    databaseInput: { name: 'sales_orders', targetDatabase: { catalogId: OTHER_ACCOUNT, databaseName: 'sales_orders', region: 'eu-west-1' } },
  });
}

describe('DataMesh-GlueDatabaseNoDefaultPermissions', () => {
  const id = 'DataMesh-GlueDatabaseNoDefaultPermissions';

  it('compliant: CreateTableDefaultPermissions []', () => {
    const { stack } = newStack();
    database(stack, 'Database');
    expectCompliant(stack, id);
  });

  it('non-compliant: CreateTableDefaultPermissions left out', () => {
    const { stack } = newStack();
    database(stack, 'Database', { createTableDefaultPermissions: undefined });
    expectFlagged(stack, id, ['Test/Database']);
  });

  it('non-compliant: new tables grant IAM_ALLOWED_PRINCIPALS', () => {
    const { stack } = newStack();
    database(stack, 'Database', {
      createTableDefaultPermissions: [{ principal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, permissions: ['ALL'] }],
    });
    expectFlagged(stack, id, ['Test/Database']);
  });

  it('not applicable: a resource link', () => {
    const { stack } = newStack();
    resourceLink(stack, 'Link');
    expectCompliant(stack, id);
  });

  it('compliant: a DatabaseInput given by a parameter cannot be judged and passes', () => {
    const { stack } = newStack();
    new CfnResource(stack, 'Database', {
      type: 'AWS::Glue::Database',
      properties: { CatalogId: ACCOUNT, DatabaseInput: new CfnParameter(stack, 'Input').value },
    });
    expectCompliant(stack, id);
  });
});

describe('DataMesh-GlueProductDatabaseMetadata', () => {
  const id = 'DataMesh-GlueProductDatabaseMetadata';

  it('compliant: a product database with owner and description', () => {
    const { stack } = newStack();
    database(stack, 'Database');
    expectCompliant(stack, id);
  });

  it('non-compliant: a product database without owner', () => {
    const { stack } = newStack();
    database(stack, 'Database', { parameters: { data_product: 'true' } });
    expectFlagged(stack, id, ['Test/Database']);
  });

  it('non-compliant: a product database with a blank description', () => {
    const { stack } = newStack();
    database(stack, 'Database', { description: '  ' });
    expectFlagged(stack, id, ['Test/Database']);
  });

  it('not applicable: a database that is not a product', () => {
    const { stack } = newStack();
    database(stack, 'Database', { description: undefined, parameters: { purpose: 'staging' } });
    expectCompliant(stack, id);
  });

  it('not applicable: a resource link', () => {
    const { stack } = newStack();
    resourceLink(stack, 'Link');
    expectCompliant(stack, id);
  });

  it('compliant: an owner given by a parameter counts as set', () => {
    const { stack } = newStack();
    database(stack, 'Database', { parameters: { data_product: 'true', owner: new CfnParameter(stack, 'Owner').valueAsString } });
    expectCompliant(stack, id);
  });
});
