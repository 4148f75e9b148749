import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, it } from 'vitest';
import { expectCompliant, expectFlagged, newStack } from './nag-test-utils';

const ID = 'DataMesh-IAMNoLakeFormationOrGlueWildcard';

describe(ID, () => {
  it('compliant: named Lake Formation and Glue actions on Resource "*"', () => {
    const { stack } = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess', 'glue:GetTable'], resources: ['*'] }));
    expectCompliant(stack, ID);
  });

  it('compliant: glue:* scoped to a database', () => {
    const { stack } = newStack();
    new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['glue:*'], resources: ['arn:aws:glue:eu-west-1:111111111111:database/sales_orders'] })],
    });
    expectCompliant(stack, ID);
  });

  it('compliant: a Deny of lakeformation:* on "*"', () => {
    const { stack } = newStack();
    new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['lakeformation:*'], resources: ['*'] })],
    });
    expectCompliant(stack, ID);
  });

  it('non-compliant: lakeformation:* on "*" in a role\'s default policy (AWS::IAM::Policy)', () => {
    const { stack } = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['lakeformation:*'], resources: ['*'] }));
    expectFlagged(stack, ID, ['Test/Role/DefaultPolicy/Resource']);
  });

  it('non-compliant: glue:* on "*" in an inline policy of an AWS::IAM::Role', () => {
    const { stack } = newStack();
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      inlinePolicies: { catalog: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['GLUE:*'], resources: ['*'] })] }) },
    });
    expectFlagged(stack, ID, ['Test/Role/Resource']);
  });

  it('non-compliant: "*" on "*" in an AWS::IAM::ManagedPolicy', () => {
    const { stack } = newStack();
    new iam.ManagedPolicy(stack, 'Policy', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    expectFlagged(stack, ID, ['Test/Policy/Resource']);
  });

  it('non-compliant: glue:* with NotResource', () => {
    const { stack } = newStack();
    new iam.ManagedPolicy(stack, 'Policy', {
      statements: [new iam.PolicyStatement({ actions: ['glue:*'], notResources: ['arn:aws:glue:eu-west-1:111111111111:database/hr'] })],
    });
    expectFlagged(stack, ID, ['Test/Policy/Resource']);
  });
});
