import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** The cdk-nag packs every mesh runs: a failed check fails `cdk synth`. */
export function compliancePacks(scope: IConstruct): NagPack[] {
  return [
    // Also copies every acknowledgement into the template metadata (cdk_nag.rules_to_suppress), where
    // `data-mesh report` reads them for reviewers.
    new AwsSolutionsChecks(scope, { writeSuppressionsToCloudFormation: true }),
    new NIST80053R5Checks(scope),
    new HIPAASecurityChecks(scope),
    new PCIDSS321Checks(scope),
  ];
}

/** Registers {@link compliancePacks} as validation plugins of `app`. */
export function addCompliancePacks(app: IConstruct): void {
  Validations.of(app).addPlugins(...compliancePacks(app));
}
