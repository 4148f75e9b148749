import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { CloudAssemblyStack, NotACloudAssemblyError, UNKNOWN_ACCOUNT, UNKNOWN_REGION, readCloudAssembly } from '../../lib/assembly';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-read-'));
  dirs.push(d);
  return d;
}

function write(file: string, content: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
}

/** A stack artifact whose template holds one bucket named `bucket`. */
function stackArtifact(dir: string, file: string, bucket: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  write(path.join(dir, file), { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: bucket } } } });
  return { type: 'aws:cloudformation:stack', properties: { templateFile: file }, ...extra };
}

const summary = (stacks: readonly CloudAssemblyStack[]) => stacks.map(({ template: _template, templateFile: _file, directory: _dir, ...rest }) => rest);

describe('readCloudAssembly', () => {
  it('reads the stacks in manifest order with their names, environments, templates and files; skips other artifacts', () => {
    const d = tempDir();
    write(path.join(d, 'manifest.json'), {
      version: '48.0.0',
      artifacts: {
        'zeta.assets': { type: 'cdk:asset-manifest', properties: { file: 'zeta.assets.json' } },
        'zeta': stackArtifact(d, 'zeta.template.json', 'z', {
          environment: 'aws://111111111111/eu-west-1', displayName: 'zeta',
          properties: { templateFile: 'zeta.template.json', stackName: 'acme-zeta' },
        }),
        'alpha': stackArtifact(d, 'alpha.template.json', 'a', { environment: 'aws://222222222222/us-east-1' }),
        'no-template': { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-west-1', properties: {} },
        'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    });
    const stacks = readCloudAssembly(d);
    expect(summary(stacks)).toEqual([
      { id: 'zeta', artifactId: 'zeta', stackName: 'acme-zeta', displayName: 'zeta', account: '111111111111', region: 'eu-west-1' },
      { id: 'alpha', artifactId: 'alpha', account: '222222222222', region: 'us-east-1' },
    ]);
    expect(stacks[0].templateFile).toBe(path.join(d, 'zeta.template.json'));
    expect(stacks[0].directory).toBe(d);
    expect(stacks[1].template).toEqual({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'a' } } } });
  });

  it('follows nested assemblies of both artifact types, prefixing the stack IDs with the assembly IDs', () => {
    const d = tempDir();
    const stage = path.join(d, 'assembly-Prod');
    const inner = path.join(stage, 'assembly-Prod-Eu');
    write(path.join(inner, 'manifest.json'), { artifacts: { Deep: stackArtifact(inner, 'Deep.template.json', 'deep', { environment: 'aws://333333333333/eu-central-1' }) } });
    write(path.join(stage, 'manifest.json'), {
      artifacts: {
        ProdDb: stackArtifact(stage, 'ProdDb.template.json', 'db', { environment: 'aws://222222222222/eu-west-1' }),
        'assembly-Prod-Eu': { type: 'aws:cloud-assembly', properties: { directoryName: 'assembly-Prod-Eu' } },
      },
    });
    write(path.join(d, 'manifest.json'), {
      artifacts: {
        Top: stackArtifact(d, 'Top.template.json', 'top'),
        'assembly-Prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Prod', displayName: 'Prod' } },
      },
    });
    const stacks = readCloudAssembly(d);
    expect(stacks.map((s) => [s.id, s.artifactId, s.account, s.directory])).toEqual([
      ['Top', 'Top', undefined, d],
      ['assembly-Prod/ProdDb', 'ProdDb', '222222222222', stage],
      ['assembly-Prod/assembly-Prod-Eu/Deep', 'Deep', '333333333333', inner],
    ]);
    expect(stacks.map((s) => s.template.Resources?.Bucket.Properties?.BucketName)).toEqual(['top', 'db', 'deep']);
    expect(stacks[2].templateFile).toBe(path.join(inner, 'Deep.template.json'));
  });

  it('reads a relative directory into absolute paths', () => {
    const d = tempDir();
    write(path.join(d, 'out', 'manifest.json'), { artifacts: { S: stackArtifact(path.join(d, 'out'), 'S.template.json', 's') } });
    const [s] = readCloudAssembly(path.relative(process.cwd(), path.join(d, 'out')));
    expect(s.directory).toBe(path.join(d, 'out'));
    expect(s.templateFile).toBe(path.join(d, 'out', 'S.template.json'));
  });

  it.each([
    ['aws://111111111111/eu-west-1', { account: '111111111111', region: 'eu-west-1' }],
    [`aws://${UNKNOWN_ACCOUNT}/${UNKNOWN_REGION}`, {}],
    [`aws://111111111111/${UNKNOWN_REGION}`, { account: '111111111111' }],
    [`aws://${UNKNOWN_ACCOUNT}/us-east-1`, { region: 'us-east-1' }],
    ['aws:///', {}],
    ['not-an-environment', {}],
    [undefined, {}],
  ])('parses the environment %s', (environment, expected) => {
    const d = tempDir();
    write(path.join(d, 'manifest.json'), { artifacts: { S: stackArtifact(d, 'S.template.json', 's', environment === undefined ? {} : { environment }) } });
    const [s] = readCloudAssembly(d);
    expect({ account: s.account, region: s.region }).toEqual({ account: undefined, region: undefined, ...expected });
  });

  it('reads the nested assembly the CDK writes for a Stage, and environment-agnostic stacks', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    new s3.Bucket(new Stack(app, 'Top'), 'Bucket');
    const prod = new Stage(app, 'Prod', { env: { account: '123456789012', region: 'eu-west-1' } });
    const db = new Stack(prod, 'Db', { stackName: 'prod-db' });
    new s3.Bucket(db, 'Bucket', { bucketName: 'prod-bucket' });
    app.synth();
    const stacks = readCloudAssembly(outdir);
    expect(stacks.map((s) => [s.id, s.stackName, s.displayName, s.account, s.region])).toEqual([
      [`assembly-Prod/${db.artifactId}`, 'prod-db', 'Prod/Db', '123456789012', 'eu-west-1'],
      ['Top', undefined, 'Top', undefined, undefined],
    ]);
    expect(stacks[0].directory).toBe(path.join(outdir, 'assembly-Prod'));
    expect(Object.values(stacks[0].template.Resources ?? {}).find((r) => r.Type === 'AWS::S3::Bucket')?.Properties?.BucketName).toBe('prod-bucket');
  });
});

