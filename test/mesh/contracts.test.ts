import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { contractText, productContract } from '../../lib/cli/commands/contract';
import { mapContract } from '../../lib/contracts/map';
import { parseContract } from '../../lib/contracts/parse';
import { DEFAULT_CLASSIFICATION_VALUES } from '../../lib/defaults';
import { DataMeshValidationError } from '../../lib/errors';
import { CONTRACT_DOMAIN_DIFFERS, resolveContracts } from '../../lib/mesh/contracts';
import { DataMesh } from '../../lib/mesh/data-mesh';
import type { MeshDefinition, ProductDefinition, TableDefinition } from '../../lib/mesh/definition';
import { LoadedMesh, loadMeshDefinition, parseMeshDefinition } from '../../lib/mesh/loader';
import { isPrimitiveType } from '../../lib/table-schema';

/* eslint-disable @typescript-eslint/no-explicit-any */
const ROOT = path.join(__dirname, '..', '..');
const SHIPPED_CONTRACT = 'examples/contracts/leads.odcs.yaml';
const CONTRACT_TEXT = fs.readFileSync(path.join(ROOT, SHIPPED_CONTRACT), 'utf8');
/** The shipped contract as plain data, to compare the deployed product with field by field. */
const CONTRACT = YAML.parse(CONTRACT_TEXT);

