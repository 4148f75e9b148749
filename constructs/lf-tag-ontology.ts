import { CfnResource, CustomResource, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import {
  CFN_MAX_VALUES_PER_TAG_RESOURCE, CLASSIFICATION_TAG_KEY, DEFAULT_CLASSIFICATION_VALUES, DOMAIN_TAG_KEY, LF_MAX_VALUES_PER_TAG,
} from '../lib/defaults';
import { ProblemCollector } from '../lib/errors';
import { validateLfTagString, validateName } from '../lib/naming';
import { resolveRemovalPolicy } from '../lib/private/removal';
import { LakeFormationSettings } from './lake-formation-settings';

export interface LfTagOntologyProps {
  /**
   * Values of the built-in `classification` LF-tag, ordered from least to most sensitive.
   * @default DEFAULT_CLASSIFICATION_VALUES (public, internal, confidential, pii)
   */
  readonly classificationValues?: readonly string[];
  /**
   * Further LF-tag keys and their allowed values (at most 50 values per key, CloudFormation's limit).
   * `domain` and `classification` are built in and cannot be redefined here.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, readonly string[]>>;
  /** Initial values of the `domain` LF-tag; domains add themselves with {@link LfTagOntology.addDomain}. @default - none */
  readonly domains?: readonly string[];
  /** @default - the settings registered for this stack's account and region */
  readonly lakeFormationSettings?: LakeFormationSettings;
  /**
   * Deleting an LF-tag removes every assignment and grant made with it, so tags are retained by default;
   * DESTROY also needs the context flag `cdk-data-mesh:allowDestroy=true`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The LF-tag ontology of the mesh: which LF-tag keys exist and which values each may take. It creates the
 * LF-tags in its account's catalog and validates every use of a tag (on a resource or in a grant
 * expression) at synth time, so that a typo fails `cdk synth` instead of a deploy.
 *
 * The `domain` key gets one value per domain, and a mesh can have more domains than the 50 values an
 * `AWS::LakeFormation::Tag` accepts, so that key is managed by a custom resource that adds values in
 * batches (Lake Formation allows 1000), served by the account's Lake Formation administration function
 * (see {@link LakeFormationSettings}). Declared keys are plain `AWS::LakeFormation::Tag` resources.
 */
export class LfTagOntology extends Construct {
  /** The catalog (account) the LF-tags live in. */
  public readonly catalogId: string;
  public readonly classificationValues: readonly string[];
  public readonly settings: LakeFormationSettings;
  private readonly declared = new Map<string, readonly string[]>();
  private readonly domains = new Set<string>();
  private readonly tagResources = new Map<string, CfnResource>();

  constructor(scope: Construct, id: string, props: LfTagOntologyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.catalogId = stack.account;
    this.settings = props.lakeFormationSettings ?? LakeFormationSettings.require(this, 'an LfTagOntology');
    const c = new ProblemCollector();

    this.classificationValues = props.classificationValues ?? DEFAULT_CLASSIFICATION_VALUES;
    validateValues(c, 'classificationValues', this.classificationValues);
    this.declared.set(CLASSIFICATION_TAG_KEY, this.classificationValues);
    for (const [key, values] of Object.entries(props.tags ?? {})) {
      if (key === DOMAIN_TAG_KEY || key === CLASSIFICATION_TAG_KEY) {
        c.add(`tags.${key}`, 'is built in and cannot be redefined', values,
          key === CLASSIFICATION_TAG_KEY ? 'Set classificationValues instead.' : 'Domain values come from the domains of the mesh; remove this key.');
        continue;
      }
      validateLfTagString(c, `tags.${key}`, 'key', key);
      validateValues(c, `tags.${key}`, values);
      this.declared.set(key, values);
    }
    (props.domains ?? []).forEach((d, i) => validateName(c, `domains[${i}]`, 'domain', d));
    const removalPolicy = resolveRemovalPolicy(this, c, props.removalPolicy);
    c.throwIfAny(this);
    for (const d of props.domains ?? []) this.domains.add(d);

    for (const [key, values] of [...this.declared.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const tag = new lakeformation.CfnTag(this, `Tag-${key}`, { catalogId: this.catalogId, tagKey: key, tagValues: [...values] });
      tag.applyRemovalPolicy(removalPolicy);
      tag.node.addDependency(this.settings);
      this.tagResources.set(key, tag);
    }

    const domainTag = new CustomResource(this, `Tag-${DOMAIN_TAG_KEY}`, {
      serviceToken: this.settings.adminFunctionArn,
      resourceType: 'Custom::LfTag',
      removalPolicy,
      // CloudFormation waits at most this long for the handler's answer (not the default hour).
      serviceTimeout: this.settings.adminServiceTimeout,
      properties: {
        CatalogId: this.catalogId,
        TagKey: DOMAIN_TAG_KEY,
        TagValues: Lazy.list({ produce: () => this.domainValues() }),
      },
    });
    domainTag.node.addDependency(this.settings);
    this.tagResources.set(DOMAIN_TAG_KEY, domainTag.node.defaultChild as CfnResource);
    this.node.addValidation({
      validate: () => (this.domains.size === 0
        ? [`\`${DOMAIN_TAG_KEY}\` LF-tag must have at least one value, got: nothing. Add a domain (DataDomain or ontology.addDomain).`]
        : this.domains.size > LF_MAX_VALUES_PER_TAG
          ? [`\`${DOMAIN_TAG_KEY}\` LF-tag must have at most ${LF_MAX_VALUES_PER_TAG} values (Lake Formation's limit), got: ${this.domains.size} domains. Split the mesh.`]
          : []),
    });
  }

  /** Adds a domain as a value of the `domain` LF-tag. Idempotent. */
  public addDomain(name: string): void {
    const c = new ProblemCollector();
    validateName(c, 'domain', 'domain', name);
    c.throwIfAny(this);
    this.domains.add(name);
  }

  /** LF-tag keys of the ontology, sorted. */
  public get keys(): readonly string[] {
    return [DOMAIN_TAG_KEY, ...this.declared.keys()].sort();
  }

  /** Allowed values of `key` (for `domain`: the domains added so far). */
  public valuesOf(key: string): readonly string[] {
    return key === DOMAIN_TAG_KEY ? this.domainValues() : this.declared.get(key) ?? [];
  }

  /** The resource that creates the LF-tag `key`; tag associations and tag-based grants depend on it. */
  public tagResource(key: string): CfnResource {
    const r = this.tagResources.get(key);
    if (!r) throw new Error(`LF-tag "${key}" is not part of the ontology`);
    return r;
  }

  /** Classification values up to and including `max`, in sensitivity order. */
  public classificationsUpTo(max: string): readonly string[] {
    const i = this.classificationValues.indexOf(max);
    return i < 0 ? [] : this.classificationValues.slice(0, i + 1);
  }

  /** Reports a problem into `c` unless `key` = `value` is allowed by the ontology. */
  public validateTagUse(c: ProblemCollector, field: string, key: string, value: unknown): void {
    if (key !== DOMAIN_TAG_KEY && !this.declared.has(key)) {
      c.add(field, `must use an LF-tag key of the ontology (${this.keys.join(', ')})`, key, 'Add the key to the ontology\'s tags, or fix the key.');
      return;
    }
    const allowed = this.valuesOf(key);
    if (typeof value !== 'string' || (key !== DOMAIN_TAG_KEY && !allowed.includes(value))) {
      c.add(field, `must be a value of LF-tag "${key}" (${allowed.join(', ')})`, value, `Use an allowed value, or add it to the "${key}" LF-tag of the ontology.`);
    }
  }

  private domainValues(): string[] {
    return [...this.domains].sort();
  }
}

function validateValues(c: ProblemCollector, field: string, values: readonly string[] | unknown): void {
  if (!Array.isArray(values) || values.length === 0) {
    c.add(field, 'must list at least one value', values, 'List the allowed values.');
    return;
  }
  if (values.length > CFN_MAX_VALUES_PER_TAG_RESOURCE) {
    c.add(field, `must list at most ${CFN_MAX_VALUES_PER_TAG_RESOURCE} values (AWS::LakeFormation::Tag limit)`, `${values.length} values`,
      'Reduce the values, or split them into more specific keys.');
  }
  const seen = new Set<string>();
  values.forEach((v, i) => {
    validateLfTagString(c, `${field}[${i}]`, 'value', v);
    if (seen.has(v)) c.add(`${field}[${i}]`, 'must not repeat a value', v, 'Remove the duplicate.');
    seen.add(v);
  });
}
