import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compliancePacks } from '../../lib/compliance';
import {
  KNOWN_PACKS, ReportModel, buildReportModel, escapeMarkdown, escapeXml, kindOf, packOf, renderDiagramSvg, renderHtml, renderMarkdown, writeReport,
} from '../../lib/report';
import { cdkContext, exampleDefinition, synthesize, tempDir } from './synth';

const SALES_WRITER = 'arn:aws:iam::222222222222:role/acme-sales-writer';

interface Template {
  Resources: Record<string, { Type: string; Metadata?: { 'aws:cdk:path'?: string; cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } } }>;
}

let dir: string;
let model: ReportModel;

beforeAll(() => {
  // The shipped mesh, with the five compliance packs registered as validation plugins (as bin/app.ts does).
  dir = synthesize(exampleDefinition(), { nag: true });
  model = buildReportModel(dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function template(stackId: string): Template {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  return JSON.parse(fs.readFileSync(path.join(dir, manifest.artifacts[stackId].properties.templateFile), 'utf8'));
}

describe('report model of the example mesh', () => {
  it('names the mesh and lists every stack with its kind, domain and account', () => {
    expect(model.mesh).toBe('acme');
    expect(model.stacks).toHaveLength(15);
    expect(model.accounts.map((a) => a.account)).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    const kinds = Object.fromEntries(model.stacks.map((s) => [s.id, [s.kind, s.domain ?? null]]));
    expect(kinds).toMatchObject({
      'governance': ['governance', null],
      'sales-storage': ['storage', 'sales'],
      'finance-storage': ['storage', 'finance'],
      'catalog-sales': ['catalog', 'sales'],
      'catalog-marketing': ['catalog', 'marketing'],
      'subscriptions-marketing': ['subscriptions', 'marketing'],
      'subscriptions-finance': ['subscriptions', 'finance'],
      'access-333333333333-eu-west-1': ['access', null],
      'lakeformation-111111111111-eu-west-1': ['lakeformation', null],
    });
    expect(model.stacks.map((s) => s.id)).toEqual([...model.stacks.map((s) => s.id)].sort());
  });

  it('given the templates, then resource, grant and acknowledgement counts per stack and per account equal what they hold', () => {
    for (const s of model.stacks) {
      const resources = Object.values(template(s.id).Resources);
      expect(s.resources, s.id).toBe(resources.filter((r) => r.Type !== 'AWS::CDK::Metadata').length);
      expect(s.grants, s.id).toBe(resources.filter((r) => r.Type === 'AWS::LakeFormation::PrincipalPermissions' || r.Type === 'AWS::LakeFormation::Permissions').length);
      expect(s.acknowledgements, s.id).toBe(resources.reduce((n, r) => n + (r.Metadata?.cdk_nag?.rules_to_suppress?.length ?? 0), 0));
      expect(s.findings, s.id).toBe(0);
    }
    expect(model.stacks.find((s) => s.id === 'catalog-sales')!.grants).toBeGreaterThan(0);
    for (const a of model.accounts) {
      expect(a.resources).toBe(a.stacks.reduce((n, s) => n + s.resources, 0));
      expect(a.grants).toBe(a.stacks.reduce((n, s) => n + s.grants, 0));
      expect(a.acknowledgements).toBe(a.stacks.reduce((n, s) => n + s.acknowledgements, 0));
      expect(a.stacks.every((s) => s.account === a.account)).toBe(true);
    }
    const productDatabases = model.catalog.databases.filter((d) => !d.isLink && d.parameters.data_product === 'true');
    expect(model.totals).toMatchObject({ accounts: 4, stacks: 15, domains: 3, products: productDatabases.length, findings: 0 });
    expect(model.totals.resources).toBe(model.stacks.reduce((n, s) => n + s.resources, 0));
    expect(model.totals.acknowledgements).toBe(model.acknowledgements.length);
  });

  it('given a synth with the packs, then the validation report is read and the example has no unacknowledged finding', () => {
    expect(model.validationReport).toBe(true);
    expect(model.failedPlugins).toEqual([]);
    expect(model.findings).toEqual([]);
    expect(model.packs.map((p) => p.pack)).toEqual(KNOWN_PACKS);
  });

  it('lists every acknowledgement with rule, construct path and reason, grouped by pack', () => {
    expect(model.acknowledgements).toContainEqual({
      pack: 'DataMesh',
      ruleId: 'DataMesh-S3BucketKmsEncrypted',
      constructPath: 'sales-storage/Domain/LogBucket/Resource',
      stack: 'sales-storage',
      logicalId: expect.stringMatching(/^DomainLogBucket/),
      reason: expect.stringContaining('S3 server access logging delivers only to buckets encrypted with S3-managed keys'),
    });
    expect(model.acknowledgements.every((a) => a.reason.length > 0 && a.ruleId.startsWith(`${a.pack}-`))).toBe(true);
    // Every pack has acknowledgements in the example, and the pack counts add up.
    for (const p of model.packs) expect(p.acknowledgements, p.pack).toBeGreaterThan(0);
    expect(model.packs.reduce((n, p) => n + p.acknowledgements, 0)).toBe(model.acknowledgements.length);
    // Same number of entries as the metadata of all templates.
    const inTemplates = model.stacks.reduce((n, s) => n + Object.values(template(s.id).Resources)
      .reduce((m, r) => m + (r.Metadata?.cdk_nag?.rules_to_suppress?.length ?? 0), 0), 0);
    expect(model.acknowledgements).toHaveLength(inTemplates);
    // Sorted by pack order, then rule and path.
    const ranks = model.acknowledgements.map((a) => KNOWN_PACKS.indexOf(a.pack));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('given the pii column email of sales_customers, then exactly the sales writer role can read it, no query role', () => {
    expect(model.sensitive.classifications).toEqual(['confidential', 'pii']);
    const email = model.sensitive.readers.filter((r) => r.database === 'sales_customers' && r.table === 'customers' && r.column === 'email');
    expect(email.map((r) => r.principal)).toEqual([SALES_WRITER]);
    expect(email[0].classification).toBe('pii');
    // Query roles see up to confidential (defaults.queryRoleMaxClassification): no pii column anywhere.
    expect(model.sensitive.readers.filter((r) => r.classification === 'pii' && r.principal.endsWith('-query'))).toEqual([]);
  });

  it('warns about principals it cannot resolve to a name, and includes the access evaluation warnings', () => {
    for (const w of model.matrix.warnings) expect(model.warnings).toContain(w);
    const unresolved = [...new Set(model.matrix.entries.map((e) => e.principal))].filter((p) => p.startsWith('<'));
    for (const p of unresolved) expect(model.warnings.some((w) => w.startsWith(`principal ${p} is not a fixed name`))).toBe(true);
    expect(model.warnings).toEqual([...model.warnings].sort());
  });

  it('given --sensitive internal, then the query roles that read internal columns are listed', () => {
    const internal = buildReportModel(dir, { sensitive: ['internal'] });
    const principals = new Set(internal.sensitive.readers.map((r) => r.principal));
    expect(principals).toContain('arn:aws:iam::333333333333:role/acme-marketing-query');
    expect(principals).toContain('arn:aws:iam::444444444444:role/acme-finance-query');
  });

  it('derives domains, products and subscription edges from the access matrix', () => {
    // mesh.yaml may grow: check the products and subscriptions the example is about.
    const domains = Object.fromEntries(model.domains.map((d) => [d.name, d]));
    expect(Object.keys(domains).sort()).toEqual(['finance', 'marketing', 'sales']);
    expect(domains.sales.account).toBe('222222222222');
    expect(domains.sales.products.map((p) => p.name)).toEqual(expect.arrayContaining(['customers', 'orders']));
    expect(domains.marketing.products.map((p) => p.name)).toContain('campaigns');
    expect(domains.finance.products).toEqual([]);
    expect(domains.sales.products.find((p) => p.name === 'orders')).toMatchObject({
      database: 'sales_orders', catalogId: '111111111111', owner: 'sales-data-team', classification: 'internal', tables: ['order_lines'],
    });
    const edges = model.edges.map((e) => `${e.consumer} -> ${e.producer}.${e.product}`);
    expect(edges).toEqual(expect.arrayContaining([
      'finance -> marketing.campaigns',
      'finance -> sales.orders',
      'marketing -> sales.customers',
      'marketing -> sales.orders',
    ]));
    expect(edges).toEqual([...edges].sort());
    expect(model.edges.every((e) => e.consumer !== e.producer && e.principal.endsWith(`:role/acme-${e.consumer}-query`))).toBe(true);
    expect(model.edges.find((e) => e.consumer === 'marketing' && e.product === 'customers')!.columns).toBe(3);
  });

  it('is deterministic: the same assembly gives the same HTML and Markdown', () => {
    const again = buildReportModel(dir);
    expect(renderHtml(again)).toBe(renderHtml(model));
    expect(renderMarkdown(again)).toBe(renderMarkdown(model));
  });

  it('writes both files into the assembly', () => {
    const written = writeReport(dir);
    expect(written.html).toBe(path.join(dir, 'data-mesh-report.html'));
    const html = fs.readFileSync(written.html, 'utf8');
    const md = fs.readFileSync(written.markdown, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('DataMesh-S3BucketKmsEncrypted');
    expect(html).toContain('<mark class="sensitive" title="classification pii">email [pii]</mark>');
    // Self-contained: no script, no external resource.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\((?!#)/i);
    expect(md).toContain('# Data mesh report: acme');
    expect(md).toContain('| DataMesh-S3BucketKmsEncrypted | sales-storage/Domain/LogBucket/Resource |');
    expect(md).toContain('**email [pii]**');
  });
});

describe('report model of a synth with findings', () => {
  let bad: string;
  let badModel: ReportModel;

  beforeAll(() => {
    bad = tempDir('bad');
    const app = new App({ outdir: bad, context: cdkContext({ validate: false }) });
    Validations.of(app).addPlugins(...compliancePacks(app));
    const stack = new Stack(app, 'bad', { env: { account: '123456789012', region: 'eu-west-1' }, stackName: 'demo-bad' });
    const bucket = new s3.Bucket(stack, 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access logs <are> off & "on purpose"' });
    // The packs fail the synth; the assembly (templates and validation-report.json) is written first.
    expect(() => app.synth()).toThrow(/validation-report\.json/);
    badModel = buildReportModel(bad);
  });

  afterAll(() => fs.rmSync(bad, { recursive: true, force: true }));

  it('lists every finding of validation-report.json with pack, rule, severity, construct path and stack', () => {
    const report = JSON.parse(fs.readFileSync(path.join(bad, 'validation-report.json'), 'utf8'));
    const expected = report.pluginReports.reduce((n: number, p: any) => n + p.violations.reduce((m: number, v: any) => m + v.violatingConstructs.length, 0), 0);
    expect(badModel.findings).toHaveLength(expected);
    expect(badModel.findings).toContainEqual({
      pack: 'AwsSolutions', rule: 'AwsSolutions-S10', severity: 'error', constructPath: 'bad/Bucket/Resource', stack: 'bad',
      description: expect.stringContaining('SSL'),
    });
    expect(badModel.findings).toContainEqual(expect.objectContaining({ pack: 'DataMesh', rule: 'DataMesh-S3BucketKmsEncrypted', stack: 'bad' }));
    // The acknowledged rule is not a finding, but an acknowledgement.
    expect(badModel.findings.some((f) => f.rule === 'AwsSolutions-S1')).toBe(false);
    expect(badModel.acknowledgements).toEqual([expect.objectContaining({
      pack: 'AwsSolutions', ruleId: 'AwsSolutions-S1', constructPath: 'bad/Bucket/Resource', reason: 'Access logs <are> off & "on purpose"',
    })]);
    for (const p of badModel.packs) expect(p.findings, p.pack).toBeGreaterThan(0);
    expect(badModel.failedPlugins).toEqual([...KNOWN_PACKS].sort());
    expect(badModel.packs.reduce((n, p) => n + p.findings, 0)).toBe(badModel.findings.length);
    expect(badModel.stacks[0]).toMatchObject({ id: 'bad', findings: badModel.findings.length, acknowledgements: 1 });
    expect(badModel.mesh).toBe('demo');
  });

  it('renders findings grouped by pack, escaped', () => {
    const html = renderHtml(badModel);
    expect(html).toContain('<table id="findings">');
    expect(html).toContain('AwsSolutions: 1 finding</th>');
    expect(html).toContain('Access logs &lt;are&gt; off &amp; &quot;on purpose&quot;');
    expect(html).not.toContain('<are>');
    const md = renderMarkdown(badModel);
    expect(md).toContain('#### AwsSolutions (1)');
    expect(md).toContain('| AwsSolutions-S10 | error | bad/Bucket/Resource |');
  });
});

describe('escaping', () => {
  it('given a product description with <script>, then HTML and Markdown show it as text', () => {
    const evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const tampered: ReportModel = {
      ...model,
      domains: model.domains.map((d) => ({ ...d, products: d.products.map((p) => (p.name === 'orders' ? { ...p, description: evil } : p)) })),
    };
    const html = renderHtml(tampered);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    const md = renderMarkdown(tampered);
    expect(md).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toContain('<script');
  });

  it('given names with markup, then the SVG escapes every text and attribute', () => {
    const svg = renderDiagramSvg({
      mesh: 'm<&>',
      domains: [{ name: 'a"<b>', account: '111111111111', products: [{ domain: 'a"<b>', name: 'p&q', catalogId: '1', database: 'x', tables: [], classification: "c'" }] }],
      edges: [],
    });
    expect(svg).not.toMatch(/<b>|p&q|m<&>|a"</);
    expect(svg).toContain('data-domain="a&quot;&lt;b&gt;"');
    expect(svg).toContain('p&amp;q');
    expect(svg).toContain('c&#39;');
  });

  it('escapes XML and Markdown special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkdown('sales_orders | _x_ <b>\n*y*')).toBe('sales_orders \\| \\_x\\_ &lt;b&gt; \\*y\\*');
  });

  it('classifies stack IDs and rule IDs', () => {
    expect(kindOf('catalog-sales_eu-2')).toEqual({ kind: 'catalog', part: 'sales_eu' });
    expect(kindOf('my-domain-storage')).toEqual({ kind: 'storage', part: 'my-domain' });
    expect(kindOf('stage/governance')).toEqual({ kind: 'governance' });
    expect(kindOf('something')).toEqual({ kind: 'other' });
    expect(packOf('NIST.800.53.R5-S3DefaultEncryptionKMS')).toBe('NIST.800.53.R5');
    expect(packOf('DataMesh::DataMesh-LakeFormationNoGrantOption')).toBe('DataMesh');
    expect(packOf('AwsSolutions-IAM5[Resource::*]')).toBe('AwsSolutions');
    expect(packOf('Custom-Rule')).toBe('Custom');
  });
});
