import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataProduct, DataProductProps, ProductStorage } from '../../constructs';
import { toYaml } from '../../lib/contracts/export';
import { parseDqdl } from '../../lib/contracts/dqdl';
import { CONTRACT_COMMENT_CLIPPED, CONTRACT_RULE_UNSUPPORTED, CONTRACT_SERVER_UNSUPPORTED } from '../../lib/contracts/warnings';
import { DEFAULT_QUALITY_SCHEDULE, MAX_FRESHNESS_WINDOW_DAYS } from '../../lib/defaults';
import { DataMeshValidationError } from '../../lib/errors';
import { ACCOUNT, DOMAIN, MESH, REGION, buildMinimalMesh, captureValidationError, expectProblem, productProps } from '../helpers/app';
import { productDefinition, ProductDefinition } from '../helpers/contract-arbitraries';
import { buildContractMesh, ContractMesh, propertiesOfType, tableInputs, warningsOf } from '../helpers/contract-app';
import {
  COMMENT_LIMIT, contractTags, ExpectedColumn, expectedDatabaseParameters, expectedOwner, expectedQuality, expectedTables, ORDERS_CONTRACT,
  REPO_ROOT, readContract, slaSeconds, supportEmails,
} from '../helpers/contract-expected';
import { describeFindings, nagFindings } from '../helpers/nag';
import { CfnTemplate, Json, actionsOf, asArray, flattenArn, logicalIdOf, managedPoliciesOfRole, resourcesOfType } from '../helpers/template';

/** The example contract as plain data: every expected value below is read from it. */
const contract: Json = readContract(ORDERS_CONTRACT);
const tables = expectedTables(contract);
const quality = new Map(tables.map((t) => [t.name, expectedQuality(contract.schema[t.index], t.index)]));
const checkedTables = tables.filter((t) => quality.get(t.name)!.rules.length > 0).map((t) => t.name);
const DATABASE = `${DOMAIN}_${contract.dataProduct}`;
const BUCKET = `${MESH}-${DOMAIN}-${contract.dataProduct}-${ACCOUNT}-${REGION}`;
const SERDES: Readonly<Record<string, string>> = {
  parquet: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  json: 'org.openx.data.jsonserde.JsonSerDe',
  csv: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
};

/** The Glue column a contract property becomes: the description as comment, clipped to Glue's limit. */
function expectColumn(actual: Json, e: ExpectedColumn, where: string): void {
  expect(actual.Name, where).toBe(e.name);
  expect(actual.Type, `${where} type`).toBe(e.type);
  if (e.description === undefined) {
    expect(actual.Comment, `${where} comment`).toBeUndefined();
  } else if (e.description.length <= COMMENT_LIMIT) {
    expect(actual.Comment, `${where} comment`).toBe(e.description);
  } else {
    expect(actual.Comment, `${where} comment`).toHaveLength(COMMENT_LIMIT);
    expect(e.description.startsWith(actual.Comment.slice(0, COMMENT_LIMIT - 3)), `${where} comment is a prefix of the description`).toBe(true);
  }
}

/** Warnings of a construct path after synthesis, as `{ id, message }`. */
function synthWarnings(template: Annotations, constructPath: string): { id: string; message: string }[] {
  return template.findWarning(constructPath, Match.anyValue()).map((m) => {
    const text = String(m.entry.data);
    const ack = /\s*\[ack: ([^\]]+)\]$/.exec(text);
    return { id: ack?.[1] ?? '', message: ack ? text.slice(0, ack.index) : text };
  });
}

const sortedJson = (xs: readonly Json[]) => xs.map((x) => JSON.stringify(x)).sort();

