import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A CloudFormation resource as written in a template. */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface HandStack {
  readonly id: string;
  readonly account: string;
  readonly region?: string;
  readonly resources: Record<string, Resource>;
}

/** Makes a temporary directory that is removed by {@link removeDir}. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `access-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a cloud assembly (manifest.json + one template per stack) into `dir` and returns `dir`. */
export function writeAssembly(dir: string, stacks: readonly HandStack[], nested: Record<string, readonly HandStack[]> = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const artifacts: Record<string, unknown> = {};
  for (const s of stacks) {
    const templateFile = `${s.id}.template.json`;
    fs.writeFileSync(path.join(dir, templateFile), JSON.stringify({ Resources: s.resources }, undefined, 1));
    artifacts[s.id] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${s.account}/${s.region ?? 'eu-west-1'}`,
      properties: { templateFile },
    };
  }
  for (const [name, inner] of Object.entries(nested)) {
    const directoryName = `assembly-${name}`;
    writeAssembly(path.join(dir, directoryName), inner);
    artifacts[name] = { type: 'aws:cloud-assembly', properties: { directoryName } };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }, undefined, 1));
  return dir;
}

/** `arn:${AWS::Partition}:iam::<account>:role/<name>` as CDK writes it. */
export function roleArnJoin(account: string | Record<string, unknown>, name: string): Record<string, unknown> {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', account, `:role/${name}`]] };
}

export function roleArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

export function lfTag(catalogId: string, key: string, values: readonly string[]): Resource {
  return { Type: 'AWS::LakeFormation::Tag', Properties: { CatalogId: catalogId, TagKey: key, TagValues: values } };
}

export function database(catalogId: string, name: string, extra: Record<string, unknown> = {}): Resource {
  return {
    Type: 'AWS::Glue::Database',
    Properties: { CatalogId: catalogId, DatabaseInput: { Name: name, LocationUri: `s3://bucket-${name}/`, CreateTableDefaultPermissions: [], ...extra } },
  };
}

export function link(catalogId: string, name: string, target: { catalogId: string; name: string }): Resource {
  return {
    Type: 'AWS::Glue::Database',
    Properties: { CatalogId: catalogId, DatabaseInput: { Name: name, TargetDatabase: { CatalogId: target.catalogId, DatabaseName: target.name, Region: 'eu-west-1' } } },
  };
}

export function table(catalogId: string, databaseName: string, name: string, columns: readonly string[], partitionKeys: readonly string[] = []): Resource {
  return {
    Type: 'AWS::Glue::Table',
    Properties: {
      CatalogId: catalogId,
      DatabaseName: databaseName,
      TableInput: {
        Name: name,
        PartitionKeys: partitionKeys.map((c) => ({ Name: c, Type: 'string' })),
        StorageDescriptor: { Columns: columns.map((c) => ({ Name: c, Type: 'string' })) },
      },
    },
  };
}

export function tags(resource: Record<string, unknown>, catalogId: string, values: Record<string, string>): Resource {
  return {
    Type: 'AWS::LakeFormation::TagAssociation',
    Properties: {
      Resource: resource,
      LFTags: Object.entries(values).map(([k, v]) => ({ CatalogId: catalogId, TagKey: k, TagValues: [v] })),
    },
  };
}

export function grant(principal: unknown, resource: Record<string, unknown>, permissions: readonly string[], grantable: readonly string[] = []): Resource {
  return {
    Type: 'AWS::LakeFormation::PrincipalPermissions',
    Properties: {
      Principal: { DataLakePrincipalIdentifier: principal },
      Resource: resource,
      Permissions: permissions,
      PermissionsWithGrantOption: grantable,
    },
  };
}

export function tagPolicy(catalogId: string, resourceType: 'DATABASE' | 'TABLE', expression: Record<string, readonly string[]>): Record<string, unknown> {
  return {
    LFTagPolicy: {
      CatalogId: catalogId,
      ResourceType: resourceType,
      Expression: Object.entries(expression).map(([k, v]) => ({ TagKey: k, TagValues: v })),
    },
  };
}
