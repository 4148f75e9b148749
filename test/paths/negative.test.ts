import { describe, expect, it } from 'vitest';
import { copyAssembly, editTemplate, exampleAssembly, pathOf, removeStatement, report, resourceId } from './helpers';

/**
 * One test per path kind: remove one statement or grant from a copy of the synthesized mesh.yaml assembly; the path
 * reports exactly that as its first failing step (principal, action, resource, missing statement).
 */
describe('runtime paths report the removed statement as the first failing step', () => {
  const base = () => copyAssembly(exampleAssembly('mesh.yaml'));

  it('cloudtrail: the audit bucket policy without s3:GetBucketAcl for CloudTrail', () => {
    const dir = base();
    editTemplate(dir, 'governance', (t) => {
      const id = resourceId(t, 'AWS::S3::BucketPolicy', 'GovernanceAuditBucketPolicy');
      removeStatement(t.Resources[id].Properties!.PolicyDocument, (st) => st.Action === 's3:GetBucketAcl');
    });
    const p = pathOf(report(dir), 'cloudtrail', 'acme-audit');
    expect(p.status).toBe('fail');
    expect(p.firstProblem).toMatchObject({
      call: 's3:GetBucketAcl', principal: 'cloudtrail.amazonaws.com', resource: 'arn:aws:s3:::acme-governance-audit-111111111111-eu-west-1',
      missing: expect.stringMatching(/^bucket policy governance\/GovernanceAuditBucketPolicy\w+ has no statement allowing cloudtrail\.amazonaws\.com s3:GetBucketAcl/),
    });
  });

  it('writer: the writer products policy without the object statement of orders', () => {
    const dir = base();
    editTemplate(dir, 'sales-storage', (t) => {
      const id = resourceId(t, 'AWS::IAM::ManagedPolicy', 'DomainWriterProductsPolicy');
      removeStatement(t.Resources[id].Properties!.PolicyDocument, (st) => st.Sid === 'WriteordersObjects');
    });
    const p = pathOf(report(dir), 'writer', 'sales writer → sales_orders');
    expect(p.firstProblem).toMatchObject({
      call: 's3:PutObject', principal: 'arn:aws:iam::222222222222:role/acme-sales-writer',
      resource: 'arn:aws:s3:::acme-sales-orders-222222222222-eu-west-1/order_lines/part-00000.parquet',
      missing: expect.stringMatching(/^no statement in the identity policies of arn:aws:iam::222222222222:role\/acme-sales-writer .* allows s3:PutObject/),
    });
    // The other product of the domain is unaffected.
    expect(pathOf(report(dir), 'writer', 'sales writer → sales_customers').firstProblem?.call).not.toBe('s3:PutObject');
  });

  it('credential-vending: the product bucket policy without the registration role\'s object statement', () => {
    const dir = base();
    editTemplate(dir, 'sales-storage', (t) => {
      const id = resourceId(t, 'AWS::S3::BucketPolicy', 'ProductordersBucketPolicy');
      removeStatement(t.Resources[id].Properties!.PolicyDocument, (st) => st.Sid === 'LakeFormationRegistrationObjects');
    });
    const p = pathOf(report(dir), 'credential-vending', 'arn:aws:s3:::acme-sales-orders-222222222222-eu-west-1');
    // The registration role is the one the location is registered with (its name is the constructs' choice).
    const role = p.steps[0].principal;
    expect(role).toMatch(/^arn:aws:iam::111111111111:role\/acme-/);
    expect(p.firstProblem).toMatchObject({
      call: 's3:GetObject', principal: role, resource: 'arn:aws:s3:::acme-sales-orders-222222222222-eu-west-1/table/part-00000.parquet',
      missing: `bucket policy ${p.firstProblem!.missing!.split(' ')[2]} has no statement allowing ${role} s3:GetObject on arn:aws:s3:::acme-sales-orders-222222222222-eu-west-1/table/part-00000.parquet`,
    });
    expect(p.firstProblem!.missing).toMatch(/^bucket policy sales-storage\/ProductordersBucketPolicy\w+ /);
  });

  it('domain-query: the query policy without the workgroup statement', () => {
    const dir = base();
    editTemplate(dir, 'sales-storage', (t) => {
      const id = resourceId(t, 'AWS::IAM::ManagedPolicy', 'DomainQueryPolicy');
      removeStatement(t.Resources[id].Properties!.PolicyDocument, (st) => st.Sid === 'QueryInOwnWorkgroup');
    });
    const p = pathOf(report(dir), 'domain-query', 'sales query → 111111111111:sales_orders.order_lines');
    expect(p.firstProblem).toMatchObject({
      call: 'athena:StartQueryExecution', principal: 'arn:aws:iam::222222222222:role/acme-sales-query',
      resource: 'arn:aws:athena:eu-west-1:222222222222:workgroup/acme-sales',
      missing: expect.stringMatching(/^no statement in the identity policies of arn:aws:iam::222222222222:role\/acme-sales-query/),
    });
  });

  it('consumer-query: without the DESCRIBE grant on the consumer\'s resource link', () => {
    const dir = base();
    editTemplate(dir, 'access-333333333333-eu-west-1', (t) => {
      delete t.Resources[resourceId(t, 'AWS::LakeFormation::PrincipalPermissions', 'AccessmarketingLinkGrantsalescustomers')];
    });
    const p = pathOf(report(dir), 'consumer-query', 'marketing query → 111111111111:sales_customers.customers');
    expect(p.firstProblem).toMatchObject({
      call: 'lakeformation:DESCRIBE', principal: 'arn:aws:iam::333333333333:role/acme-marketing-query', resource: '333333333333:sales_customers',
      missing: 'no resource link in account 333333333333 to 111111111111:sales_customers that arn:aws:iam::333333333333:role/acme-marketing-query may DESCRIBE',
    });
  });

  it('consumer-query: a column grant that exposes the pii column fails the refusal step', () => {
    const dir = base();
    editTemplate(dir, 'subscriptions-marketing', (t) => {
      t.Resources.LeakEmail = {
        Type: 'AWS::LakeFormation::PrincipalPermissions',
        Properties: {
          Permissions: ['SELECT'], PermissionsWithGrantOption: [],
          Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::333333333333:role/acme-marketing-query' },
          Resource: { TableWithColumns: { CatalogId: '111111111111', DatabaseName: 'sales_customers', Name: 'customers', ColumnNames: ['email'] } },
        },
      };
    });
    const p = pathOf(report(dir), 'consumer-query', 'marketing query → 111111111111:sales_customers.customers');
    expect(p.firstProblem).toMatchObject({
      call: 'lakeformation:SELECT (refused)', principal: 'arn:aws:iam::333333333333:role/acme-marketing-query',
      resource: '111111111111:sales_customers.customers.email', missing: expect.stringContaining('classified pii'),
    });
  });

  it('data-quality: the scheduler policy without iam:PassRole of the run role', () => {
    const dir = base();
    editTemplate(dir, 'catalog-marketing', (t) => {
      const id = resourceId(t, 'AWS::IAM::ManagedPolicy', 'CatalogleadsQualitySchedulerPolicy');
      removeStatement(t.Resources[id].Properties!.PolicyDocument, (st) => st.Action === 'iam:PassRole');
    });
    const p = pathOf(report(dir), 'data-quality', 'marketing_leads-leads');
    expect(p.firstProblem).toMatchObject({
      call: 'iam:PassRole', principal: expect.stringMatching(/^arn:aws:iam::111111111111:role\/⟦catalog-marketing\/CatalogleadsQualitySchedulerRole\w+⟧$/),
      resource: 'arn:aws:iam::111111111111:role/acme-marketing-leads-dq', missing: expect.stringMatching(/^no statement in the identity policies/),
    });
  });

  it('alarm-notification: with CloudWatch allowed by the topic policy, the key policy without the CloudWatch statement', () => {
    const dir = base();
    editTemplate(dir, 'marketing-storage', (t) => {
      const topicPolicy = resourceId(t, 'AWS::SNS::TopicPolicy', 'ProductleadsAlarmTopicPolicy');
      const topic = resourceId(t, 'AWS::SNS::Topic', 'ProductleadsAlarmTopic');
      t.Resources[topicPolicy].Properties!.PolicyDocument.Statement.push({
        Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: topic },
      });
    });
    // GIVEN the topic policy admits CloudWatch THEN the path is ok
    expect(pathOf(report(dir), 'alarm-notification', 'ProductleadsFreshnessAlarm').status).toBe('ok');
    editTemplate(dir, 'marketing-storage', (t) => {
      const key = resourceId(t, 'AWS::KMS::Key', 'DomainKey');
      removeStatement(t.Resources[key].Properties!.KeyPolicy, (st) => st.Sid === 'AllowCloudWatchAlarmsToNotify');
    });
    const p = pathOf(report(dir), 'alarm-notification', 'ProductleadsFreshnessAlarm');
    expect(p.firstProblem).toMatchObject({
      call: 'kms:GenerateDataKey', principal: 'cloudwatch.amazonaws.com',
      resource: expect.stringMatching(/^arn:aws:kms:eu-west-1:333333333333:key\/⟦marketing-storage\/DomainKey\w+⟧$/),
      missing: expect.stringMatching(/^key policy of marketing-storage\/DomainKey\w+ has no statement allowing cloudwatch\.amazonaws\.com kms:GenerateDataKey$/),
    });
  });
});