describe('readCloudAssembly errors', () => {
  it('given a directory without manifest.json, then NotACloudAssemblyError says to synthesize first', () => {
    const d = tempDir();
    let error: unknown;
    try {
      readCloudAssembly(d);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotACloudAssemblyError);
    expect(error).toBeInstanceOf(Error);
    expect((error as NotACloudAssemblyError).directory).toBe(d);
    expect((error as Error).message).toBe(`${d} is not a cloud assembly (no manifest.json). Run \`npx cdk synth\` first, or pass the folder it wrote (cdk.out).`);
    expect(() => readCloudAssembly(path.join(d, 'missing'))).toThrow(`${path.join(d, 'missing')} is not a cloud assembly (no manifest.json)`);
  });

  it('given a nested assembly without manifest.json, then the error names its directory', () => {
    const d = tempDir();
    write(path.join(d, 'manifest.json'), { artifacts: { 'assembly-X': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-X' } } } });
    expect(() => readCloudAssembly(d)).toThrow(new NotACloudAssemblyError(path.join(d, 'assembly-X')).message);
  });

  it('given a manifest or template that is not JSON, then the error names the file', () => {
    const d = tempDir();
    write(path.join(d, 'manifest.json'), '{ not json');
    expect(() => readCloudAssembly(d)).toThrow(new RegExp(`^${escape(path.join(d, 'manifest.json'))} is not valid JSON: `));
    write(path.join(d, 'manifest.json'), { artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } });
    write(path.join(d, 'S.template.json'), '{"Resources": ');
    expect(() => readCloudAssembly(d)).toThrow(new RegExp(`^${escape(path.join(d, 'S.template.json'))} is not valid JSON: `));
  });

  it('given a template file that does not exist, then the error names it', () => {
    const d = tempDir();
    write(path.join(d, 'manifest.json'), { artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'gone.json' } } } });
    expect(() => readCloudAssembly(d)).toThrow(new RegExp(`^cannot read ${escape(path.join(d, 'gone.json'))}: ENOENT`));
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
