import { CfnResource } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IDependable } from 'constructs';
import type { TableSpec } from '../table-schema';
import { chainGrant } from './grant-chain';

export interface GrantProps {
  /** IAM role ARN or account ID. */
  readonly principal: string;
  readonly resource: lakeformation.CfnPrincipalPermissions.ResourceProperty;
  readonly permissions: readonly string[];
  /** Only for grants to another account that must re-grant. @default false */
  readonly grantOption?: boolean;
  /** Resources of the same stack the grant needs (database, table, registration, tags). */
  readonly dependsOn?: readonly CfnResource[];
  /** Constructs of other stacks (settings, tags): become stack dependencies. */
  readonly after?: readonly IDependable[];
}

/**
 * One Lake Formation grant (`AWS::LakeFormation::PrincipalPermissions`, never the legacy
 * `AWS::LakeFormation::Permissions`), chained after the previous grant of its stack.
 */
export function lfGrant(scope: Construct, id: string, props: GrantProps): lakeformation.CfnPrincipalPermissions {
  const grant = new lakeformation.CfnPrincipalPermissions(scope, id, {
    principal: { dataLakePrincipalIdentifier: props.principal },
    resource: props.resource,
    permissions: [...props.permissions],
    permissionsWithGrantOption: props.grantOption ? [...props.permissions] : [],
  });
  for (const d of props.dependsOn ?? []) grant.addResourceDependency(d);
  for (const d of props.after ?? []) grant.node.addDependency(d);
  chainGrant(grant);
  return grant;
}

export interface ReadGrantProps {
  readonly principal: string;
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tables: readonly TableSpec[];
  /** Classification of tables that do not set their own. */
  readonly productClassification: string;
  /** Classifications the principal may read. */
  readonly allowedClassifications: readonly string[];
  readonly dependsOnDatabase?: CfnResource;
  readonly dependsOnTable?: (name: string) => CfnResource | undefined;
  readonly after?: readonly IDependable[];
  /** @default false */
  readonly grantOption?: boolean;
}

/** Classification of a column: its own, else its table's, else the product's. */
export function effectiveClassification(t: TableSpec, column: TableSpec['columns'][number], productClassification: string): string {
  return column.classification ?? t.classification ?? productClassification;
}

/**
 * Named-resource read grants on a product: DESCRIBE on its database, and per table SELECT + DESCRIBE on the
 * columns whose effective classification is allowed. A table none of whose columns is allowed gets no grant.
 *
 * A table with some columns not allowed gets SELECT on the allowed columns by name (`ColumnNames`), never
 * "every column except" (`ColumnWildcard.ExcludedColumnNames`): the grant fails closed, so a column added to
 * the table later (by a pipeline holding ALTER) is not readable until a deploy classifies and grants it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lakeformation-principalpermissions-tablewithcolumnsresource.html
 */
export function readGrants(scope: Construct, idPrefix: string, props: ReadGrantProps): lakeformation.CfnPrincipalPermissions[] {
  const grants: lakeformation.CfnPrincipalPermissions[] = [];
  const dbDeps = props.dependsOnDatabase ? [props.dependsOnDatabase] : [];
  grants.push(lfGrant(scope, `${idPrefix}DatabaseGrant`, {
    principal: props.principal,
    resource: { database: { catalogId: props.catalogId, name: props.databaseName } },
    permissions: ['DESCRIBE'],
    dependsOn: dbDeps,
    after: props.after,
    grantOption: props.grantOption,
  }));
  for (const t of props.tables) {
    const allowed = t.columns
      .filter((col) => props.allowedClassifications.includes(effectiveClassification(t, col, props.productClassification)))
      .map((col) => col.name);
    if (allowed.length === 0) continue;
    const table = props.dependsOnTable?.(t.name);
    const common = { principal: props.principal, dependsOn: table ? [table] : [], after: props.after, grantOption: props.grantOption };
    const tableRef = { catalogId: props.catalogId, databaseName: props.databaseName, name: t.name };
    if (allowed.length === t.columns.length) {
      grants.push(lfGrant(scope, `${idPrefix}TableGrant-${t.name}`, { ...common, resource: { table: tableRef }, permissions: ['SELECT', 'DESCRIBE'] }));
    } else {
      grants.push(lfGrant(scope, `${idPrefix}TableGrant-${t.name}`, { ...common, resource: { table: tableRef }, permissions: ['DESCRIBE'] }));
      grants.push(lfGrant(scope, `${idPrefix}ColumnsGrant-${t.name}`, {
        ...common,
        resource: { tableWithColumns: { ...tableRef, columnNames: allowed } },
        permissions: ['SELECT'],
      }));
    }
  }
  return grants;
}