/** A mesh whose marketing domain has an inline product and, at products[1], a contract product. */
const MESH = `name: acme
governance:
  account: "111111111111"
  region: eu-west-1
tags:
  classification: [public, internal, confidential, pii]
  tier: [gold, silver, bronze]
domains:
  - name: marketing
    role: both
    account: "333333333333"
    region: eu-west-1
    products:
      - name: campaigns
        description: Campaign performance per day
        owner: marketing-analytics
        tables:
          - name: daily
            columns:
              - { name: campaign_id, type: string }
      - contract: contracts/leads.odcs.yaml
  - name: finance
    role: consumer
    account: "444444444444"
    region: eu-west-1
subscriptions:
  - consumer: finance
    products: [marketing.leads]
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes `mesh.yaml` and `contracts/leads.odcs.yaml` into a fresh folder. */
function project(mesh: string, contract: string = CONTRACT_TEXT): { dir: string; file: string; contractFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-contracts-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'contracts'));
  const file = path.join(dir, 'mesh.yaml');
  const contractFile = path.join(dir, 'contracts', 'leads.odcs.yaml');
  fs.writeFileSync(file, mesh);
  fs.writeFileSync(contractFile, contract);
  return { dir, file, contractFile };
}

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    if (DataMeshValidationError.isDataMeshValidationError(e)) return e.problems;
    throw e;
  }
  return expect.fail('expected a DataMeshValidationError');
}

/** `<line>:<col>` of the `occurrence`-th match of `snippet` in `text` (1-based, as the problems write it). */
function positionOf(text: string, snippet: string, occurrence = 1): string {
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(snippet, at + 1);
  expect(at, `"${snippet}" not found`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** Replaces exactly one occurrence. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

/** The Glue type the contract's property asks for (physicalType when given, else from logicalType). */
function glueTypeOf(p: any): string {
  return p.physicalType ?? ({ string: 'string', boolean: 'boolean', timestamp: 'timestamp', date: 'date', integer: 'bigint', number: 'double' } as any)[p.logicalType];
}

/** The DQDL a contract rule must become (the subset of mappings the shipped contract uses). */
function expectedDqdl(rule: any, column?: string): string {
  if (rule.type === 'custom') return rule.implementation.trim();
  switch (rule.metric) {
    case 'rowCount': return `RowCount > ${rule.mustBeGreaterThan}`;
    case 'nullValues': return `IsComplete "${column}"`;
    case 'duplicateValues': return `IsUnique "${column}"`;
    case 'invalidValues':
      if (rule.arguments.validValues) return `ColumnValues "${column}" in [${rule.arguments.validValues.map((v: string) => `"${v}"`).join(', ')}, NULL]`;
      return `ColumnValues "${column}" matches "${rule.arguments.pattern}"`;
    default: throw new Error(`no expectation for ${rule.metric}`);
  }
}

const SECONDS: Record<string, number> = { h: 3600, d: 86400, y: 365 * 86400 };
const sla = (property: string) => CONTRACT.slaProperties.find((s: any) => s.property === property);

describe('mesh.yaml products defined by a contract', () => {
  it('given a contract product, then the definition stays as written and the resolved definition has the product the contract defines', () => {
    const { file } = project(MESH);
    const loaded = loadMeshDefinition(file);
    expect(loaded.definition.domains[0].products![1]).toEqual({ contract: 'contracts/leads.odcs.yaml' });
    const leads = loaded.resolved.domains[0].products![1];
    // Field by field against the contract file.
    expect(leads.name).toBe(CONTRACT.dataProduct);
    expect(leads.contract).toBe('contracts/leads.odcs.yaml');
    expect(leads.description).toBe(CONTRACT.description.purpose);
    expect(leads.owner).toBe(CONTRACT.team.members.find((m: any) => m.role === 'owner').username);
    expect(leads.contact).toBe(CONTRACT.support[0].url.replace('mailto:', ''));
    expect(leads.classification).toBe('internal');
    expect(CONTRACT.tags).toContain(`classification:${leads.classification}`);
    expect(leads.tags).toEqual({ tier: 'silver' });
    expect(CONTRACT.tags).toContain('tier:silver');
    expect(leads.tables!.map((t) => t.name)).toEqual(CONTRACT.schema.map((o: any) => o.name));
    leads.tables!.forEach((t, i) => {
      const o = CONTRACT.schema[i];
      expect(t.description).toBe(o.description);
      expect(t.format).toBe(CONTRACT.servers[0].format);
      expect(t.columns).toEqual(o.properties.map((p: any) => ({
        name: p.name, type: glueTypeOf(p), comment: p.description, ...(p.classification ? { classification: p.classification } : {}),
      })));
      expect(t.partitionKeys).toEqual(o.properties.filter((p: any) => p.partitioned).map((p: any) => p.name));
    });
    // The inline product is untouched, and the contract's spec is kept for the deployment.
    expect(loaded.resolved.domains[0].products![0]).toEqual(loaded.definition.domains[0].products![0]);
    expect(Object.keys(loaded.contracts)).toEqual(['marketing.leads']);
    expect(loaded.contracts['marketing.leads'].sla).toEqual({ freshness: { maxAgeSeconds: 86400, source: 'latency' }, retentionDays: 730 });
    expect(loaded.warnings).toEqual([]);
  });

  it('given name, storage and catalogShard next to contract, then they are kept and the name overrides the contract\'s', () => {
    const { file } = project(edit(MESH, '      - contract: contracts/leads.odcs.yaml\n',
      '      - contract: contracts/leads.odcs.yaml\n        name: prospects\n        storage: domain-prefix\n        catalogShard: 2\n')
      .replace('[marketing.leads]', '[marketing.prospects]'));
    const loaded = loadMeshDefinition(file);
    const p = loaded.resolved.domains[0].products![1];
    expect([p.name, p.storage, p.catalogShard]).toEqual(['prospects', 'domain-prefix', 2]);
    expect(Object.keys(loaded.contracts)).toEqual(['marketing.prospects']);
    expect(loaded.contracts['marketing.prospects'].productName).toBe('prospects');
  });

  it('(a) given a broken contract, then its problems carry the contract file\'s line and column, reported with the mesh\'s own problems', () => {
    const contract = edit(CONTRACT_TEXT, 'partitionKeyPosition: 1\n    quality:\n      - metric: rowCount', 'partitionKeyPosition: first\n    quality:\n      - metric: rowCount');
    const { file, contractFile } = project(edit(MESH, 'region: eu-west-1\ntags', 'region: eu-west-99\ntags'), contract);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(`${file}:${positionOf(MESH, 'eu-west-1')} \`governance.region\` must be an AWS region code matching ^[a-z]{2}(-gov)?-[a-z]+-\\d$, `
      + 'got: "eu-west-99". Use a region code such as "eu-west-1" or "us-gov-west-1".');
    expect(problems[1]).toMatch(new RegExp(`^${escape(contractFile)}:${positionOf(contract, 'first')} \`schema\\[0\\]\\.properties\\[7\\]\\.partitionKeyPosition\` must be an integer, got: "first"\\.`));
  });

  it('(a) given a contract with a YAML syntax error, then the problem is at its line and column', () => {
    const contract = edit(CONTRACT_TEXT, '  - tier:silver\n', '  - tier:silver\n   bad: [\n');
    const { file, contractFile } = project(MESH, contract);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(new RegExp(`^${escape(contractFile)}:\\d+:\\d+ \`\\(yaml\\)\` has a YAML syntax error`));
  });

  it('(b) given a contract product that also sets tables, description or owner, then each comes from the contract, at its key', () => {
    const mesh = edit(MESH, '      - contract: contracts/leads.odcs.yaml\n', '      - contract: contracts/leads.odcs.yaml\n        owner: someone\n'
      + '        tables:\n          - name: leads\n            columns: [{ name: lead_id, type: string }]\n');
    const { file } = project(mesh);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toEqual([
      `${file}:${positionOf(mesh, 'owner: someone')} \`domains[0].products[1].owner\` comes from the contract (contracts/leads.odcs.yaml) and must not be given `
        + 'with contract, got: "someone". Remove it: the contract defines it with the team member with role owner. Or remove contract to define the product here.',
      expect.stringMatching(new RegExp(`^${escape(file)}:${positionOf(mesh, 'tables:\n          - name: leads')} \`domains\\[0\\]\\.products\\[1\\]\\.tables\` `
        + 'comes from the contract \\(contracts/leads\\.odcs\\.yaml\\) and must not be given with contract, got: .*Remove it: the contract defines it with its schema\\.')),
    ]);
  });

  it('(b) given an inline product without description, owner or tables, then they are required as before', () => {
    const mesh = edit(MESH, '      - name: campaigns\n        description: Campaign performance per day\n        owner: marketing-analytics\n        tables:\n'
      + '          - name: daily\n            columns:\n              - { name: campaign_id, type: string }\n', '      - name: campaigns\n');
    const problems = problemsOf(() => parseMeshDefinition(mesh, 'mesh.yaml', { baseDir: ROOT }));
    expect(problems.map((p) => p.replace(/^mesh\.yaml:\d+:\d+ /, ''))).toEqual([
      '`domains[0].products[0].description` is required in a product, got: nothing. Add it, e.g. description: Every order placed in the web shop.',
      '`domains[0].products[0].owner` is required in a product, got: nothing. Add it, e.g. owner: sales-data-team.',
      '`domains[0].products[0].tables` is required in a product, got: nothing. Add it, e.g. tables: [{ name: orders, columns: [{ name: id, type: string }] }].',
      expect.stringContaining('`domains[0].products[1].contract` must name a readable ODCS data contract file'),
    ]);
  });

  it('(c) given a contract whose classification is not in the ontology, then the contract field is named at its line and column', () => {
    const mesh = edit(MESH, 'classification: [public, internal, confidential, pii]', 'classification: [public, internal, confidential]');
    const { file, contractFile } = project(mesh);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toEqual([`${contractFile}:${positionOf(CONTRACT_TEXT, 'pii')} \`schema[0].properties[1].classification\` must be a classification of the `
      + 'ontology (public, internal, confidential), got: "pii". Use one of the allowed values, or add the value to the classification LF-tag of the ontology.']);
  });

  it('(c) given a contract tag whose value is not in the ontology, then it is reported at the tag', () => {
    const contract = edit(CONTRACT_TEXT, '  - tier:silver\n', '  - tier:platinum\n');
    const { file, contractFile } = project(MESH, contract);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${escape(contractFile)}:${positionOf(contract, 'tier:platinum')} \`tags\\[1\\]\` must use a value of LF-tag "tier"`))]);
  });

  it('(d) given a missing contract file, then the problem is at contract in the mesh file and names the path', () => {
    const mesh = edit(MESH, 'contract: contracts/leads.odcs.yaml', 'contract: contracts/nope.odcs.yaml');
    const { dir, file } = project(mesh);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toEqual([`${file}:${positionOf(mesh, 'contracts/nope.odcs.yaml')} \`domains[0].products[1].contract\` must name a readable ODCS data contract `
      + `file (ENOENT reading ${path.join(dir, 'contracts', 'nope.odcs.yaml')}), got: "contracts/nope.odcs.yaml". Check the path: it is relative to the folder `
      + `of the mesh file (${dir}), e.g. contract: contracts/orders.odcs.yaml.`]);
  });

  it('given rules of the mesh broken by the expanded product, then they are reported at the product: a repeated name, an unknown subscribed product', () => {
    const mesh = edit(MESH, '      - name: campaigns\n', '      - name: leads\n').replace('[marketing.leads]', '[marketing.leadz]');
    const { file } = project(mesh);
    const problems = problemsOf(() => loadMeshDefinition(file));
    expect(problems).toEqual([
      `${file}:${positionOf(mesh, 'contract: contracts/leads')} \`domains[0].products[1].name\` must be unique in domain "marketing" (also products[0]), got: "leads". Rename or merge one of the products.`,
      `${file}:${positionOf(mesh, 'marketing.leadz')} \`subscriptions[0].products[0]\` must name a product of the mesh as <domain>.<product>, got: "marketing.leadz". Did you mean "marketing.leads"?`,
    ]);
  });

  it('given an invalid name next to contract, then the mesh reports it once, and the contract is still checked', () => {
    const mesh = edit(MESH, '      - contract: contracts/leads.odcs.yaml\n', '      - contract: contracts/leads.odcs.yaml\n        name: Leads\n')
      .replace('[marketing.leads]', '[marketing.campaigns]');
    const { file } = project(mesh);
    expect(problemsOf(() => loadMeshDefinition(file))).toEqual([
      `${file}:${positionOf(mesh, 'Leads')} \`domains[0].products[1].name\` must be a product name matching ^[a-z][a-z0-9_]*$ (lowercase letter first, then `
        + 'lowercase letters, digits or _), got: "Leads". Use for example "leads".',
    ]);
  });

  it('given contract warnings, then they are loader warnings positioned in the contract; a contract of another domain is a warning too', () => {
    const contract = edit(edit(CONTRACT_TEXT, '  - tier:silver\n', '  - tier:silver\n  - retail\n'), 'domain: marketing', 'domain: sales');
    const { file, contractFile } = project(MESH, contract);
    const { warnings } = loadMeshDefinition(file);
    expect(warnings.map((w) => w.id).sort()).toEqual([CONTRACT_DOMAIN_DIFFERS, 'cdk-data-mesh:contract-tag-ignored']);
    expect(warnings.find((w) => w.id === CONTRACT_DOMAIN_DIFFERS)!.message)
      .toMatch(new RegExp(`^${escape(contractFile)}:${positionOf(contract, 'sales')} \`domain\` names domain "sales", but the product is published by domain "marketing"`));
    expect(warnings.find((w) => w.id === 'cdk-data-mesh:contract-tag-ignored')!.message).toMatch(new RegExp(`^${escape(contractFile)}:\\d+:\\d+ \`tags\``));
  });

  it('given a plain definition, then resolveContracts expands its contract products and throws every contract problem at once', () => {
    const def: MeshDefinition = YAML.parse(fs.readFileSync(path.join(ROOT, 'mesh.yaml'), 'utf8'));
    const r = resolveContracts(def, ROOT);
    const marketing = r.definition.domains.find((d) => d.name === 'marketing')!;
    expect(marketing.products!.map((p) => p.name)).toEqual(['campaigns', 'leads']);
    expect(marketing.products![1].tables!.map((t) => t.name)).toEqual(CONTRACT.schema.map((o: any) => o.name));
    expect(r.definition.domains.find((d) => d.name === 'sales')).toBe(def.domains.find((d) => d.name === 'sales'));
    expect(Object.keys(r.contracts)).toEqual(['marketing.leads']);
    expect(problemsOf(() => resolveContracts(def, os.tmpdir()))).toEqual([expect.stringContaining(`ENOENT reading ${path.join(os.tmpdir(), SHIPPED_CONTRACT)}`)]);
  });
});

