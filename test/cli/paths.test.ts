import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadYamlDefinition, ROOT, synthMesh } from '../helpers/mesh-assembly';

const CLI = path.join(ROOT, 'bin', 'data-mesh.js');

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI as a real process in `cwd`. */
function run(args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

describe('data-mesh paths', () => {
  let ok: string;
  let broken: string;

  beforeAll(() => {
    // The single-account example, and a copy whose audit key policy no longer admits CloudTrail.
    ok = synthMesh(loadYamlDefinition('examples/single-account.yaml'));
    broken = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-cli-'));
    fs.cpSync(ok, broken, { recursive: true });
    const file = path.join(broken, 'governance.template.json');
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const r of Object.values<any>(t.Resources)) {
      if (r.Type !== 'AWS::KMS::Key') continue;
      r.Properties.KeyPolicy.Statement = r.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal?.Service !== 'cloudtrail.amazonaws.com');
    }
    fs.writeFileSync(file, JSON.stringify(t));
  }, 120_000);

  it('given an assembly whose paths are all ok, then it prints a line per path kind and exits 0', async () => {
    const r = await run(['paths', ok]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Runtime paths of /);
    for (const kind of ['cloudtrail', 'writer', 'credential-vending', 'domain-query', 'consumer-query', 'data-quality', 'alarm-notification']) expect(r.stdout).toContain(kind);
    expect(r.stdout).not.toContain('Problems');
  });

  it('given a broken path, then it names the first failing step and exits 1', async () => {
    const r = await run(['paths', broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BROKEN  [cloudtrail]');
    expect(r.stdout).toContain('call:      kms:GenerateDataKey');
    expect(r.stdout).toContain('principal: cloudtrail.amazonaws.com');
    expect(r.stdout).toMatch(/missing: +key policy of governance\/GovernanceAuditKey\w+ has no statement allowing cloudtrail\.amazonaws\.com kms:GenerateDataKey/);
    expect(r.stdout).toContain('see:       https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html');
  });

  it('given --json, then it prints a report that parses, with every step', async () => {
    const r = await run(['paths', broken, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.summary.cloudtrail).toEqual({ total: 1, ok: 0, fail: 1, unknown: 0 });
    const trail = report.paths.find((p: any) => p.kind === 'cloudtrail');
    expect(trail.firstProblem).toMatchObject({ call: 'kms:GenerateDataKey', principal: 'cloudtrail.amazonaws.com', status: 'fail' });
    expect(trail.steps.length).toBeGreaterThan(3);
  });

  it('given no argument, then it reads cdk.out of the current directory', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-cwd-'));
    fs.cpSync(ok, path.join(cwd, 'cdk.out'), { recursive: true });
    const r = await run(['paths'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Runtime paths of cdk.out');
  });

  it('given a missing directory, then one clear line and the usage exit code', async () => {
    const r = await run(['paths', '/nonexistent/cdk.out']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('data-mesh: /nonexistent/cdk.out does not exist: pass the cloud assembly folder (npx cdk synth writes cdk.out).\n');
  });

  it('given a folder that is not a cloud assembly, then one clear line and the usage exit code', async () => {
    const r = await run(['paths', fs.mkdtempSync(path.join(os.tmpdir(), 'paths-empty-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is not a cloud assembly (no manifest.json)');
  });
});
