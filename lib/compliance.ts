import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DataMeshChecks } from './nag/data-mesh-checks';

/**
 * The cdk-nag packs every mesh runs: the four standard compliance packs and the toolkit's own data-mesh
 * governance rules (lib/nag/RULES.md). A failed check fails `cdk synth`.
 */
export function compliancePacks(scope: IConstruct): NagPack[] {
  return [
    // Also copies every acknowledgement into the template metadata (cdk_nag.rules_to_suppress), where
    // `data-mesh report` reads them for reviewers.
    new AwsSolutionsChecks(scope, { writeSuppressionsToCloudFormation: true }),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
    new DataMeshChecks(scope),
  ];
}

/** Registers {@link compliancePacks} as validation plugins of `app`. */
export function addCompliancePacks(app: IConstruct): void {
  Validations.of(app).addPlugins(...compliancePacks(app));
}