describe('DataMesh with the shipped mesh.yaml: the contract product', () => {
  let loaded: LoadedMesh;
  let mesh: DataMesh;
  let catalog: Template;
  let storage: Template;

  beforeAll(() => {
    loaded = loadMeshDefinition(path.join(ROOT, 'mesh.yaml'));
    mesh = new DataMesh(new App(), loaded);
    catalog = Template.fromStack(mesh.stacks.get('catalog-marketing')!.stack);
    storage = Template.fromStack(mesh.stacks.get('marketing-storage')!.stack);
  });

  const of = (t: Template, type: string): any[] => Object.values(t.findResources(type));

  it('then mesh.yaml names the contract and the product is built from it', () => {
    expect(loaded.definition.domains.find((d) => d.name === 'marketing')!.products).toContainEqual({ contract: SHIPPED_CONTRACT });
    expect(mesh.products.has('marketing.leads')).toBe(true);
    expect(Object.keys(mesh.contracts)).toEqual(['marketing.leads']);
    expect(mesh.products.get('marketing.leads')!.node.metadata.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  it('then there is a Glue table per schema object with the contract\'s columns, types and comments', () => {
    const tables = of(catalog, 'AWS::Glue::Table').filter((t) => t.Properties.DatabaseName === 'marketing_leads');
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual(CONTRACT.schema.map((o: any) => o.name).sort());
    for (const o of CONTRACT.schema) {
      const input = tables.find((t) => t.Properties.TableInput.Name === o.name).Properties.TableInput;
      expect(input.Description).toBe(o.description);
      const column = (p: any) => ({ Name: p.name, Type: glueTypeOf(p), Comment: p.description });
      expect(input.StorageDescriptor.Columns).toEqual(o.properties.filter((p: any) => !p.partitioned).map(column));
      expect(input.PartitionKeys).toEqual(o.properties.filter((p: any) => p.partitioned).map(column));
      expect(input.StorageDescriptor.Location).toBe(`${CONTRACT.servers[0].location}${o.name}/`);
      const required = o.properties.filter((p: any) => p.required).map((p: any) => p.name);
      expect(input.Parameters['contract.required']).toBe(required.join(','));
    }
  });

  it('then the pii column carries its classification as a column LF-tag', () => {
    const classified = CONTRACT.schema.flatMap((o: any) => o.properties.filter((p: any) => p.classification).map((p: any) => ({ table: o.name, p })));
    expect(classified.map((x: any) => x.p.name)).toEqual(['email']);
    for (const { table, p } of classified) {
      expect(of(catalog, 'AWS::LakeFormation::TagAssociation').filter((a) => a.Properties.Resource.TableWithColumns?.DatabaseName === 'marketing_leads'
        && a.Properties.Resource.TableWithColumns.Name === table)).toEqual([{
        Type: 'AWS::LakeFormation::TagAssociation',
        Properties: {
          LFTags: [{ CatalogId: '111111111111', TagKey: 'classification', TagValues: [p.classification] }],
          Resource: { TableWithColumns: { CatalogId: '111111111111', DatabaseName: 'marketing_leads', Name: table, ColumnNames: [p.name] } },
        },
        DependsOn: expect.anything(),
      }]);
    }
    // The domain's query role reads up to confidential: the pii column is left out of its grant.
    const queryGrant = of(catalog, 'AWS::LakeFormation::PrincipalPermissions').find((g) => g.Properties.Resource.TableWithColumns?.Name === 'leads'
      && JSON.stringify(g.Properties.Principal).includes('acme-marketing-query'));
    expect(queryGrant.Properties.Resource.TableWithColumns.ColumnWildcard).toBeUndefined();
    const leads = CONTRACT.schema.find((t: { name: string }) => t.name === 'leads');
    const expected = (leads.properties as { name: string; physicalName?: string }[]).map((p) => (p.physicalName || p.name).toLowerCase()).filter((c) => c !== 'email');
    expect(queryGrant.Properties.Resource.TableWithColumns.ColumnNames).toEqual(expected);
  });

  it('then each table has a Glue Data Quality ruleset with the contract\'s rules, evaluated on a schedule', () => {
    const rulesets = of(catalog, 'AWS::Glue::DataQualityRuleset').filter((r) => r.Properties.TargetTable.DatabaseName === 'marketing_leads');
    expect(rulesets).toHaveLength(CONTRACT.schema.length);
    const schedules = of(catalog, 'AWS::Scheduler::Schedule');
    for (const o of CONTRACT.schema) {
      const ruleset = rulesets.find((r) => r.Properties.TargetTable.TableName === o.name).Properties;
      expect(ruleset.Name).toBe(`marketing_leads-${o.name}`);
      const expected = [
        ...(o.quality ?? []).map((q: any) => expectedDqdl(q)),
        ...o.properties.flatMap((p: any) => (p.quality ?? []).map((q: any) => expectedDqdl(q, p.name))),
      ];
      const rules = ruleset.Ruleset.split('\n').slice(1, -1).map((l: string) => l.trim().replace(/,$/, ''));
      expect(rules).toHaveLength(expected.length);
      expected.forEach((e, i) => expect(rules[i].startsWith(e), `${rules[i]} should start with ${e}`).toBe(true));
      const schedule = schedules.filter((s) => JSON.stringify(s.Properties.Target.Input).includes(`\\"RulesetNames\\":[\\"${ruleset.Name}\\"]`));
      expect(schedule).toHaveLength(1);
      expect(JSON.stringify(schedule[0].Properties.Target.Input)).toContain(`\\"TableName\\":\\"${o.name}\\"`);
      expect(schedule[0].Properties.ScheduleExpression).toBe('rate(1 day)');
    }
  });

  it('then a freshness alarm on AWS/S3 PutRequests watches the SLA latency window and notifies the support email', () => {
    const latency = sla('latency');
    const window = latency.value * SECONDS[latency.unit];
    const alarms = of(storage, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Properties).toMatchObject({
      Namespace: 'AWS/S3',
      MetricName: 'PutRequests',
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: window / 3600,
      DatapointsToAlarm: window / 3600,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      Dimensions: [{ Name: 'BucketName', Value: 'acme-marketing-leads-333333333333-eu-west-1' }, { Name: 'FilterId', Value: 'freshness' }],
    });
    expect(of(storage, 'AWS::SNS::Subscription').map((s) => s.Properties)).toEqual([{
      Protocol: 'email', Endpoint: CONTRACT.support[0].url.replace('mailto:', ''), TopicArn: expect.anything(),
    }]);
    expect(of(storage, 'AWS::SNS::Topic')[0].Properties.KmsMasterKeyId).toBeDefined();
  });

  it('then the objects expire after the SLA retention, and the database carries the contract\'s identity', () => {
    const retention = sla('retention');
    const bucket = of(storage, 'AWS::S3::Bucket').find((b) => b.Properties.BucketName === 'acme-marketing-leads-333333333333-eu-west-1');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual({ Id: 'retention', ExpirationInDays: retention.value * SECONDS[retention.unit] / 86400, Status: 'Enabled' });
    expect(bucket.Properties.MetricsConfigurations).toEqual([{ Id: 'freshness' }]);
    const db = of(catalog, 'AWS::Glue::Database').find((d) => d.Properties.DatabaseInput.Name === 'marketing_leads').Properties.DatabaseInput;
    expect(db.Parameters).toMatchObject({
      contract_id: CONTRACT.id,
      contract_version: CONTRACT.version,
      contract_status: CONTRACT.status,
      owner: CONTRACT.team.members[0].username,
      classification_level: 'internal',
    });
    expect(db.Description).toBe(CONTRACT.description.purpose);
    const tags = of(catalog, 'AWS::LakeFormation::TagAssociation').find((a) => a.Properties.Resource.Database?.Name === 'marketing_leads');
    expect(tags.Properties.LFTags.map((t: any) => `${t.TagKey}:${t.TagValues.join('|')}`).sort()).toEqual(['classification:internal', 'domain:marketing', 'tier:silver']);
  });

  it('given the definition alone (as bin/app.ts passes it) or as plain YAML data, then the contract product is built the same', () => {
    const fromDefinition = new DataMesh(new App(), { definition: loaded.definition, warnings: loaded.warnings });
    const plain: MeshDefinition = YAML.parse(fs.readFileSync(path.join(ROOT, 'mesh.yaml'), 'utf8'));
    const fromPlain = new DataMesh(new App(), { definition: plain });
    const json = (m: DataMesh) => Template.fromStack(m.stacks.get('catalog-marketing')!.stack).toJSON();
    expect(json(fromDefinition)).toEqual(catalog.toJSON());
    expect(json(fromPlain)).toEqual(catalog.toJSON());
    expect(fromPlain.definition.domains.find((d) => d.name === 'marketing')!.products!.map((p) => p.name)).toEqual(['campaigns', 'leads']);
  });
});

describe('DataMesh with contract warnings', () => {
  const contract = edit(CONTRACT_TEXT, '  - tier:silver\n', '  - tier:silver\n  - retail\n');
  const warningsOf = (s: { node: { metadata: readonly { type: string; data: unknown }[] } }) => s.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));

  it('given a loaded mesh in another folder, then the contract is read from there and its warnings are on the product, once', () => {
    const { file } = project(MESH, contract);
    const loaded = loadMeshDefinition(file);
    expect(loaded.warnings.map((w) => w.id)).toEqual(['cdk-data-mesh:contract-tag-ignored']);
    // As bin/app.ts passes it: the working directory has no contracts/leads.odcs.yaml; the loader's resolution is used.
    const mesh = new DataMesh(new App(), { definition: loaded.definition, warnings: loaded.warnings });
    expect(warningsOf(mesh.products.get('marketing.leads')!).filter((w) => w.includes('contract-tag-ignored'))).toHaveLength(1);
    expect(warningsOf(mesh.stacks.get('governance')!.stack).filter((w) => w.includes('contract-'))).toEqual([]);
  });

  it('given a plain definition and contractBaseDir, then DataMesh reads the contracts itself and shows their warnings on the product', () => {
    const { dir, file } = project(MESH, contract);
    const def: MeshDefinition = YAML.parse(fs.readFileSync(file, 'utf8'));
    const mesh = new DataMesh(new App(), { definition: def, contractBaseDir: dir });
    const product = mesh.products.get('marketing.leads')!;
    expect(warningsOf(product).some((w) => w.includes('contract-tag-ignored') && w.includes('["retail"]'))).toBe(true);
    expect(Stack.of(product).node.id).toBe('marketing-storage');
    expect(() => new DataMesh(new App(), { definition: def, contractBaseDir: os.tmpdir() })).toThrow(/ENOENT reading/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// contract export of inline products, imported back.

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,9}$/).filter((n) => !['logs', 'data', 'athena_results'].includes(n));
const fieldName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/);
const primitive = fc.oneof(
  fc.constantFrom('boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'date', 'timestamp', 'binary'),
  fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => `decimal(${p},${s})`)),
  fc.integer({ min: 1, max: 65535 }).map((n) => `varchar(${n})`),
);
const glueType: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    tie('type').map((t) => `array<${t}>`),
    fc.uniqueArray(fc.tuple(fieldName, tie('type')), { minLength: 1, maxLength: 3, selector: ([n]) => n })
      .map((fields) => `struct<${fields.map(([n, t]) => `${n}:${t}`).join(',')}>`),
  ),
})).type;
const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '');
const classification = fc.constantFrom(...DEFAULT_CLASSIFICATION_VALUES);

