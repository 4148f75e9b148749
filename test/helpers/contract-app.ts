import { App, Stack } from 'aws-cdk-lib';
import { DataDomain, LakeFormationSettings, MeshGovernance } from '../../constructs';
import { DOMAIN, ENV, MESH, newApp } from './app';
import { CfnTemplate, Json, resourcesOfType } from './template';

/** Values of the custom LF-tag `cost_center` of the contract tests' ontology. */
export const COST_CENTERS: readonly string[] = ['finance', 'marketing'];

export interface ContractMesh {
  readonly app: App;
  readonly stack: Stack;
  readonly settings: LakeFormationSettings;
  readonly governance: MeshGovernance;
  readonly domain: DataDomain;
}

export interface ContractMeshOptions {
  /** Values of the LF-tag `cost_center`. @default COST_CENTERS */
  readonly costCenters?: readonly string[];
  /**
   * Leave out the audit trail and the catalog encryption of the governance (nothing a product uses), for tests
   * that synthesize many apps.
   * @default false
   */
  readonly light?: boolean;
}

/**
 * A single-account mesh in one stack `Mesh` without products: settings, governance (custom LF-tag `cost_center`)
 * and the domain `sales`.
 */
export function buildContractMesh(o: ContractMeshOptions = {}): ContractMesh {
  const app = newApp();
  const stack = new Stack(app, 'Mesh', { env: ENV });
  const settings = new LakeFormationSettings(stack, 'Settings');
  const governance = new MeshGovernance(stack, 'Governance', {
    meshName: MESH,
    tags: { cost_center: [...(o.costCenters ?? COST_CENTERS)] },
    ...(o.light ? { auditTrail: false, catalogEncryption: false } : {}),
  });
  const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: DOMAIN });
  return { app, stack, settings, governance, domain };
}

/** `TableInput` of every `AWS::Glue::Table` of `databaseName`, by table name. */
export function tableInputs(template: CfnTemplate, databaseName: string): Record<string, Json> {
  return Object.fromEntries(resourcesOfType(template, 'AWS::Glue::Table')
    .filter(([, r]) => r.Properties.DatabaseName === databaseName)
    .map(([, r]) => [r.Properties.TableInput.Name, r.Properties.TableInput]));
}

/** Properties of every resource of `type`. */
export function propertiesOfType(template: CfnTemplate, type: string): Json[] {
  return resourcesOfType(template, type).map(([, r]) => r.Properties);
}

/** Warning annotations of `construct` (node metadata, no synthesis needed), as `{ id, message }`. */
export function warningsOf(construct: { node: { metadata: readonly { type: string; data: unknown }[] } }): { id: string; message: string }[] {
  return construct.node.metadata
    .filter((m) => m.type === 'aws:cdk:warning')
    .map((m) => {
      const text = String(m.data);
      const ack = /\s*\[ack: ([^\]]+)\]$/.exec(text);
      return { id: ack?.[1] ?? '', message: ack ? text.slice(0, ack.index) : text };
    });
}
