import { describe, expect, it } from 'vitest';
import { PATH_KINDS } from '../../lib/paths';
import { exampleAssembly, problems, report } from './helpers';

/** Path kinds each example declares instances of (single-account and large meshes have no quality rulesets or alarms). */
const EXPECTED_KINDS: Record<string, readonly string[]> = {
  'mesh.yaml': PATH_KINDS.map((k) => k.kind),
  'examples/single-account.yaml': ['cloudtrail', 'writer', 'credential-vending', 'domain-query', 'consumer-query'],
  'examples/large.yaml': ['cloudtrail', 'writer', 'credential-vending', 'domain-query', 'consumer-query'],
};

describe.each(Object.keys(EXPECTED_KINDS))('runtime paths of %s', (file) => {
  it('lists every path kind the mesh has, with instances', () => {
    // GIVEN the synthesized example WHEN its paths are walked
    const r = report(exampleAssembly(file));
    // THEN each expected kind has at least one instance, and every step cites an AWS documentation page
    for (const kind of EXPECTED_KINDS[file]) expect(r.summary[kind as keyof typeof r.summary].total, kind).toBeGreaterThan(0);
    for (const p of r.paths) for (const s of p.steps) expect(s.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('has every path ok', () => {
    const r = report(exampleAssembly(file));
    expect(problems(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('cannot-evaluate never hides in an ok path, and no step of the example is unknown', () => {
    const r = report(exampleAssembly(file));
    expect(r.paths.flatMap((p) => p.steps).filter((s) => s.status === 'unknown').map((s) => `${s.call} ${s.resource}: ${s.reason}`)).toEqual([]);
  });
});

describe('runtime paths of mesh.yaml: one instance per product, table and role', () => {
  it('walks a writer and a registration per product, a domain query per table, a consumer query per subscribed table', () => {
    const r = report(exampleAssembly('mesh.yaml'));
    const of = (kind: string) => r.paths.filter((p) => p.kind === kind).map((p) => p.instance).sort();
    expect(of('writer')).toEqual([
      'marketing writer → marketing_campaigns', 'marketing writer → marketing_leads', 'sales writer → sales_customers', 'sales writer → sales_orders',
    ]);
    expect(of('credential-vending')).toHaveLength(4);
    expect(of('domain-query')).toHaveLength(5);
    expect(of('consumer-query').map((i) => i.replace(/ \(link.*$/, ''))).toEqual([
      'finance query → 111111111111:marketing_campaigns.daily_performance',
      'finance query → 111111111111:sales_orders.order_lines',
      'marketing query → 111111111111:sales_customers.customers',
      'marketing query → 111111111111:sales_orders.order_lines',
    ]);
    expect(of('data-quality')).toHaveLength(2);
  });

  it('checks that the consumer is refused the pii column of a subscribed product', () => {
    const r = report(exampleAssembly('mesh.yaml'));
    const p = r.paths.find((x) => x.kind === 'consumer-query' && x.instance.startsWith('marketing query → 111111111111:sales_customers.customers'))!;
    const refusal = p.steps.find((s) => s.call === 'lakeformation:SELECT (refused)');
    expect(refusal).toMatchObject({ resource: '111111111111:sales_customers.customers.email', status: 'ok', principal: 'arn:aws:iam::333333333333:role/acme-marketing-query' });
  });
});
