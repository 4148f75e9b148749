import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { ROOT, exampleDefinition, synthesize } from '../report/synth';

const CLI = path.join(ROOT, 'bin', 'data-mesh.js');
const MARKETING_QUERY = 'arn:aws:iam::333333333333:role/acme-marketing-query';

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI as a real process. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000, maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr }));
  });
}

/** mesh.yaml with marketing's sales subscription narrowed from [public, internal] to [public]. */
function narrowed(def: MeshDefinition): MeshDefinition {
  return {
    ...def,
    subscriptions: def.subscriptions!.map((s) => (s.consumer === 'marketing' && s.name === 'sales-internal'
      ? { ...s, expression: { ...s.expression!, classification: ['public'] } }
      : s)),
  };
}

let base: string;
let changed: string;
const scratch: string[] = [];

beforeAll(() => {
  // Without the nag packs, for speed: access and report read what is in the assembly.
  const def = exampleDefinition();
  expect(def.subscriptions!.find((s) => s.consumer === 'marketing' && s.name === 'sales-internal')!.expression!.classification).toEqual(['public', 'internal']);
  base = synthesize(def, { validate: false });
  changed = synthesize(narrowed(def), { validate: false });
});

afterAll(() => {
  for (const d of [base, changed, ...scratch]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-access-'));
  scratch.push(d);
  return d;
}

describe('data-mesh access', () => {
  it('given an assembly, then it prints the access table with sensitive columns marked, exit 0', async () => {
    const r = await run(['access', base]);
    expect(r.stderr).not.toContain('data-mesh:');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^principal\s+\| database\s+\| table\s+\| describe \| select$/);
    expect(r.stdout).toMatch(/arn:aws:iam::222222222222:role\/acme-sales-writer\s+\| 111111111111:sales_customers .*\| customers\s+\| yes\s+\| all \(sensitive: email\[pii\]\)/);
    expect(r.stdout).toMatch(/acme-marketing-query\s+\| 111111111111:sales_customers \(link 333333333333:sales_customers\)\s+\| customers\s+\| yes\s+\| country, customer_id, segment\n/);
  });

  it('given --json, then it prints the matrix as parseable JSON', async () => {
    const r = await run(['access', base, '--json']);
    expect(r.code).toBe(0);
    const matrix = JSON.parse(r.stdout);
    expect(matrix.entries.length).toBeGreaterThan(0);
    expect(matrix.entries.find((e: any) => e.principal === MARKETING_QUERY && e.database === 'sales_orders'))
      .toMatchObject({ describe: true, throughLink: '333333333333:sales_orders', tables: { order_lines: { describe: true, select: 'all' } } });
    expect(matrix.schema['111111111111:sales_customers.customers'].classifications.email).toBe('pii');
  });

  it('given --sensitive internal, then internal columns are marked', async () => {
    const r = await run(['access', base, '--sensitive', 'internal']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('country[internal], customer_id[internal], segment[internal]');
    const bad = await run(['access', base, '--sensitive', ' , ']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sensitive needs at least one classification');
  });

  it('given --base and a narrowed subscription, then it prints exactly what marketing\'s query role loses, exit 0', async () => {
    const r = await run(['access', changed, '--base', base]);
    expect(r.stderr).not.toContain('data-mesh:');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(MARKETING_QUERY);
    const changes = lines.slice(1);
    // Only marketing's query role, only losses, only the sales products it read.
    expect(lines.filter((l) => !l.startsWith('  '))).toEqual([MARKETING_QUERY]);
    expect(changes.every((l) => /^ {2}- (database|table|column) +111111111111:sales_(orders|customers)/.test(l))).toBe(true);
    expect(changes).toContain('  - database 111111111111:sales_customers');
    expect(changes).toContain('  - database 111111111111:sales_orders');
    expect(changes).toContain('  - table    111111111111:sales_orders.order_lines');
    expect(changes).toContain('  - column   111111111111:sales_customers.customers.country');
    expect(changes.some((l) => l.includes('email'))).toBe(false);
    expect(changes).toHaveLength(2 + 2 + 3 + 7);

    const j = await run(['access', changed, '--base', base, '--json']);
    expect(j.code).toBe(0);
    const diff = JSON.parse(j.stdout);
    expect(diff).toMatchObject({ base, assembly: changed });
    expect(diff.principals.map((p: any) => p.principal)).toEqual([MARKETING_QUERY]);
    const [m] = diff.principals;
    expect(m.gained).toEqual({ databases: [], tables: [], columns: [], write: [] });
    expect(m.lost.databases.map((d: any) => d.database)).toEqual(['sales_customers', 'sales_orders']);
    expect(m.lost.columns).toHaveLength(10);
  });

  it('given the same assembly as base, then no access changes', async () => {
    const r = await run(['access', base, '--base', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no access changes\n');
  });

  it('given a missing or invalid assembly, then exit 3 with the reason', async () => {
    const missing = await run(['access', '/nonexistent/cdk.out']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('/nonexistent/cdk.out does not exist');
    const empty = tmp();
    const notAssembly = await run(['access', empty]);
    expect(notAssembly.code).toBe(3);
    expect(notAssembly.stderr).toContain(`${empty} is not a cloud assembly (no manifest.json)`);
    const broken = tmp();
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{ not json');
    const invalid = await run(['access', broken]);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain(`cannot read the cloud assembly ${broken}`);
    const missingBase = await run(['access', base, '--base', '/nonexistent/old.out']);
    expect(missingBase.code).toBe(3);
    expect(missingBase.stderr).toContain('/nonexistent/old.out does not exist');
  });
});

describe('data-mesh report', () => {
  it('given an assembly, then it writes the HTML page and the Markdown file into it and prints their paths, exit 0', async () => {
    const r = await run(['report', base]);
    expect(r.stderr).not.toContain('data-mesh:');
    expect(r.code).toBe(0);
    const html = path.join(base, 'data-mesh-report.html');
    const md = path.join(base, 'data-mesh-report.md');
    expect(r.stdout).toBe(`${html}\n${md}\n`);
    expect(r.stderr).toMatch(/^Report of mesh acme: 15 stacks, /);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<title>Data mesh report: acme</title>');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script/i);
    // Synthesized without the nag packs: the page says so.
    expect(page).toContain('Acknowledgements (0)');
    expect(page).toContain('the compliance packs (lib/compliance.ts) were probably not registered');
    expect(fs.readFileSync(md, 'utf8')).toMatch(/^# Data mesh report: acme\n/);
  });

  it('given --sensitive, then the readers of those classifications are listed', async () => {
    const r = await run(['report', base, '--sensitive', 'internal']);
    expect(r.code).toBe(0);
    const md = fs.readFileSync(path.join(base, 'data-mesh-report.md'), 'utf8');
    const section = md.slice(md.indexOf('## Who can read sensitive columns'), md.indexOf('## Data products'));
    expect(section).toContain('arn:aws:iam::333333333333:role/acme-marketing-query | 111111111111:sales_customers.customers.country | internal');
  });

  it('given a missing or invalid assembly, then exit 3 with the reason', async () => {
    const missing = await run(['report', '/nonexistent/cdk.out']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('/nonexistent/cdk.out does not exist');
    const empty = tmp();
    const notAssembly = await run(['report', empty]);
    expect(notAssembly.code).toBe(3);
    expect(notAssembly.stderr).toContain('is not a cloud assembly');
    expect(fs.existsSync(path.join(empty, 'data-mesh-report.html'))).toBe(false);
  });

  it('is listed in --help with access', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}access \[options\] \[cdkOut\]/);
    expect(r.stdout).toMatch(/\n {2}report \[options\] \[cdkOut\]/);
  });
});
