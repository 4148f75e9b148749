import * as fs from 'fs';
import * as path from 'path';
import type { TemplateResource } from './intrinsics';

/** Account of an environment-agnostic stack in `manifest.json` (`aws://unknown-account/unknown-region`). */
export const UNKNOWN_ACCOUNT = 'unknown-account';
/** Region of an environment-agnostic stack in `manifest.json`. */
export const UNKNOWN_REGION = 'unknown-region';

export interface CfnResource extends TemplateResource {
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

/** A synthesized CloudFormation template, as far as the readers of an assembly look into it. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Default?: unknown }>;
}

/** A stack (`aws:cloudformation:stack` artifact) of a cloud assembly, with its template. */
export interface CloudAssemblyStack {
  /** Artifact ID; in a nested assembly (a CDK stage) prefixed with the IDs of the assembly artifacts: `<assembly>/<artifact>`. */
  readonly id: string;
  /** Artifact ID in the manifest that lists the stack. */
  readonly artifactId: string;
  /** `properties.stackName` of the manifest. */
  readonly stackName?: string;
  /** Construct path of the stack (`displayName` of the manifest). */
  readonly displayName?: string;
  /** From `environment: aws://<account>/<region>`; undefined for an environment-agnostic stack (`unknown-account`). */
  readonly account?: string;
  /** Undefined for an environment-agnostic stack (`unknown-region`). */
  readonly region?: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  readonly template: CfnTemplate;
  /** Absolute path of the assembly directory whose `manifest.json` lists the stack. */
  readonly directory: string;
}

/** A directory without `manifest.json`: nothing was synthesized there. */
export class NotACloudAssemblyError extends Error {
  constructor(public readonly directory: string) {
    super(`${directory} is not a cloud assembly (no manifest.json). Run \`npx cdk synth\` first, or pass the folder it wrote (cdk.out).`);
    this.name = 'NotACloudAssemblyError';
  }
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: unknown; readonly stackName?: unknown; readonly directoryName?: unknown };
}

/** Artifact types of a nested assembly: `cdk:cloud-assembly` is what the CDK writes for a `Stage`. */
const NESTED_ASSEMBLY_TYPES: readonly (string | undefined)[] = ['cdk:cloud-assembly', 'aws:cloud-assembly'];

/**
 * Reads the stacks of a cloud assembly (`cdk.out`, or the `outdir` of an `App`) from its `manifest.json`, with their
 * templates and environments, nested assemblies included. Stacks come in manifest order (a nested assembly's stacks
 * where its artifact is); artifacts that are not stacks are skipped.
 *
 * @throws NotACloudAssemblyError when `dir` (or a nested assembly's directory) has no `manifest.json`
 * @throws Error naming the file when the manifest or a template cannot be read or is not JSON
 */
export function readCloudAssembly(dir: string): CloudAssemblyStack[] {
  return readManifest(dir, '');
}

function readManifest(dir: string, idPrefix: string): CloudAssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new NotACloudAssemblyError(dir);
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, ManifestArtifact> } | null;
  const directory = path.resolve(dir);
  const stacks: CloudAssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(manifest?.artifacts ?? {})) {
    const { directoryName, templateFile, stackName } = artifact.properties ?? {};
    if (NESTED_ASSEMBLY_TYPES.includes(artifact.type) && typeof directoryName === 'string' && directoryName !== '') {
      stacks.push(...readManifest(path.join(dir, directoryName), `${idPrefix}${artifactId}/`));
    } else if (artifact.type === 'aws:cloudformation:stack' && typeof templateFile === 'string' && templateFile !== '') {
      const file = path.join(directory, templateFile);
      stacks.push({
        id: `${idPrefix}${artifactId}`,
        artifactId,
        ...(typeof stackName === 'string' ? { stackName } : {}),
        ...(artifact.displayName !== undefined ? { displayName: artifact.displayName } : {}),
        ...parseEnvironment(artifact.environment),
        templateFile: file,
        template: readJson(file) as CfnTemplate,
        directory,
      });
    }
  }
  return stacks;
}

/** `aws://<account>/<region>`; `unknown-account` and `unknown-region` (environment-agnostic) are left out. */
function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(environment ?? '');
  const account = m?.[1];
  const region = m?.[2];
  return {
    ...(account && account !== UNKNOWN_ACCOUNT ? { account } : {}),
    ...(region && region !== UNKNOWN_REGION ? { region } : {}),
  };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
