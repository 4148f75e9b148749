import { NagRuleCompliance } from 'cdk-nag';
import { SUPPORTED_CROSS_ACCOUNT_VERSIONS } from '../../../defaults';
import { UNRESOLVED, at, isRecord, numberAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** The only key the Lake Formation service accepts in `Parameters` for the cross-account version. */
export const CROSS_ACCOUNT_VERSION_PARAMETER = 'CROSS_ACCOUNT_VERSION';

/**
 * The Lake Formation cross-account version is written under the key the service accepts and is one the toolkit
 * supports (3 to 5: grants go directly to IAM roles of other accounts).
 *
 * - `AWS::LakeFormation::DataLakeSettings`: when `Parameters` is set, the version is under `CROSS_ACCOUNT_VERSION`
 *   exactly (the documented `CrossAccountVersion`, or any other spelling, is rejected by the service), and a
 *   literal version is supported.
 * - `Custom::LakeFormationSettings` (this toolkit's settings): `CrossAccountVersion` is a supported version.
 */
export const LakeFormationSettingsCrossAccountVersion = namedRule('LakeFormationSettingsCrossAccountVersion', (node) => {
  if (node.cfnResourceType === 'Custom::LakeFormationSettings') {
    const props = propertiesIfType(node, 'Custom::LakeFormationSettings')!;
    return isSupportedVersion(numberAt(props, 'CrossAccountVersion'), false);
  }
  const props = propertiesIfType(node, 'AWS::LakeFormation::DataLakeSettings');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const parameters = at(props, 'Parameters');
  if (parameters === undefined || parameters === UNRESOLVED || !isRecord(parameters)) return NagRuleCompliance.COMPLIANT;
  const misspelled = Object.keys(parameters).some((k) =>
    k !== CROSS_ACCOUNT_VERSION_PARAMETER && k.replace(/[^a-z]/gi, '').toLowerCase() === 'crossaccountversion');
  if (misspelled) return NagRuleCompliance.NON_COMPLIANT;
  return isSupportedVersion(numberAt(parameters, CROSS_ACCOUNT_VERSION_PARAMETER), true);
});

function isSupportedVersion(version: number | typeof UNRESOLVED | undefined, optional: boolean): NagRuleCompliance {
  if (version === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  if (version === undefined) return optional ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  return SUPPORTED_CROSS_ACCOUNT_VERSIONS.includes(version) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
