import { IConstruct } from 'constructs';

/**
 * One validation problem, phrased by the project template:
 * `` `<field>` <rule>, got: <value>. <how to fix> ``
 */
export interface Problem {
  /** Dotted path of the offending field, e.g. `tables[0].columns[2].type`. */
  readonly field: string;
  /** The rule that was broken, e.g. `must match [a-z][a-z0-9_]*`. */
  readonly rule: string;
  /** What we received. Rendered with JSON.stringify. */
  readonly got: unknown;
  /** How to fix it. */
  readonly fix: string;
}

/** Renders a problem with the one message template the project uses. */
export function formatProblem(p: Problem): string {
  return `\`${p.field}\` ${p.rule}, got: ${renderValue(p.got)}. ${p.fix}`;
}

function renderValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(v);
  }
}

/**
 * The single error class for bad input. Collects every problem found in one place (a construct or a file)
 * so that users fix them in one pass, and records where they were found.
 */
export class DataMeshValidationError extends Error {
  /** Construct path (`Stack/Domain/Product`) or file location (`mesh.yaml`) the problems belong to. */
  public readonly location: string;
  public readonly problems: readonly string[];

  constructor(location: string, problems: readonly string[]) {
    const head = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${location}: ${head}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DataMeshValidationError';
    this.location = location;
    this.problems = problems;
  }

  public static isDataMeshValidationError(x: unknown): x is DataMeshValidationError {
    return x instanceof Error && (x as Error).name === 'DataMeshValidationError';
  }
}

/**
 * Collects problems and throws them together. Field names are prefixed so that nested validators can be
 * reused: `collector.nested('tables[0]')`.
 */
export class ProblemCollector {
  private readonly problems: Problem[];
  private readonly prefix: string;

  constructor(prefix = '', sink?: Problem[]) {
    this.prefix = prefix;
    this.problems = sink ?? [];
  }

  public add(field: string, rule: string, got: unknown, fix: string): void {
    this.problems.push({ field: this.join(field), rule, got, fix });
  }

  public addAll(problems: readonly Problem[]): void {
    for (const p of problems) this.problems.push({ ...p, field: this.join(p.field) });
  }

  /** A collector writing into the same list with a longer field prefix. */
  public nested(field: string): ProblemCollector {
    return new ProblemCollector(this.join(field), this.problems);
  }

  public get list(): readonly Problem[] {
    return this.problems;
  }

  public get empty(): boolean {
    return this.problems.length === 0;
  }

  /** Throws a {@link DataMeshValidationError} at the construct's path when anything was collected. */
  public throwIfAny(where: IConstruct | string): void {
    if (this.problems.length === 0) return;
    const location = typeof where === 'string' ? where : where.node.path || '<app>';
    throw new DataMeshValidationError(location, this.problems.map(formatProblem));
  }

  private join(field: string): string {
    if (!this.prefix) return field;
    if (!field) return this.prefix;
    return field.startsWith('[') ? `${this.prefix}${field}` : `${this.prefix}.${field}`;
  }
}
