import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DataMeshRule } from './private/named-rule';
import * as athena from './rules/athena';
import * as glue from './rules/glue';
import * as iam from './rules/iam';
import * as lakeformation from './rules/lakeformation';
import * as s3 from './rules/s3';

/** Name of the pack; rule IDs are `DataMesh-<RuleName>`. */
export const DATA_MESH_PACK_NAME = 'DataMesh';

/** One rule of {@link DataMeshChecks}: what it checks, why, and how bad a finding is. */
export interface DataMeshRuleSpec {
  /** The check; its name is the rule name. */
  readonly rule: DataMeshRule;
  /** Why the rule was triggered (the finding's message). */
  readonly info: string;
  /** Why the rule exists (shown with `verbose: true`). */
  readonly explanation: string;
  readonly level: NagMessageLevel;
}

/** Every rule of the pack, in the order they are applied. RULES.md documents each one. */
export const DATA_MESH_RULES: readonly DataMeshRuleSpec[] = [
  {
    rule: lakeformation.LakeFormationNoLegacyPermissions,
    info: 'The Lake Formation grant uses the legacy AWS::LakeFormation::Permissions resource.',
    explanation: 'Legacy Permissions cannot express LF-tag policies and revoke before re-granting on update. Use AWS::LakeFormation::PrincipalPermissions.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationSettingsNoDefaultPermissions,
    info: 'The data lake settings do not set both CreateDatabaseDefaultPermissions and CreateTableDefaultPermissions to [].',
    explanation: 'Otherwise new databases and tables grant IAM_ALLOWED_PRINCIPALS and tag-based sharing silently does nothing; CloudFormation cannot clear the lists later, so they must be empty from the first deploy.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationSettingsAppendAdmins,
    info: 'The data lake settings do not set MutationType: APPEND.',
    explanation: 'Without APPEND the resource replaces the whole settings and removes every administrator and parameter it does not list, including administrators added outside the stack.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationSettingsCrossAccountVersion,
    info: 'The Lake Formation cross-account version is spelled other than CROSS_ACCOUNT_VERSION in Parameters, missing from the toolkit settings, or not 3, 4 or 5.',
    explanation: 'The service rejects the documented key CrossAccountVersion and any other spelling; versions below 3 cannot grant directly to IAM roles of other accounts.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationSettingsAdmins,
    info: 'The toolkit Lake Formation settings (Custom::LakeFormationSettings) name no data lake administrator, or a blank one.',
    explanation: 'The CloudFormation execution role must be a data lake administrator before any Glue or Lake Formation resource is created, or creates fail with "Insufficient Lake Formation permission(s)".',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationTagValid,
    info: 'The LF-tag has an empty, uppercase or over-long (more than 50 characters) key or value, no value, a repeated value, or too many values (50 for AWS::LakeFormation::Tag).',
    explanation: 'Lake Formation stores keys and values lowercased, so mixed case never matches associations and grants; CloudFormation accepts at most 50 values per AWS::LakeFormation::Tag.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationTagAssociationValid,
    info: 'The LF-tag association does not name exactly one of Database, Table or TableWithColumns, or has an LF-tag with other than one value, a repeated key, an uppercase key or value, or a missing CatalogId.',
    explanation: 'Lake Formation rejects an association of several resources or with several values of one key (a resource carries one value per key), needs every CatalogId as an account ID, and stores tags lowercased.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationTagAssociationDependencies,
    info: 'The LF-tag association does not depend on an LF-tag or on the Glue database or table it uses from the same stack.',
    explanation: 'CloudFormation creates resources of a stack in parallel; a tag cannot be associated before the LF-tag exists, nor with a resource in the call that creates it. Add DependsOn (directly or through other resources).',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationNoIamAllowedPrincipals,
    info: 'The Lake Formation grant is to IAM_ALLOWED_PRINCIPALS.',
    explanation: 'IAM_ALLOWED_PRINCIPALS hands access control back to IAM policies: LF-tag grants no longer decide who reads the resource.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationNoGrantOption,
    info: 'The Lake Formation grant gives permissions with the grant option.',
    explanation: 'A grant option lets the grantee re-grant, handing control over the data to another account. Grant to IAM roles directly (cross-account version 3 or higher); when a grant to a whole account is deliberate, acknowledge this finding on it with the reason.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationGrantOptionDeclared,
    info: 'The Lake Formation grant does not set PermissionsWithGrantOption.',
    explanation: 'PermissionsWithGrantOption is a required property of AWS::LakeFormation::PrincipalPermissions (use [] for none); CloudFormation rejects the resource without it.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationTagExpressionValid,
    info: 'The LF-tag expression of the grant has no condition or more than 5, repeats a key, has a condition with no value or more than 50, or an uppercase key or value.',
    explanation: 'Lake Formation allows at most 5 conditions and one condition per key (OR across keys needs separate grants), and matches lowercased tags only.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationLocationUserDefinedRole,
    info: 'The Lake Formation location registration uses the service-linked role or names no RoleArn.',
    explanation: 'CloudFormation does not create the service-linked role, and it cannot reach locations in other accounts or use customer-managed KMS keys. Set UseServiceLinkedRole: false and RoleArn.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: lakeformation.LakeFormationLocationNoHybridAccess,
    info: 'The Lake Formation location registration enables hybrid access mode.',
    explanation: 'In hybrid access mode IAM policies keep granting access to the data beside Lake Formation. Acknowledge the finding when hybrid access is configured on purpose (e.g. during a migration).',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: glue.GlueDatabaseNoDefaultPermissions,
    info: 'The Glue database does not set DatabaseInput.CreateTableDefaultPermissions to [].',
    explanation: 'Otherwise new tables of the database grant IAM_ALLOWED_PRINCIPALS and Lake Formation grants, tag-based ones included, silently do nothing for them.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: glue.GlueProductDatabaseMetadata,
    info: 'The data product database (Parameters.data_product: "true") has no owner parameter or no description.',
    explanation: 'The catalog entry is the product\'s published interface: consumers find the product, and whom to ask about it, there.',
    level: NagMessageLevel.WARN,
  },
  {
    rule: athena.AthenaWorkGroupEnforceConfiguration,
    info: 'The Athena workgroup does not enforce its configuration (EnforceWorkGroupConfiguration: true).',
    explanation: 'Without enforcement each query may override the result location, its encryption and the scan limit.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: athena.AthenaWorkGroupResultsKmsEncrypted,
    info: 'The Athena workgroup does not encrypt query results with SSE_KMS or CSE_KMS and a KmsKey.',
    explanation: 'Query results are copies of governed data; a KMS key lets its key policy decide who decrypts them.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: athena.AthenaWorkGroupBytesScannedCutoff,
    info: 'The Athena workgroup sets no BytesScannedCutoffPerQuery of at least 10,000,000 bytes.',
    explanation: 'A per-query scan limit is the cost guardrail against a runaway query over a large data product.',
    level: NagMessageLevel.WARN,
  },
  {
    rule: athena.AthenaWorkGroupPinnedEngineVersion,
    info: 'The Athena workgroup does not pin its engine version (SelectedEngineVersion is missing or AUTO).',
    explanation: 'Automatic engine upgrades can change query results; pinning makes an upgrade a reviewed change.',
    level: NagMessageLevel.WARN,
  },
  {
    rule: s3.S3BucketRetained,
    info: 'The S3 bucket is not retained when it leaves the stack (DeletionPolicy is neither Retain nor RetainExceptOnCreate).',
    explanation: 'Data must survive a stack deletion or a refactoring that moves the bucket; destroying it needs an explicit, acknowledged choice.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: s3.S3BucketKmsEncrypted,
    info: 'The S3 bucket is not encrypted by default with SSE-KMS (aws:kms or aws:kms:dsse).',
    explanation: 'With KMS, key policies decide who decrypts and CloudTrail records every use. Buckets that receive S3 server access logs cannot use SSE-KMS; acknowledge the finding on them.',
    level: NagMessageLevel.ERROR,
  },
  {
    rule: iam.IAMNoLakeFormationOrGlueWildcard,
    info: 'The IAM policy allows lakeformation:*, glue:* or * on Resource "*" (or with NotResource).',
    explanation: 'Such a principal can change the data lake settings, grant itself any permission and rewrite every catalog entry, bypassing the mesh\'s governance. List the actions it needs.',
    level: NagMessageLevel.ERROR,
  },
];

/** The rule ID cdk-nag reports for `rule` in this pack. */
export function dataMeshRuleId(rule: DataMeshRule): string {
  return `${DATA_MESH_PACK_NAME}-${rule.name}`;
}

/**
 * cdk-nag pack of the data mesh rules: the Lake Formation, Glue, Athena, S3 and IAM properties that decide whether
 * a tag-governed mesh deploys and stays governed (ARCHITECTURE.md sections 5 and 6). Register it with
 * `Validations.of(app).addPlugins(new DataMeshChecks())`; acknowledge a finding with
 * `Validations.of(construct).acknowledge({ id: 'DataMesh-<RuleName>', reason })`.
 */
export class DataMeshChecks extends NagPack {
  public readonly name = DATA_MESH_PACK_NAME;
  public readonly ruleIds: string[] = DATA_MESH_RULES.map((r) => dataMeshRuleId(r.rule));

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = DATA_MESH_PACK_NAME;
  }

  protected checkResource(node: CfnResource): void {
    for (const spec of DATA_MESH_RULES) {
      this.applyRule({ info: spec.info, explanation: spec.explanation, level: spec.level, rule: spec.rule, node });
    }
  }
}
