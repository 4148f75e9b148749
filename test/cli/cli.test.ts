import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeAwsEnv, FakeAws, startFakeAws } from './fake-aws';
import { loadYamlDefinition, ROOT, synthMesh } from '../helpers/mesh-assembly';

const CLI = path.join(ROOT, 'bin', 'data-mesh.js');

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI as a real process. */
function run(args: string[], env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('data-mesh CLI, offline commands', () => {
  it('given --help, then it lists every command and the exit codes, exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'plan', 'diff', 'products', 'describe', 'query', 'verify']) expect(r.stdout).toContain(c);
    expect(r.stdout).toContain('Exit codes:');
  });

  it('given an unknown command or a missing option, then exit 2', async () => {
    expect((await run(['bogus'])).code).toBe(2);
    const r = await run(['query', 'select 1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--workgroup <name>'");
  });

  it('given the shipped mesh.yaml, then validate exits 0, and --json is parseable', async () => {
    const r = await run(['validate', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'mesh.yaml', valid: true, domains: 3, products: 4, subscriptions: 3 });
  });

  it('given a broken mesh, then validate exits 1 and names file, line, column, field and value', async () => {
    const text = fs.readFileSync(path.join(ROOT, 'mesh.yaml'), 'utf8').replace('type: "decimal(12,2)"', 'type: strng');
    const file = tmpFile('broken.yaml', text);
    const r = await run(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[/.]/g, '\\$&')}:\\d+:\\d+ \`domains\\[0\\]\\.products\\[0\\]\\.tables\\[0\\]\\.columns\\[4\\]\\.type\``));
    expect(r.stderr).toContain('got: "strng"');
    const json = await run(['validate', file, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).valid).toBe(false);
  });

  it('given the shipped mesh, then plan --json lists 15 stacks in deploy order across 4 accounts', async () => {
    const r = await run(['plan', '--json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.stacks).toHaveLength(15);
    expect(new Set(plan.stacks.map((s: any) => s.account)).size).toBe(4);
    const order = new Map<string, number>(plan.stacks.map((s: any) => [s.stack, s.order]));
    for (const s of plan.stacks) for (const d of s.dependsOn) expect(order.get(d)!).toBeLessThan(s.order);
  });

  describe('diff', () => {
    let base: string;
    let renamed: string;

    beforeAll(() => {
      const def = loadYamlDefinition('mesh.yaml');
      base = synthMesh(def);
      renamed = synthMesh({
        ...def,
        domains: def.domains.map((d) => (d.name !== 'sales' ? d : { ...d, products: d.products!.map((p) => (p.name === 'orders' ? { ...p, name: 'orders_v2' } : p)) })),
        subscriptions: def.subscriptions!.map((s) => (s.products ? { ...s, products: ['sales.orders_v2'] } : s)),
      });
    });

    it('given a renamed product, then diff exits 1 and names the bucket and database that would be replaced', async () => {
      const r = await run(['diff', renamed, '--base', base]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('acme-sales-orders-222222222222-eu-west-1');
      expect(r.stdout).toContain('sales_orders');
      expect(r.stdout).toContain('Refusing');
    });

    it('given --allow, then diff lists what would be lost and exits 0; --json is parseable', async () => {
      const r = await run(['diff', renamed, '--base', base, '--allow']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('What would be lost');
      const j = await run(['diff', renamed, '--base', base, '--json']);
      expect(j.code).toBe(1);
      expect(JSON.parse(j.stdout).changes.length).toBeGreaterThan(0);
    });

    it('given the same assembly, then diff exits 0', async () => {
      expect((await run(['diff', base, '--base', base])).code).toBe(0);
    });

    it('given a missing base, then diff exits 3 with the reason', async () => {
      const r = await run(['diff', base, '--base', '/nonexistent/cdk.out']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('/nonexistent/cdk.out does not exist');
    });
  });
});

describe('data-mesh CLI against a fake AWS endpoint on loopback', () => {
  let aws: FakeAws;
  let polls = 0;

  beforeAll(async () => {
    aws = await startFakeAws({
      'Glue.GetDatabases': () => ({
        DatabaseList: [
          { Name: 'sales_orders', Description: 'Every confirmed order', CatalogId: '111111111111',
            Parameters: { data_product: 'true', domain: 'sales', product: 'orders', owner: 'sales-data-team', classification_level: 'internal' } },
          { Name: 'scratch', Parameters: {} },
        ],
      }),
      'LakeFormation.GetResourceLFTags': () => ({ LFTagOnDatabase: [{ TagKey: 'classification', TagValues: ['internal'] }] }),
      'Athena.StartQueryExecution': () => ({ QueryExecutionId: 'q-1' }),
      'Athena.GetQueryExecution': (input) => {
        polls++;
        if (input.QueryExecutionId === 'q-fail') {
          return { QueryExecution: { QueryExecutionId: 'q-fail', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.sales_orders.nope does not exist' } } };
        }
        return { QueryExecution: { QueryExecutionId: 'q-1', Status: { State: polls < 2 ? 'RUNNING' : 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2048, EngineExecutionTimeInMillis: 12 } } };
      },
      'Athena.GetQueryResults': () => ({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'sku', Type: 'varchar' }, { Name: 'n', Type: 'bigint' }] },
          Rows: [{ Data: [{ VarCharValue: 'sku' }, { VarCharValue: 'n' }] }, { Data: [{ VarCharValue: 'A,1' }, { VarCharValue: '3' }] }],
        },
      }),
    });
  });

  afterAll(async () => aws.close());

  it('given products, then it lists only product databases with their classification', async () => {
    const r = await run(['products'], fakeAwsEnv(aws.url));
    expect(r.stderr).not.toContain('data-mesh:');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sales_orders');
    expect(r.stdout).toContain('internal');
    expect(r.stdout).not.toContain('scratch');
    const j = await run(['products', '--json'], fakeAwsEnv(aws.url));
    expect(JSON.parse(j.stdout).map((p: any) => p.name)).toEqual(['sales_orders']);
  });

  it('given a query, then it shows progress on stderr and prints rows as table, CSV or JSON', async () => {
    polls = 0;
    const r = await run(['query', 'select sku, n from order_lines', '--workgroup', 'acme-sales', '--database', 'sales_orders'], fakeAwsEnv(aws.url));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/RUNNING \d+\.\ds/);
    expect(r.stderr).toContain('1 rows, 2.0 KB scanned');
    expect(r.stdout).toMatch(/sku\s+n\n/);
    const start = aws.calls.find((c) => c.operation === 'Athena.StartQueryExecution')!;
    expect(start.input).toMatchObject({ QueryString: 'select sku, n from order_lines', WorkGroup: 'acme-sales', QueryExecutionContext: { Database: 'sales_orders' } });
    polls = 0;
    const csv = await run(['query', 'select 1', '--workgroup', 'w', '--database', 'd', '--format', 'csv'], fakeAwsEnv(aws.url));
    expect(csv.stdout).toBe('sku,n\n"A,1",3\n');
    polls = 0;
    const json = await run(['query', 'select 1', '--workgroup', 'w', '--database', 'd', '--format', 'json'], fakeAwsEnv(aws.url));
    expect(JSON.parse(json.stdout)).toEqual([{ sku: 'A,1', n: 3 }]);
  });

  it('given a query Athena fails, then exit 3 with Athena\'s reason', async () => {
    const failing = await startFakeAws({
      'Athena.StartQueryExecution': () => ({ QueryExecutionId: 'q-fail' }),
      'Athena.GetQueryExecution': () => ({ QueryExecution: { QueryExecutionId: 'q-fail', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: Table nope does not exist' } } }),
    });
    try {
      const r = await run(['query', 'select * from nope', '--workgroup', 'w', '--database', 'd'], fakeAwsEnv(failing.url));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('TABLE_NOT_FOUND: Table nope does not exist');
    } finally {
      await failing.close();
    }
  });

  it('given AWS refuses the call, then exit 3 with the service error', async () => {
    const denying = await startFakeAws({
      'Glue.GetDatabases': () => { throw Object.assign(new Error('User is not authorized to perform glue:GetDatabases'), { name: 'AccessDeniedException' }); },
    });
    try {
      const r = await run(['products'], fakeAwsEnv(denying.url));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('AccessDeniedException');
      expect(r.stderr).toContain('not authorized');
    } finally {
      await denying.close();
    }
  });
});
