import { expect } from 'vitest';
import { CfnTemplate, Json, dependsOn, resourcesOfType } from './template';

/** Logical ID of the Glue database named `name`. */
export function databaseId(template: CfnTemplate, name: string): string {
  const found = resourcesOfType(template, 'AWS::Glue::Database').filter(([, r]) => r.Properties.DatabaseInput.Name === name);
  expect(found, `database ${name}`).toHaveLength(1);
  return found[0][0];
}

/** Logical ID of the Glue table `name` of database `database`. */
export function tableId(template: CfnTemplate, database: string, name: string): string {
  const found = resourcesOfType(template, 'AWS::Glue::Table').filter(([, r]) => r.Properties.DatabaseName === database && r.Properties.TableInput.Name === name);
  expect(found, `table ${database}.${name}`).toHaveLength(1);
  return found[0][0];
}

/** The catalog resources a TagAssociation or PrincipalPermissions resource must be created after. */
export function catalogTargets(template: CfnTemplate, resource: Json): string[] {
  // The `default` database exists in every catalog; no stack creates it.
  if (resource.Database?.Name === 'default') return [];
  if (resource.Database) return [databaseId(template, resource.Database.Name)];
  const table = resource.Table ?? resource.TableWithColumns;
  if (table) {
    if (table.TableWildcard !== undefined) return [databaseId(template, table.DatabaseName)];
    return [tableId(template, table.DatabaseName, table.Name)];
  }
  if (resource.DataLocation) {
    const arn = JSON.stringify(resource.DataLocation.ResourceArn);
    const found = resourcesOfType(template, 'AWS::LakeFormation::Resource').filter(([, r]) => JSON.stringify(r.Properties.ResourceArn) === arn);
    expect(found, `registration of ${arn}`).toHaveLength(1);
    return [found[0][0]];
  }
  throw new Error(`unknown catalog resource ${JSON.stringify(resource)}`);
}

/**
 * Checks that the PrincipalPermissions of `template` form one chain: one grant depends on no other grant, every
 * other grant on exactly one grant, and following the chain from the first visits every grant. Returns the
 * logical IDs in chain order.
 */
export function grantChain(template: CfnTemplate): string[] {
  const grants = new Map(resourcesOfType(template, 'AWS::LakeFormation::PrincipalPermissions'));
  const previousOf = new Map<string, string | undefined>();
  for (const [id, r] of grants) {
    const previous = dependsOn(r).filter((d) => grants.has(d));
    expect(previous.length, `${id} depends on grants ${previous.join(', ')}`).toBeLessThanOrEqual(1);
    previousOf.set(id, previous[0]);
  }
  const firsts = [...previousOf].filter(([, p]) => p === undefined).map(([id]) => id);
  expect(firsts, 'grants that depend on no other grant').toHaveLength(grants.size === 0 ? 0 : 1);
  const next = new Map<string, string>();
  for (const [id, p] of previousOf) {
    if (p === undefined) continue;
    expect(next.has(p), `two grants follow ${p}`).toBe(false);
    next.set(p, id);
  }
  const chain: string[] = [];
  for (let id: string | undefined = firsts[0]; id !== undefined; id = next.get(id)) chain.push(id);
  expect(chain).toHaveLength(grants.size);
  return chain;
}

/** `arn:${AWS::Partition}...` as CloudFormation renders an ARN built with `Aws.PARTITION`. */
export function partitionArn(rest: string): Json {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}
