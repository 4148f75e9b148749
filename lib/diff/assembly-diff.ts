import { UNKNOWN_ACCOUNT, UNKNOWN_REGION, readCloudAssembly } from '../assembly';

/** A stack of a cloud assembly, as `diff` sees it. */
export interface AssemblyStack {
  readonly id: string;
  readonly account?: string;
  readonly region?: string;
  readonly resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: any; readonly DeletionPolicy?: string }>>;
}

/** Reads every stack template of a cloud assembly directory (`cdk.out`), nested assemblies included, sorted by ID. */
export function readAssemblyStacks(dir: string): AssemblyStack[] {
  return readCloudAssembly(dir)
    .map((s) => ({ id: s.id, account: s.account ?? UNKNOWN_ACCOUNT, region: s.region ?? UNKNOWN_REGION, resources: s.template.Resources ?? {} }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Resource types that hold data or that other accounts find by name. For each: the properties whose change
 * makes CloudFormation replace the resource, and the property paths that carry a name other accounts use.
 */
export const GUARDED_TYPES: Readonly<Record<string, { readonly what: string; readonly replaceOn: readonly string[]; readonly name: string }>> = {
  'AWS::S3::Bucket': { what: 'bucket', replaceOn: ['BucketName'], name: 'BucketName' },
  'AWS::KMS::Key': { what: 'KMS key', replaceOn: ['KeySpec', 'KeyUsage'], name: '' },
  'AWS::Glue::Database': { what: 'catalog database', replaceOn: ['CatalogId', 'DatabaseName', 'DatabaseInput.Name'], name: 'DatabaseInput.Name' },
  'AWS::Glue::Table': { what: 'catalog table', replaceOn: ['CatalogId', 'DatabaseName', 'TableInput.Name'], name: 'TableInput.Name' },
  'AWS::LakeFormation::Tag': { what: 'LF-tag', replaceOn: ['CatalogId', 'TagKey'], name: 'TagKey' },
  'Custom::LfTag': { what: 'LF-tag', replaceOn: ['CatalogId', 'TagKey'], name: 'TagKey' },
  'AWS::IAM::Role': { what: 'IAM role', replaceOn: ['RoleName', 'Path'], name: 'RoleName' },
  'AWS::Athena::WorkGroup': { what: 'Athena workgroup', replaceOn: ['Name'], name: 'Name' },
};

export type ChangeKind = 'delete' | 'replace' | 'rename' | 'partition-keys' | 'move';

/** A change that loses data or breaks what other accounts rely on. */
export interface DangerousChange {
  readonly kind: ChangeKind;
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** Physical name when known (bucket name, database name...). */
  readonly name?: string;
  readonly detail: string;
  /** Whether the resource is retained (DeletionPolicy Retain): then the old one stays, orphaned. */
  readonly retained: boolean;
}

function get(obj: any, dotted: string): unknown {
  return dotted.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

function nameOf(type: string, props: any): string | undefined {
  const spec = GUARDED_TYPES[type];
  if (!spec?.name) return undefined;
  const v = get(props, spec.name);
  return typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares two assemblies and lists every change that would delete or replace a guarded resource, rename
 * something other accounts depend on, change a table's partition keys (existing partitions stop matching),
 * or move a named resource to another stack (the new stack cannot create it while the old one keeps it).
 */
export function dangerousChanges(before: readonly AssemblyStack[], after: readonly AssemblyStack[]): DangerousChange[] {
  const changes: DangerousChange[] = [];
  const afterByStack = new Map(after.map((s) => [s.id, s]));
  // Where each named resource lives after the change, to tell a move from a delete.
  const afterNames = new Map<string, string>();
  for (const s of after) {
    for (const r of Object.values(s.resources)) {
      const n = nameOf(r.Type, r.Properties);
      if (n) afterNames.set(`${r.Type}|${n}`, s.id);
    }
  }
  for (const s of before) {
    const next = afterByStack.get(s.id);
    for (const [logicalId, r] of Object.entries(s.resources)) {
      const spec = GUARDED_TYPES[r.Type];
      if (!spec) continue;
      // A resource link only points at a database of another catalog: removing it loses nothing.
      if (isResourceLink(r)) continue;
      const retained = r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate';
      const name = nameOf(r.Type, r.Properties);
      const base = { stack: s.id, logicalId, type: r.Type, name, retained };
      const n = next?.resources[logicalId];
      if (!n || n.Type !== r.Type) {
        const movedTo = name ? afterNames.get(`${r.Type}|${name}`) : undefined;
        if (movedTo && movedTo !== s.id) {
          changes.push({ ...base, kind: 'move', detail: `${spec.what} ${name} moves from stack ${s.id} to ${movedTo}: the new stack cannot create it while the old one retains it` });
        } else {
          changes.push({ ...base, kind: 'delete', detail: `${spec.what}${name ? ` ${name}` : ''} is removed from stack ${s.id}${retained ? ' (retained: it stays, orphaned, with its data)' : ' and DELETED'}` });
        }
        continue;
      }
      const replacedBy = spec.replaceOn.filter((p) => !same(get(r.Properties, p), get(n.Properties, p)));
      if (replacedBy.length > 0) {
        const newName = nameOf(n.Type, n.Properties);
        const renamed = name !== newName;
        changes.push({
          ...base,
          kind: renamed ? 'rename' : 'replace',
          detail: renamed
            ? `${spec.what} ${name} is renamed to ${newName}: CloudFormation replaces it${retained ? ' (the old one is retained, orphaned)' : ' and deletes the old one'}, and every account that uses the name breaks`
            : `${spec.what}${name ? ` ${name}` : ''} is replaced (changed: ${replacedBy.join(', ')})`,
        });
        continue;
      }
      if (r.Type === 'AWS::Glue::Table') {
        const oldKeys = get(r.Properties, 'TableInput.PartitionKeys');
        const newKeys = get(n.Properties, 'TableInput.PartitionKeys');
        if (!same(oldKeys, newKeys)) {
          const names = (v: unknown) => (Array.isArray(v) ? v.map((c: any) => c.Name).join(', ') || '(none)' : '(none)');
          changes.push({
            ...base,
            kind: 'partition-keys',
            detail: `table ${get(r.Properties, 'DatabaseName')}.${name} changes partition keys from [${names(oldKeys)}] to [${names(newKeys)}]: existing partitions and data layout no longer match`,
          });
        }
      }
    }
  }
  return changes.sort((a, b) => `${a.stack}/${a.logicalId}`.localeCompare(`${b.stack}/${b.logicalId}`));
}

function isResourceLink(r: { readonly Type: string; readonly Properties?: any }): boolean {
  return r.Type === 'AWS::Glue::Database' && r.Properties?.DatabaseInput?.TargetDatabase !== undefined;
}
