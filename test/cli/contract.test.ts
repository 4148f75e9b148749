import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { mapContract } from '../../lib/contracts/map';
import { parseContract } from '../../lib/contracts/parse';
import { loadMeshDefinition } from '../../lib/mesh/loader';

/* eslint-disable @typescript-eslint/no-explicit-any */
const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'data-mesh.js');
const ONTOLOGY = { classificationValues: ['public', 'internal', 'confidential', 'pii'], ontologyTags: { tier: ['gold', 'silver', 'bronze'] } };

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI as a real process from the project root. */
function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' }, timeout: 120_000,
    }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-contract-'));
  dirs.push(dir);
  return dir;
}

describe('data-mesh contract export', () => {
  it('given a contract product of mesh.yaml, then it prints its ODCS v3.1.0 contract as YAML with the contract\'s tables, quality and SLA, exit 0', async () => {
    const r = await run(['contract', 'export', 'marketing.leads']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# ODCS v3\.1\.0 data contract of marketing\.leads/);
    const contract = YAML.parse(r.stdout);
    expect(contract).toMatchObject({
      apiVersion: 'v3.1.0', kind: 'DataContract', domain: 'marketing', dataProduct: 'leads',
      id: '3d9c2a71-5f4e-4b8a-a0c6-91e2d7b4f3a8', version: '1.0.0', status: 'active',
      servers: [{ type: 's3', location: 's3://acme-marketing-leads-333333333333-eu-west-1/', format: 'parquet' }],
      slaProperties: [{ property: 'latency', value: 1, unit: 'd' }, { property: 'retention', value: 730, unit: 'd' }],
    });
    expect(contract.schema.map((o: any) => o.name)).toEqual(['leads', 'lead_conversions']);
    // Mapped back, it defines the product mesh.yaml deploys.
    const spec = mapContract(parseContract(r.stdout, 'stdout.yaml'), ONTOLOGY);
    const loaded = loadMeshDefinition(path.join(ROOT, 'mesh.yaml'));
    const original = loaded.contracts['marketing.leads'];
    expect(spec.tables).toEqual(original.tables);
    expect(spec.quality.map((q) => q.dqdl)).toEqual(original.quality.map((q) => q.dqdl));
    expect(spec.sla).toEqual(original.sla);
    expect(spec.columnParameters).toEqual(original.columnParameters);
    expect([spec.owner, spec.contact, spec.classification, spec.tags]).toEqual([original.owner, original.contact, original.classification, original.tags]);
  });

  it('given an inline product, --json and a mesh file, then it prints JSON; -o writes the file and nothing to stdout', async () => {
    const json = await run(['contract', 'export', 'sales.orders', 'mesh.yaml', '--json']);
    expect(json.code).toBe(0);
    const contract = JSON.parse(json.stdout);
    expect(contract).toMatchObject({ kind: 'DataContract', id: 'sales.orders', dataProduct: 'orders', tags: ['classification:internal', 'tier:gold'] });
    expect(contract.schema[0].properties.find((p: any) => p.name === 'order_date')).toMatchObject({ partitioned: true, partitionKeyPosition: 1 });

    const out = path.join(tmpDir(), 'orders.odcs.yaml');
    const written = await run(['contract', 'export', 'sales.orders', '-o', out]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain(`Wrote the contract of sales.orders to ${out}`);
    const fromFile = YAML.parse(fs.readFileSync(out, 'utf8'));
    expect(fromFile).toEqual(contract);
  });

  it('given another mesh file, then its products are exported', async () => {
    const r = await run(['contract', 'export', 'sales.orders', 'examples/single-account.yaml']);
    expect(r.code).toBe(0);
    expect(YAML.parse(r.stdout)).toMatchObject({ kind: 'DataContract', domain: 'sales', dataProduct: 'orders' });
  });

  it('given an unknown product, then exit 1 naming the products of the mesh', async () => {
    for (const product of ['marketing.nope', 'leads']) {
      const r = await run(['contract', 'export', product]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`unknown product "${product}" in mesh.yaml`);
      expect(r.stderr).toContain('marketing.campaigns, marketing.leads, sales.customers, sales.orders');
    }
  });

  it('given an invalid mesh file, then exit 1 with its problems; an unwritable output, exit 3', async () => {
    const dir = tmpDir();
    const broken = path.join(dir, 'mesh.yaml');
    fs.writeFileSync(broken, fs.readFileSync(path.join(ROOT, 'mesh.yaml'), 'utf8').replace('contract: examples/contracts/leads.odcs.yaml', 'contract: nope.odcs.yaml'));
    const r = await run(['contract', 'export', 'sales.orders', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/`domains\[1\]\.products\[1\]\.contract` must name a readable ODCS data contract file/);
    const w = await run(['contract', 'export', 'sales.orders', '-o', path.join(dir, 'missing', 'x.yaml')]);
    expect(w.code).toBe(3);
    expect(w.stderr).toContain('cannot write');
  });

  it('given --help, then usage and exit codes, exit 0; a missing product argument is a usage error, exit 2', async () => {
    const help = await run(['contract', 'export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: data-mesh contract export [options] <product> [file]');
    expect(help.stdout).toContain('-o, --output <path>');
    expect(help.stdout).toContain('Exit codes:');
    const group = await run(['contract', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('export');
    const top = await run(['--help']);
    expect(top.stdout).toMatch(/\n\s+contract\b/);
    const missing = await run(['contract', 'export']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'product'");
  });
});