const table: fc.Arbitrary<TableDefinition> = fc.record({
  name,
  description: text,
  format: fc.constantFrom('parquet' as const, 'json' as const, 'csv' as const),
  classification,
  columns: fc.uniqueArray(fc.record({ name, type: glueType, comment: text, classification }, { requiredKeys: ['name', 'type'] }),
    { minLength: 1, maxLength: 5, selector: (c) => c.name }),
}, { requiredKeys: ['name', 'columns'] }).chain((t) => {
  const candidates = t.columns.filter((c) => isPrimitiveType(c.type)).map((c) => c.name).slice(0, t.columns.length - 1);
  if (candidates.length === 0) return fc.constant(t as TableDefinition);
  return fc.tuple(fc.shuffledSubarray(candidates), fc.boolean()).map(([keys, project]) => (keys.length === 0 ? t : {
    ...t, partitionKeys: keys, ...(project ? { projection: Object.fromEntries(keys.map((k) => [k, { type: 'injected' as const }])) } : {}),
  }));
});

const inlineProduct: fc.Arbitrary<ProductDefinition> = fc.record({
  name,
  description: text,
  owner: fc.stringMatching(/^[a-z][a-z-]{0,15}$/),
  contact: fc.constantFrom('team@example.com', '#data-team'),
  classification,
  tags: fc.constantFrom({ tier: 'gold' }, { tier: 'bronze' }),
  storage: fc.constantFrom('bucket' as const, 'domain-prefix' as const),
  tables: fc.uniqueArray(table, { minLength: 1, maxLength: 3, selector: (t) => t.name }),
}, { requiredKeys: ['name', 'description', 'owner', 'tables'] });

