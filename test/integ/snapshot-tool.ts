/**
 * Offline snapshots of the integration tests, in integ-runner's layout (`integ.<name>.ts.snapshot/`: the cloud
 * assembly without asset folders). integ-runner itself cannot be used with this aws-cdk-lib (see README.md), so
 * this does what its snapshot step does: synthesize each integ app with integ-runner's placeholder environment
 * and compare the templates, asset hashes and the assertions' deploy-time salt aside.
 *
 *   npx tsx test/integ/snapshot-tool.ts update [integ.x.ts ...]   rewrite the snapshots
 *   npx tsx test/integ/snapshot-tool.ts check  [integ.x.ts ...]   exit 1 when one is out of date
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const INTEG_DIR = __dirname;

/** The integ apps: `integ.*.ts`, integ-runner's TypeScript pattern. */
export function integFiles(): string[] {
  return fs.readdirSync(INTEG_DIR).filter((f) => /^integ\..*(?<!\.d)\.ts$/.test(f)).sort();
}

export function snapshotDir(file: string): string {
  return path.join(INTEG_DIR, `${file}.snapshot`);
}

/**
 * Synthesizes one integ app into `outdir` the way integ-runner does: its own process, with integ-runner's
 * placeholder variables (so no account of the machine's environment reaches the snapshot) and no AWS credentials.
 */
export function synthesize(file: string, outdir: string): void {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(k)) env[k] = v;
  }
  Object.assign(env, { CDK_OUTDIR: outdir, CDK_INTEG_ACCOUNT: '12345678', CDK_INTEG_REGION: 'test-region' });
  const tsx = path.join(INTEG_DIR, '..', '..', 'node_modules', '.bin', 'tsx');
  execFileSync(tsx, [path.join(INTEG_DIR, file)], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
}

/** Writes the snapshot of `file`: the synthesized assembly without asset folders, like integ-runner. */
export function updateSnapshot(file: string): void {
  const dir = snapshotDir(file);
  fs.rmSync(dir, { recursive: true, force: true });
  synthesize(file, dir);
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('asset.')) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

interface Assembly {
  readonly templates: Record<string, unknown>;
  readonly integ: unknown;
}

function readAssembly(dir: string): Assembly {
  const templates: Record<string, unknown> = {};
  const assetHashes: string[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.assets.json')) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      assetHashes.push(...Object.keys(manifest.files ?? {}), ...Object.keys(manifest.dockerImages ?? {}));
    }
  }
  // Asset hashes are ignored, as integ-runner does without `diffAssets` (handler code is tested by its own tests).
  const hashes = [...new Set(assetHashes)].filter((h) => /^[0-9a-f]{64}$/.test(h));
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.template.json')) continue;
    templates[f] = canonical(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), hashes);
  }
  const integPath = path.join(dir, 'integ.json');
  return { templates, integ: fs.existsSync(integPath) ? JSON.parse(fs.readFileSync(integPath, 'utf8')).testCases : undefined };
}

function canonical(value: unknown, hashes: readonly string[], key?: string): unknown {
  // integ-tests-alpha gives every assertion a `salt` of Date.now() so that it runs again on every deploy.
  if (key === 'salt' && typeof value === 'string') return '<salt>';
  if (typeof value === 'string') return hashes.reduce((s, h) => s.split(h).join('<asset-hash>'), value);
  if (Array.isArray(value)) return value.map((v) => canonical(v, hashes));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [canonical(k, hashes), canonical(v, hashes, k)]));
  }
  return value;
}

/** JSON paths at which `a` and `b` differ (at most `limit`). */
function differences(a: unknown, b: unknown, at: string, out: string[], limit = 20): void {
  if (out.length >= limit) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`, out, limit);
    return;
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 200));
  out.push(`${at}: snapshot ${show(a)}, now ${show(b)}`);
}

/**
 * Problems of the snapshot of `file`: missing, a template added or removed, or a template or test case that
 * differs. Empty when the snapshot is up to date.
 */
export function checkSnapshot(file: string): string[] {
  const dir = snapshotDir(file);
  if (!fs.existsSync(dir)) return [`${file}: no snapshot ${path.relative(process.cwd(), dir)}`];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-'));
  try {
    synthesize(file, tmp);
    const expected = readAssembly(dir);
    const actual = readAssembly(tmp);
    const problems: string[] = [];
    differences(expected.integ, actual.integ, `${file} integ.json testCases`, problems);
    for (const t of Object.keys(expected.templates)) if (!(t in actual.templates)) problems.push(`${file}: ${t} exists in the snapshot, but not in the app`);
    for (const t of Object.keys(actual.templates)) {
      if (!(t in expected.templates)) {
        problems.push(`${file}: ${t} is new (not in the snapshot)`);
        continue;
      }
      differences(expected.templates[t], actual.templates[t], `${file} ${t}`, problems);
    }
    return problems;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const [command, ...names] = argv;
  const files = names.length > 0 ? names.map((n) => path.basename(n)) : integFiles();
  if (command === 'update') {
    for (const f of files) {
      updateSnapshot(f);
      console.log(`updated ${path.relative(process.cwd(), snapshotDir(f))}`);
    }
    return 0;
  }
  if (command === 'check') {
    let failed = 0;
    for (const f of files) {
      const problems = checkSnapshot(f);
      console.log(problems.length === 0 ? `  UNCHANGED  ${f}` : `  CHANGED    ${f}\n${problems.map((p) => `      ${p}`).join('\n')}`);
      if (problems.length > 0) failed++;
    }
    if (failed > 0) console.log(`${failed} snapshot(s) out of date: run \`npm run integ:snapshots:update\`, review and commit the diff.`);
    return failed > 0 ? 1 : 0;
  }
  console.error('usage: tsx test/integ/snapshot-tool.ts update|check [integ.<name>.ts ...]');
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