describe('DataProduct.fromContract(examples/contracts/orders.odcs.yaml)', () => {
  let mesh: ContractMesh;
  let product: DataProduct;
  let json: CfnTemplate;
  let annotations: Annotations;

  beforeAll(() => {
    // given a single-account mesh whose ontology has the contract's cost_center tag
    const costCenter = contractTags(contract).cost_center;
    expect(costCenter, 'the example contract carries a cost_center tag').toBeDefined();
    mesh = buildContractMesh({ costCenters: [...new Set([costCenter, 'marketing'])] });
    // when the product is created from the contract file (a path relative to the repository root, resolved)
    product = DataProduct.fromContract(mesh.stack, 'Orders', {
      domain: mesh.domain, governance: mesh.governance, contract: path.resolve(REPO_ROOT, 'examples/contracts/orders.odcs.yaml'),
    });
    const template = Template.fromStack(mesh.stack);
    json = template.toJSON() as CfnTemplate;
    annotations = Annotations.fromStack(mesh.stack);
  });

  const res = (construct: Parameters<typeof logicalIdOf>[0]) => json.Resources[logicalIdOf(construct)];

  describe('tables', () => {
    it('creates one Glue table per schema object, named by physicalName else name, in the product database', () => {
      // then
      expect(product.databaseName).toBe(DATABASE);
      expect(Object.keys(tableInputs(json, DATABASE)).sort()).toEqual(tables.map((t) => t.name).sort());
      expect(resourcesOfType(json, 'AWS::Glue::Table')).toHaveLength(tables.length);
      expect(product.tables.map((t) => t.name)).toEqual(tables.map((t) => t.name));
    });

    it('gives each table its description and a location below the product bucket', () => {
      const inputs = tableInputs(json, DATABASE);
      for (const t of tables) {
        expect(inputs[t.name].Description, t.name).toBe(t.description);
        expect(inputs[t.name].StorageDescriptor.Location, t.name).toBe(`s3://${BUCKET}/${t.name}/`);
        expect(inputs[t.name].TableType, t.name).toBe('EXTERNAL_TABLE');
      }
    });

    it('maps every property to a column of its name and Glue type, in document order, with its description as comment', () => {
      const inputs = tableInputs(json, DATABASE);
      for (const t of tables) {
        // then: the data columns, in the order of the contract
        const columns: Json[] = inputs[t.name].StorageDescriptor.Columns;
        expect(columns.map((c) => c.Name), t.name).toEqual(t.columns.map((c) => c.name));
        t.columns.forEach((c, i) => expectColumn(columns[i], c, `${t.name}.${c.name}`));
      }
    });

    it('moves partitioned properties to PartitionKeys in partitionKeyPosition order (and keeps PartitionKeys when empty)', () => {
      const inputs = tableInputs(json, DATABASE);
      expect(tables.some((t) => t.partitionKeys.length >= 2), 'the example partitions a table by two keys').toBe(true);
      for (const t of tables) {
        const keys: Json[] = inputs[t.name].PartitionKeys;
        expect(keys, t.name).toBeDefined();
        expect(keys.map((k) => k.Name), t.name).toEqual(t.partitionKeys.map((k) => k.name));
        t.partitionKeys.forEach((k, i) => expectColumn(keys[i], k, `${t.name} partition ${k.name}`));
        // and no partition column is also a data column
        const data = new Set(inputs[t.name].StorageDescriptor.Columns.map((c: Json) => c.Name));
        for (const k of t.partitionKeys) expect(data.has(k.name), `${t.name}.${k.name}`).toBe(false);
      }
    });

    it('clips descriptions longer than Glue\'s comment limit to 255 characters and warns (cdk-data-mesh:contract-comment-clipped)', () => {
      // given the properties of the contract whose description is too long for a comment
      const long = tables.flatMap((t) => [...t.columns, ...t.partitionKeys].filter((c) => (c.description ?? '').length > COMMENT_LIMIT)
        .map((c) => ({ t, c })));
      expect(long.length, 'the example has a description longer than 255 characters').toBeGreaterThan(0);
      const warnings = synthWarnings(annotations, '/Mesh/Orders').filter((w) => w.id === CONTRACT_COMMENT_CLIPPED);
      for (const { t, c } of long) {
        // then the column comment is 255 characters, and a warning names the property with its position in the file
        const column = [...tableInputs(json, DATABASE)[t.name].StorageDescriptor.Columns, ...tableInputs(json, DATABASE)[t.name].PartitionKeys]
          .find((x: Json) => x.Name === c.name);
        expect(column.Comment).toHaveLength(COMMENT_LIMIT);
        const field = `schema[${t.index}].properties[${c.index}].description`;
        const w = warnings.find((x) => x.message.includes(`\`${field}\``));
        expect(w, `clipped warning for ${field}`).toBeDefined();
        expect(w!.message).toMatch(new RegExp(`^${ORDERS_CONTRACT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
        expect(w!.message).toContain(`${c.description!.length} characters`);
      }
      expect(warnings).toHaveLength(long.length);
    });

    it('sets the table parameter classification to the file format (custom property format, else the S3 server\'s), with its SerDe', () => {
      const inputs = tableInputs(json, DATABASE);
      expect(new Set(tables.map((t) => t.format)).size, 'the example uses two formats').toBeGreaterThan(1);
      for (const t of tables) {
        expect(inputs[t.name].Parameters.classification, t.name).toBe(t.format);
        expect(inputs[t.name].StorageDescriptor.SerdeInfo.SerializationLibrary, t.name).toBe(SERDES[t.format]);
      }
    });

    it('records primary key, required and unique properties as table parameters contract.primary_key / contract.required / contract.unique', () => {
      const inputs = tableInputs(json, DATABASE);
      expect(tables.some((t) => t.parameters['contract.primary_key'] !== undefined), 'the example has a primary key').toBe(true);
      for (const t of tables) {
        const actual = Object.fromEntries(Object.entries(inputs[t.name].Parameters as Record<string, string>).filter(([k]) => k.startsWith('contract.')));
        expect(actual, t.name).toEqual(t.parameters);
      }
    });
  });

  describe('LF-tags', () => {
    const associations = () => propertiesOfType(json, 'AWS::LakeFormation::TagAssociation');

    it('tags each classified property\'s column with its classification, one TableWithColumns association per value', () => {
      // given the classified properties of the contract (the pii email among them)
      const expected = tables.flatMap((t) => {
        const byValue = new Map<string, string[]>();
        for (const c of [...t.columns, ...t.partitionKeys].sort((a, b) => a.index - b.index)) {
          if (c.classification !== undefined) byValue.set(c.classification, [...(byValue.get(c.classification) ?? []), c.name]);
        }
        return [...byValue].map(([value, columns]) => ({ table: t.name, value, columns }));
      });
      expect(expected.some((e) => e.value === 'pii'), 'the example has a pii column').toBe(true);
      // then
      const actual = associations().filter((a) => a.Resource.TableWithColumns).map((a) => ({
        table: a.Resource.TableWithColumns.Name,
        database: a.Resource.TableWithColumns.DatabaseName,
        columns: a.Resource.TableWithColumns.ColumnNames,
        tags: a.LFTags.map((l: Json) => [l.TagKey, l.TagValues]),
      }));
      expect(sortedJson(actual)).toEqual(sortedJson(expected.map((e) => ({
        table: e.table, database: DATABASE, columns: e.columns, tags: [['classification', [e.value]]],
      }))));
    });

    it('tags a table with the classification of its schema object, and no other table', () => {
      expect(tables.some((t) => t.classification !== undefined)).toBe(true);
      const actual = associations().filter((a) => a.Resource.Table).map((a) => ({
        table: a.Resource.Table.Name, database: a.Resource.Table.DatabaseName, tags: a.LFTags.map((l: Json) => [l.TagKey, l.TagValues]),
      }));
      expect(sortedJson(actual)).toEqual(sortedJson(tables.filter((t) => t.classification !== undefined).map((t) => ({
        table: t.name, database: DATABASE, tags: [['classification', [t.classification]]],
      }))));
    });

    it('tags the database with the domain, the classification tag and the ontology tags of the contract', () => {
      const tags = contractTags(contract);
      const db = associations().filter((a) => a.Resource.Database?.Name === DATABASE);
      expect(db).toHaveLength(1);
      expect(Object.fromEntries(db[0].LFTags.map((l: Json) => [l.TagKey, l.TagValues]))).toEqual({
        domain: [DOMAIN], classification: [tags.classification], cost_center: [tags.cost_center],
      });
      expect(product.classification).toBe(tags.classification);
    });

    it('keeps columns classified above the query role maximum out of the domain query role\'s grants', () => {
      const pii = tables.flatMap((t) => t.columns.filter((c) => c.classification === 'pii').map((c) => ({ t, c })));
      for (const { t, c } of pii) {
        const grants = propertiesOfType(json, 'AWS::LakeFormation::PrincipalPermissions').filter((g) => JSON.stringify(g.Principal).includes(`${MESH}-${DOMAIN}-query`)
          && (g.Resource.Table ?? g.Resource.TableWithColumns)?.Name === t.name);
        const select = grants.filter((g) => g.Permissions.includes('SELECT'));
        expect(select, t.name).toHaveLength(1);
        // Allowed columns are granted by name (fail closed): the excluded column is not among them.
        expect(select[0].Resource.TableWithColumns.ColumnWildcard, t.name).toBeUndefined();
        expect(select[0].Resource.TableWithColumns.ColumnNames, t.name).not.toContain(c.name);
      }
    });
  });

  describe('database', () => {
    it('carries the contract identity, custom properties, team, support and SLA as database parameters', () => {
      // given
      const expected = expectedDatabaseParameters(contract, checkedTables);
      // then
      const db = propertiesOfType(json, 'AWS::Glue::Database').find((d) => d.DatabaseInput.Name === DATABASE);
      expect(db.DatabaseInput.Parameters).toEqual(expect.objectContaining(expected));
      expect(db.DatabaseInput.Parameters).toEqual(expect.objectContaining({
        owner: expectedOwner(contract),
        contact: supportEmails(contract)[0],
        classification_level: contractTags(contract).classification,
        product: contract.dataProduct,
        domain: DOMAIN,
      }));
      expect(db.DatabaseInput.Description).toBe(contract.description.purpose);
    });
  });

  describe('data quality', () => {
    it('creates one DQ ruleset per table with supported rules, named <database>-<table> and targeting the table', () => {
      const rulesets = propertiesOfType(json, 'AWS::Glue::DataQualityRuleset');
      expect(checkedTables.length).toBeGreaterThan(0);
      expect(rulesets.map((r) => r.Name).sort()).toEqual(checkedTables.map((t) => `${DATABASE}-${t}`).sort());
      for (const r of rulesets) expect(r.TargetTable).toEqual({ DatabaseName: DATABASE, TableName: r.Name.slice(DATABASE.length + 1) });
    });

    it('writes a DQDL rule for every supported quality rule of the contract, object rules first, then property rules in order', () => {
      for (const table of checkedTables) {
        // given
        const expected = quality.get(table)!.rules;
        const ruleset = propertiesOfType(json, 'AWS::Glue::DataQualityRuleset').find((r) => r.TargetTable.TableName === table).Ruleset as string;
        // then: a `Rules = [ ... ]` ruleset the toolkit's DQDL parser reads, with one rule per contract rule
        expect(ruleset).toMatch(/^Rules = \[[\s\S]*\]$/);
        const t = tables.find((x) => x.name === table)!;
        const parsed = parseDqdl(ruleset, { columns: [...t.columns, ...t.partitionKeys].map((c) => c.name) });
        expect(parsed.problems).toEqual([]);
        const rules = parsed.rules.map((r) => r.text.trim());
        expect(rules, ruleset).toHaveLength(expected.length);
        expected.forEach((e, i) => {
          if (typeof e === 'string') expect(rules[i], `rule ${i}`).toBe(e);
          else expect(rules[i], `rule ${i}`).toMatch(e);
        });
      }
      // e.g. the order_id rules of the example
      const orders = propertiesOfType(json, 'AWS::Glue::DataQualityRuleset').find((r) => r.TargetTable.TableName === 'orders').Ruleset;
      expect(orders).toContain('IsComplete "order_id"');
      expect(orders).toContain('IsUnique "order_id"');
    });

    it(`evaluates each ruleset on the default schedule ${DEFAULT_QUALITY_SCHEDULE} through EventBridge Scheduler`, () => {
      const catalog = product.catalog;
      const runRole = logicalIdOf(catalog.node.findChild('QualityRole'));
      const schedulerRole = logicalIdOf(catalog.node.findChild('QualitySchedulerRole'));
      const schedules = propertiesOfType(json, 'AWS::Scheduler::Schedule');
      expect(schedules).toHaveLength(checkedTables.length);
      for (const table of checkedTables) {
        const name = `${DATABASE}-${table}`;
        const s = schedules.find((x) => x.Description === `Evaluates ${name}`);
        expect(s, table).toBeDefined();
        expect(s.ScheduleExpression).toBe('rate(1 day)');
        expect(flattenArn(s.Target.Arn)).toBe('arn:aws:scheduler:::aws-sdk:glue:startDataQualityRulesetEvaluationRun');
        expect(s.Target.RoleArn).toEqual({ 'Fn::GetAtt': [schedulerRole, 'Arn'] });
        expect(JSON.parse(flattenArn(s.Target.Input))).toEqual({
          DataSource: { GlueTable: { DatabaseName: DATABASE, TableName: table } },
          Role: `<${runRole}.Arn>`,
          RulesetNames: [name],
        });
      }
    });

    it('lets the scheduler role start the evaluations and pass the run role to Glue, through managed policies', () => {
      const catalog = product.catalog;
      const runRole = logicalIdOf(catalog.node.findChild('QualityRole'));
      const schedulerRole = logicalIdOf(catalog.node.findChild('QualitySchedulerRole'));
      const rulesetArns = checkedTables.map((t) => `arn:aws:glue:${REGION}:${ACCOUNT}:dataQualityRuleset/${DATABASE}-${t}`);
      // then: the scheduler role is assumed by EventBridge Scheduler of this account only
      const trust = json.Resources[schedulerRole].Properties.AssumeRolePolicyDocument.Statement;
      expect(trust).toEqual([expect.objectContaining({
        Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      })]);
      const schedulerPolicies = managedPoliciesOfRole(json, schedulerRole);
      expect(schedulerPolicies).toHaveLength(1);
      const statements: Json[] = schedulerPolicies[0][1].Properties.PolicyDocument.Statement;
      const start = statements.find((s) => actionsOf(s).includes('glue:StartDataQualityRulesetEvaluationRun'));
      expect(asArray<Json>(start.Resource).map(flattenArn).sort()).toEqual(rulesetArns.sort());
      const pass = statements.find((s) => actionsOf(s).includes('iam:PassRole'));
      expect(pass.Resource).toEqual({ 'Fn::GetAtt': [runRole, 'Arn'] });
      expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } });
      // and the run role is Glue's, with a managed policy to read the rulesets and the catalog
      expect(json.Resources[runRole].Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'glue.amazonaws.com' } })]);
      const runPolicies = managedPoliciesOfRole(json, runRole);
      expect(runPolicies).toHaveLength(1);
      const run: Json[] = runPolicies[0][1].Properties.PolicyDocument.Statement;
      const read = run.find((s) => actionsOf(s).includes('glue:GetDataQualityRuleset'));
      expect(asArray<Json>(read.Resource).map(flattenArn)).toEqual(expect.arrayContaining(rulesetArns));
      expect(run.some((s) => actionsOf(s).includes('lakeformation:GetDataAccess'))).toBe(true);
    });

    it('grants the run role DESCRIBE on the database and SELECT on every column of exactly the checked tables', () => {
      const runRole = logicalIdOf(product.catalog.node.findChild('QualityRole'));
      const grants = propertiesOfType(json, 'AWS::LakeFormation::PrincipalPermissions')
        .filter((g) => JSON.stringify(g.Principal.DataLakePrincipalIdentifier) === JSON.stringify({ 'Fn::GetAtt': [runRole, 'Arn'] }));
      expect(grants.filter((g) => g.Resource.Database)).toEqual([expect.objectContaining({
        Permissions: ['DESCRIBE'], Resource: { Database: { CatalogId: ACCOUNT, Name: DATABASE } },
      })]);
      const tableGrants = grants.filter((g) => !g.Resource.Database);
      // every column (the pii one too): no column wildcard exclusions
      expect(tableGrants.every((g) => g.Resource.Table !== undefined)).toBe(true);
      expect(tableGrants.map((g) => g.Resource.Table.Name).sort()).toEqual([...checkedTables].sort());
      for (const g of tableGrants) {
        expect(g.Permissions).toContain('SELECT');
        expect(g.PermissionsWithGrantOption).toEqual([]);
      }
    });
  });

  describe('freshness and retention', () => {
    const latency = slaSeconds(contract, 'latency')!;

    it('alarms when the product location got no PutRequests for the contract\'s latency, missing data breaching', () => {
      expect(latency, 'the example sets a latency').toBeDefined();
      const alarm = res(product.freshnessAlarm!).Properties;
      expect(alarm).toEqual(expect.objectContaining({
        Namespace: 'AWS/S3',
        MetricName: 'PutRequests',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      }));
      expect(alarm.Dimensions).toEqual([{ Name: 'BucketName', Value: BUCKET }, { Name: 'FilterId', Value: 'freshness' }]);
      expect(alarm.EvaluationPeriods * alarm.Period).toBe(latency);
      expect(alarm.DatapointsToAlarm).toBe(alarm.EvaluationPeriods);
    });

    it('adds the metrics configuration the alarm\'s FilterId names to the product bucket', () => {
      const bucket = res(product.bucket).Properties;
      const alarm = res(product.freshnessAlarm!).Properties;
      const filterId = alarm.Dimensions.find((d: Json) => d.Name === 'FilterId').Value;
      expect(bucket.BucketName).toBe(BUCKET);
      // a dedicated bucket: the whole bucket is the product's location, no prefix filter
      expect(bucket.MetricsConfigurations).toEqual([{ Id: filterId }]);
    });

    it('notifies an SNS topic encrypted with the domain key, with an email subscription per support address, on alarm and on OK', () => {
      const topic = product.alarmTopic!;
      const topicId = logicalIdOf(topic);
      expect(res(topic).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalIdOf(product.domain.key), 'Arn'] });
      const subscriptions = propertiesOfType(json, 'AWS::SNS::Subscription').filter((s) => s.TopicArn.Ref === topicId);
      const emails = supportEmails(contract);
      expect(emails.length).toBeGreaterThan(1);
      expect(subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual(emails.map((e) => ['email', e]).sort());
      const alarm = res(product.freshnessAlarm!).Properties;
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    });

    it('lets CloudWatch (of this account) use the domain key to publish to the encrypted topic', () => {
      const statements: Json[] = res(product.domain.key).Properties.KeyPolicy.Statement;
      const cw = statements.filter((s) => JSON.stringify(s.Principal ?? {}).includes('cloudwatch.amazonaws.com'));
      expect(cw).toEqual([{
        Sid: 'AllowCloudWatchAlarmsToNotify',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      }]);
    });

    it('expires objects after the contract\'s retention, in whole days', () => {
      const retention = slaSeconds(contract, 'retention');
      expect(retention, 'the example sets a retention').toBeDefined();
      const rules: Json[] = res(product.bucket).Properties.LifecycleConfiguration.Rules;
      expect(rules.filter((r) => r.Id === 'retention')).toEqual([{ Id: 'retention', Status: 'Enabled', ExpirationInDays: Math.ceil(retention! / 86_400) }]);
    });
  });

  describe('warnings', () => {
    it('warns on the product about every quality rule it does not run (cdk-data-mesh:contract-rule-unsupported)', () => {
      const expected = tables.flatMap((t) => quality.get(t.name)!.unsupported);
      expect(expected.length, 'the example has unsupported rules').toBeGreaterThan(0);
      const warnings = synthWarnings(annotations, '/Mesh/Orders').filter((w) => w.id === CONTRACT_RULE_UNSUPPORTED);
      const fields = warnings.map((w) => /^\S+:\d+:\d+ `([^`]+)`/.exec(w.message)?.[1]);
      expect(fields.sort()).toEqual([...expected].sort());
      for (const w of warnings) expect(w.message.startsWith(`${ORDERS_CONTRACT}:`)).toBe(true);
    });

    it('warns on the product about every server that is not S3 (cdk-data-mesh:contract-server-unsupported)', () => {
      const expected = (contract.servers as Json[]).map((s, i) => ({ s, i })).filter(({ s }) => s.type !== 's3');
      expect(expected.length).toBeGreaterThan(0);
      const warnings = synthWarnings(annotations, '/Mesh/Orders').filter((w) => w.id === CONTRACT_SERVER_UNSUPPORTED);
      expect(warnings).toHaveLength(expected.length);
      for (const { s, i } of expected) {
        const w = warnings.find((x) => x.message.includes(`\`servers[${i}].type\``));
        expect(w, `servers[${i}]`).toBeDefined();
        expect(w!.message).toContain(`"${s.type}"`);
        expect(w!.message).toContain(`"${s.server}"`);
      }
    });

    it('raises no error annotation', () => {
      expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('compliance', () => {
    it('passes the cdk-nag compliance packs without a finding', () => {
      const findings = nagFindings(mesh.app);
      expect(findings, describeFindings(findings)).toEqual([]);
    });
  });
});

describe('DataProduct.fromContract with an inline contract object', () => {
  /** A minimal contract: one table, one rule, a daily-scale latency, a retention and one support address; no team. */
  const inline = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-web-orders',
    version: '0.1.0',
    status: 'draft',
    domain: 'sales',
    dataProduct: 'Web Orders',
    description: { purpose: 'Orders placed in the web shop' },
    schema: [{
      name: 'web_orders',
      logicalType: 'object',
      properties: [
        { name: 'id', logicalType: 'string', required: true, quality: [{ metric: 'nullValues', mustBe: 0 }] },
        { name: 'amount', logicalType: 'number', logicalTypeOptions: { precision: 10, scale: 2 } },
      ],
    }],
    slaProperties: [{ property: 'latency', value: 2, unit: 'd' }, { property: 'retention', value: 30, unit: 'd' }],
    support: [{ channel: 'web-oncall@example.com', tool: 'email' }],
    ...extra,
  });

  let mesh: ContractMesh;
  let web: DataProduct;
  let clicks: DataProduct;
  let json: CfnTemplate;

  beforeAll(() => {
    // given
    mesh = buildContractMesh({ light: true });
    // when: a contract object whose dataProduct is not a product name, stored as a prefix of the domain bucket, on a custom schedule
    web = DataProduct.fromContract(mesh.stack, 'Web', {
      domain: mesh.domain, governance: mesh.governance, contract: inline(), productName: 'web_orders',
      storage: ProductStorage.DOMAIN_PREFIX, qualitySchedule: 'cron(0 6 * * ? *)',
    });
    // and a second product with a freshness SLA in the same domain
    clicks = DataProduct.fromContract(mesh.stack, 'Clicks', {
      domain: mesh.domain, governance: mesh.governance,
      contract: inline({ id: 'sales-clicks', dataProduct: 'clicks', schema: [{ name: 'clicks', properties: [{ name: 'url', logicalType: 'string' }] }],
        slaProperties: [{ property: 'frequency', value: 'hourly' }], support: undefined }),
    });
    json = Template.fromStack(mesh.stack).toJSON() as CfnTemplate;
  });

  it('creates the product, its table and its ruleset from the object', () => {
    expect(web.productName).toBe('web_orders');
    expect(web.databaseName).toBe(`${DOMAIN}_web_orders`);
    const input = tableInputs(json, `${DOMAIN}_web_orders`).web_orders;
    expect(input.StorageDescriptor.Columns).toEqual([{ Name: 'id', Type: 'string' }, { Name: 'amount', Type: 'decimal(10,2)' }]);
    expect(input.Parameters['contract.required']).toBe('id');
    expect(input.StorageDescriptor.Location).toBe(`s3://${web.bucketName}/web_orders/web_orders/`);
    const ruleset = propertiesOfType(json, 'AWS::Glue::DataQualityRuleset').find((r) => r.Name === `${DOMAIN}_web_orders-web_orders`);
    expect(parseDqdl(ruleset.Ruleset).rules.map((r) => r.text.trim())).toEqual(['IsComplete "id"']);
  });

  it('evaluates the rulesets on the qualitySchedule prop', () => {
    const schedule = propertiesOfType(json, 'AWS::Scheduler::Schedule').find((s) => s.Description === `Evaluates ${DOMAIN}_web_orders-web_orders`);
    expect(schedule.ScheduleExpression).toBe('cron(0 6 * * ? *)');
  });

  it('watches a day-scale latency with daily periods, and the product prefix of the shared bucket through its own metrics filter', () => {
    const alarm = json.Resources[logicalIdOf(web.freshnessAlarm!)].Properties;
    expect(alarm.Period).toBe(86_400);
    expect(alarm.EvaluationPeriods * alarm.Period).toBe(2 * 86_400);
    expect(alarm.Dimensions).toEqual([{ Name: 'BucketName', Value: web.bucketName }, { Name: 'FilterId', Value: 'freshness-web_orders' }]);
    const shared = json.Resources[logicalIdOf(mesh.domain.dataBucket())].Properties;
    expect(shared.MetricsConfigurations).toContainEqual({ Id: 'freshness-web_orders', Prefix: 'web_orders/' });
  });

  it('expires only the product prefix of the shared bucket after the retention', () => {
    const rules: Json[] = json.Resources[logicalIdOf(mesh.domain.dataBucket())].Properties.LifecycleConfiguration.Rules;
    expect(rules.filter((r) => r.Id === 'retention-web_orders')).toEqual([{ Id: 'retention-web_orders', Status: 'Enabled', Prefix: 'web_orders/', ExpirationInDays: 30 }]);
  });

  it('uses frequency when there is no latency, and gives a product without support address a topic without subscription', () => {
    const alarm = json.Resources[logicalIdOf(clicks.freshnessAlarm!)].Properties;
    expect(alarm.EvaluationPeriods * alarm.Period).toBe(3600);
    const topicId = logicalIdOf(clicks.alarmTopic!);
    expect(propertiesOfType(json, 'AWS::SNS::Subscription').filter((s) => s.TopicArn.Ref === topicId)).toEqual([]);
    expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('adds the CloudWatch statement to the domain key once, however many products alarm', () => {
    const statements: Json[] = json.Resources[logicalIdOf(mesh.domain.key)].Properties.KeyPolicy.Statement;
    expect(statements.filter((s) => s.Sid === 'AllowCloudWatchAlarmsToNotify')).toHaveLength(1);
  });

  it('labels the warnings of an in-memory contract with "<id> contract" instead of a file position', () => {
    // then: no team names an owner, so the owner is defaulted, with a warning located by the label
    const defaulted = warningsOf(web).filter((w) => w.id === 'cdk-data-mesh:contract-defaulted');
    expect(defaulted.length).toBeGreaterThan(0);
    for (const w of defaulted) expect(w.message.startsWith('Web contract `')).toBe(true);
    expect(web.owner).toBe('sales');
  });

  it('warns when the contract names another domain than the publishing one (cdk-data-mesh:contract-domain-differs)', () => {
    // given
    const m = buildContractMesh({ light: true });
    // when
    const p = DataProduct.fromContract(m.stack, 'Other', { domain: m.domain, governance: m.governance, contract: inline({ domain: 'marketing', dataProduct: 'web_orders' }) });
    // then
    expect(warningsOf(p).filter((w) => w.id === 'cdk-data-mesh:contract-domain-differs').map((w) => w.message)).toEqual([
      'The contract names domain "marketing", but the product is published by domain "sales".',
    ]);
  });
});

describe('DataProduct.fromContract with a broken contract', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-product-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** 1-based line and column of the first `needle` at or after the line that contains `anchor`. */
  function position(text: string, anchor: string, needle: string): string {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes(anchor));
    for (let i = start; i < lines.length; i++) {
      const col = lines[i].indexOf(needle);
      if (col >= 0) return `${i + 1}:${col + 1}`;
    }
    throw new Error(`${needle} not found`);
  }

  it('throws one DataMeshValidationError naming <file>:<line>:<col> of every problem, in file order, and creates nothing', () => {
    // given the example with an unknown logicalType and a misspelt top-level key
    const original = fs.readFileSync(ORDERS_CONTRACT, 'utf8');
    const text = original
      .replace(/^slaProperties:/m, 'slaProperty:')
      .replace(/(- name: quantity\n\s+logicalType: )integer/, '$1integr');
    expect(text).toContain('logicalType: integr\n');
    expect(text).toContain('\nslaProperty:');
    const file = path.join(dir, 'broken.odcs.yaml');
    fs.writeFileSync(file, text);
    const mesh = buildContractMesh({ light: true });
    // when
    const error = captureValidationError(() => DataProduct.fromContract(mesh.stack, 'Orders', { domain: mesh.domain, governance: mesh.governance, contract: file }));
    // then: both problems, each at its line and column, in the order of the file
    expect(error).toBeInstanceOf(DataMeshValidationError);
    expect(error.location).toBe(file);
    const quantity = (contract.schema[0].properties as Json[]).findIndex((p) => p.name === 'quantity');
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0].startsWith(`${file}:${position(text, 'name: quantity', 'integr')} \`schema[0].properties[${quantity}].logicalType\` must be one of`), error.message)
      .toBe(true);
    expect(error.problems[0]).toContain('Did you mean "integer"?');
    expect(error.problems[1].startsWith(`${file}:${position(text, 'slaProperty:', 'slaProperty')} \`slaProperty\``), error.message).toBe(true);
    expect(error.problems[1]).toContain('Did you mean "slaProperties"?');
    expect(error.message).toContain(`${file}: 2 problems`);
    expect(mesh.stack.node.tryFindChild('Orders')).toBeUndefined();
  });

  it('reports a mapping problem (a physicalType that contradicts the logicalType) at its line and column', () => {
    // given
    const text = fs.readFileSync(ORDERS_CONTRACT, 'utf8').replace('physicalType: varchar(36)', 'physicalType: boolean');
    const file = path.join(dir, 'contradiction.odcs.yaml');
    fs.writeFileSync(file, text);
    const mesh = buildContractMesh({ light: true });
    // when
    const error = captureValidationError(() => DataProduct.fromContract(mesh.stack, 'Orders', { domain: mesh.domain, governance: mesh.governance, contract: file }));
    // then
    expect(error.location).toBe(file);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].startsWith(`${file}:${position(text, 'name: order_id', 'boolean')} \`schema[0].properties[0].physicalType\` must fit logicalType string`),
      error.message).toBe(true);
  });

  it('throws a DataMeshValidationError naming the contract when the file cannot be read', () => {
    const mesh = buildContractMesh({ light: true });
    const file = path.join(dir, 'missing.odcs.yaml');
    expectProblem(() => DataProduct.fromContract(mesh.stack, 'Orders', { domain: mesh.domain, governance: mesh.governance, contract: file }), {
      field: 'contract', rule: 'must name a readable data contract file (ENOENT)', got: JSON.stringify(file),
    });
  });

  it('prefixes the problems of an in-memory contract with "<id> contract"', () => {
    const mesh = buildContractMesh({ light: true });
    const error = captureValidationError(() => DataProduct.fromContract(mesh.stack, 'Orders', {
      domain: mesh.domain, governance: mesh.governance,
      contract: { apiVersion: 'v3.1.0', kind: 'DataContract', id: 'x', version: '1', status: 'active', dataProduct: 'orders', schema: [] },
    }));
    expect(error.location).toBe('Orders contract');
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) expect(p.startsWith('Orders contract `')).toBe(true);
  });
});

describe('DataProduct.toContract → DataProduct.fromContract', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-roundtrip-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function propsOf(d: ProductDefinition): Omit<DataProductProps, 'domain' | 'governance'> {
    return {
      productName: d.productName,
      description: d.description,
      owner: d.owner,
      classification: d.classification,
      tags: d.tags,
      tables: d.tables,
      quality: d.quality,
      ...(d.freshnessHours !== undefined ? { freshness: Duration.hours(d.freshnessHours) } : {}),
      ...(d.retentionDays !== undefined ? { retention: Duration.days(d.retentionDays) } : {}),
    };
  }

  /** What is compared: the Glue tables, their LF-tags, the rulesets (as rules), the freshness window and the retention. */
  function deployed(json: CfnTemplate, bucketName: string) {
    const rulesets = propertiesOfType(json, 'AWS::Glue::DataQualityRuleset').map((r) => ({
      name: r.Name, target: r.TargetTable, rules: parseDqdl(r.Ruleset).rules.map((x) => x.text.trim()),
    }));
    const alarms = propertiesOfType(json, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeLessThanOrEqual(1);
    const bucket = propertiesOfType(json, 'AWS::S3::Bucket').find((b) => b.BucketName === bucketName);
    expect(bucket, 'the product bucket').toBeDefined();
    return {
      tables: resourcesOfType(json, 'AWS::Glue::Table').map(([, r]) => r.Properties).sort((a, b) => a.TableInput.Name.localeCompare(b.TableInput.Name)),
      tags: sortedJson(propertiesOfType(json, 'AWS::LakeFormation::TagAssociation')),
      rulesets: sortedJson(rulesets),
      freshness: alarms[0] ? { window: alarms[0].Period * alarms[0].EvaluationPeriods, dimensions: alarms[0].Dimensions } : undefined,
      metrics: bucket.MetricsConfigurations,
      lifecycle: bucket.LifecycleConfiguration.Rules,
    };
  }

  it('gives identical Glue tables (names, columns, types, comments, partition keys, parameters), LF-tags, rulesets and SLA for random products', () => {
    fc.assert(fc.property(productDefinition, (d) => {
      // given a product built from a random valid definition
      const first = buildContractMesh({ light: true });
      const product = new DataProduct(first.stack, 'Product', { domain: first.domain, governance: first.governance, ...propsOf(d) });
      // when its contract is imported into a fresh app (as the object, or as a YAML file)
      const exported = product.toContract();
      let contractArg: string | object = exported;
      if (d.viaYaml) {
        contractArg = path.join(dir, `${d.productName}.odcs.yaml`);
        fs.writeFileSync(contractArg, toYaml(exported));
      }
      const second = buildContractMesh({ light: true });
      const imported = DataProduct.fromContract(second.stack, 'Product', { domain: second.domain, governance: second.governance, contract: contractArg });
      // then the product is the same
      expect(imported.productName).toBe(d.productName);
      expect(imported.tables).toEqual(d.tables);
      const a = deployed(Template.fromStack(first.stack).toJSON() as CfnTemplate, product.bucketName);
      const b = deployed(Template.fromStack(second.stack).toJSON() as CfnTemplate, imported.bucketName);
      expect(imported.bucketName).toBe(product.bucketName);
      expect(b.tables).toEqual(a.tables);
      expect(b.tags).toEqual(a.tags);
      expect(b.rulesets).toEqual(a.rulesets);
      expect(b.freshness).toEqual(a.freshness);
      expect(b.metrics).toEqual(a.metrics);
      expect(b.lifecycle).toEqual(a.lifecycle);
      // and nothing of the product was reported as dropped
      expect(warningsOf(imported).filter((w) => w.id !== 'cdk-data-mesh:contract-defaulted')).toEqual([]);
    }), { numRuns: 25 });
  });

  it('exports what the product declares: identity, classification, tags, tables and SLA', () => {
    // given
    const m = buildMinimalMesh({
      product: false, governance: { tags: { cost_center: ['finance'] } },
    });
    const p = new DataProduct(m.stack, 'Product', productProps(m.domain, m.governance, {
      classification: 'confidential', tags: { cost_center: 'finance' }, freshness: Duration.hours(6), retention: Duration.days(90),
      quality: [{ table: 'items', dqdl: 'Rules = [ IsComplete "item_id" ]' }],
    }));
    // when
    const c = p.toContract() as unknown as Json;
    // then
    expect(c).toEqual(expect.objectContaining({ apiVersion: 'v3.1.0', kind: 'DataContract', domain: DOMAIN, dataProduct: 'items' }));
    expect(c.tags).toEqual(['classification:confidential', 'cost_center:finance']);
    expect(c.schema.map((s: Json) => s.name)).toEqual(['items']);
    expect(c.slaProperties).toEqual([{ property: 'latency', value: 6, unit: 'h' }, { property: 'retention', value: 90, unit: 'd' }]);
    expect(c.schema[0].quality).toEqual([{ type: 'custom', engine: 'glue-data-quality', implementation: 'Rules = [ IsComplete "item_id" ]' }]);
  });
});

describe('DataProduct quality and SLA validation', () => {
  /** A mesh without product, and a function creating one with `overrides`. */
  function attempt(overrides: Partial<DataProductProps>) {
    const m = buildMinimalMesh({ product: false });
    return () => new DataProduct(m.stack, 'Product', productProps(m.domain, m.governance, overrides));
  }

  it('fails if a ruleset names a table the product does not have', () => {
    expectProblem(attempt({ quality: [{ table: 'nope', dqdl: 'Rules = [ RowCount > 0 ]' }] }), {
      field: 'quality[0].table', rule: 'must name a table of the product', got: '"nope"', fix: 'Use one of: items.',
    });
  });

  it('fails if two rulesets are given for one table', () => {
    expectProblem(attempt({ quality: [{ table: 'items', dqdl: 'Rules = [ RowCount > 0 ]' }, { table: 'items', dqdl: 'Rules = [ IsComplete "item_id" ]' }] }), {
      field: 'quality[1].table', rule: 'must have one ruleset per table', got: '"items"', fix: 'Merge the rules into one ruleset.',
    });
  });

  it('fails if a ruleset is not written Rules = [ ... ]', () => {
    expectProblem(attempt({ quality: [{ table: 'items', dqdl: 'RowCount > 0' }] }), {
      field: 'quality[0].dqdl', rule: 'must be a DQDL ruleset "Rules = [ ... ]"', got: '"RowCount > 0"', fix: 'Write the rules as DQDL, e.g. Rules = [ RowCount > 0 ].',
    });
  });

  it.each([
    ['shorter than 1 hour', Duration.minutes(30), '"30 minutes"'],
    [`longer than ${MAX_FRESHNESS_WINDOW_DAYS} days`, Duration.days(MAX_FRESHNESS_WINDOW_DAYS + 1), `"${MAX_FRESHNESS_WINDOW_DAYS + 1} days"`],
  ])('fails if the freshness SLA is %s', (_, freshness, got) => {
    expectProblem(attempt({ freshness }), {
      field: 'freshness', rule: `must be between 1 hour and ${MAX_FRESHNESS_WINDOW_DAYS} days`, got, fix: 'Pick a freshness SLA within that range.',
    });
  });

  it(`accepts a freshness SLA of exactly 1 hour and of exactly ${MAX_FRESHNESS_WINDOW_DAYS} days`, () => {
    expect(attempt({ freshness: Duration.hours(1) })).not.toThrow();
    expect(attempt({ freshness: Duration.days(MAX_FRESHNESS_WINDOW_DAYS) })).not.toThrow();
  });

  it('fails if the retention is shorter than 1 day', () => {
    expectProblem(attempt({ retention: Duration.hours(12) }), {
      field: 'retention', rule: 'must be a whole number of days, at least 1 (S3 lifecycle works in days)', got: '"12 hours"', fix: 'Use Duration.days(n).',
    });
  });

  it('fails if the retention is not a whole number of days (instead of a CDK error at synth)', () => {
    expectProblem(attempt({ retention: Duration.hours(36) }), {
      field: 'retention', rule: 'must be a whole number of days, at least 1 (S3 lifecycle works in days)', got: '"1 day 12 hours"', fix: 'Use Duration.days(n).',
    });
  });

  it('fails if a support email is not an email address', () => {
    expectProblem(attempt({ supportEmails: ['ok@example.com', 'not-an-email'] }), {
      field: 'supportEmails[1]', rule: 'must be an email address', got: '"not-an-email"', fix: 'Fix the address.',
    });
  });

  it('reports every quality and SLA problem at once', () => {
    const error = captureValidationError(attempt({
      quality: [{ table: 'nope', dqdl: 'x' }], freshness: Duration.minutes(5), retention: Duration.hours(1), supportEmails: ['@'],
    }));
    expect(error.problems.map((p) => p.slice(0, p.indexOf(' ')))).toEqual(['`quality[0].table`', '`quality[0].dqdl`', '`freshness`', '`retention`', '`supportEmails[0]`']);
  });
});

describe('DataProduct.toContract keeps what fromContract reads', () => {
  it('given the orders contract, when exported and imported again, then column constraints and every support address survive', () => {
    // given
    const first = buildContractMesh({ light: true });
    const product = DataProduct.fromContract(first.stack, 'Orders', { domain: first.domain, governance: first.governance, contract: ORDERS_CONTRACT });
    // when
    const again = buildContractMesh({ light: true });
    const copy = DataProduct.fromContract(again.stack, 'Orders', { domain: again.domain, governance: again.governance, contract: product.toContract() });
    // then
    const params = (p: DataProduct) => Object.fromEntries(p.tables.map((t) => [t.name, t.parameters ?? {}]));
    expect(params(copy)).toEqual(params(product));
    expect(Object.values(params(product)).some((ps) => Object.keys(ps).some((k) => k.startsWith('contract.')))).toBe(true);
    const emails = (p: DataProduct) => Template.fromStack(p.node.scope as any).findResources('AWS::SNS::Subscription');
    const endpoints = (p: DataProduct) => Object.values(emails(p)).map((r: any) => r.Properties.Endpoint).sort();
    expect(endpoints(copy)).toEqual(endpoints(product));
    expect(endpoints(product).length).toBeGreaterThan(1);
  });
});