describe('contract export of inline products', () => {
  it('given random valid inline products, when exported as by `data-mesh contract export` and imported with mapContract, then the tables are identical', () => {
    fc.assert(fc.property(inlineProduct, fc.constantFrom('yaml' as const, 'json' as const), (product, format) => {
      const def: MeshDefinition = {
        name: 'acme',
        governance: { account: '111111111111', region: 'eu-west-1' },
        tags: { tier: ['gold', 'silver', 'bronze'] },
        domains: [{ name: 'sales', role: 'producer', account: '222222222222', region: 'eu-west-1', products: [product] }],
      };
      // given a product the loader accepts
      const loaded = parseMeshDefinition(YAML.stringify(def), 'mesh.yaml');
      // when it is exported as the command does, and imported back
      const written = contractText(productContract(loaded, `sales.${product.name}`), format);
      const spec = mapContract(parseContract(written, 'exported.odcs.yaml'), { ontologyTags: { tier: ['gold', 'silver', 'bronze'] } });
      // then the tables are the ones of the mesh, and so are the product's fields
      expect(spec.tables).toEqual(product.tables);
      expect([spec.productName, spec.domain, spec.description, spec.owner, spec.contact, spec.classification, spec.tags])
        .toEqual([product.name, 'sales', product.description!.trim(), product.owner, product.contact, product.classification ?? 'internal', product.tags ?? {}]);
      expect(spec.warnings).toEqual([]);
    }), { numRuns: 50 });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
