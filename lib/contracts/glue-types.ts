import { glueTypeProblem } from '../table-schema';

/**
 * Spellings the project accepts that Athena rejects in a table definition, and the Hive name it reads instead.
 * Athena's DDL (which reads Glue column types) names the 32-bit integer `int`; `integer` is its DML name.
 * https://docs.aws.amazon.com/athena/latest/ug/data-types.html
 */
export const GLUE_TYPE_ALIASES: Readonly<Record<string, string>> = { integer: 'int' };

/**
 * A Glue (Hive) column type as a tree. Primitive names are canonical: `decimal(12,2)`, `varchar(10)`, `bigint`,
 * `int` (never its alias `integer`, see {@link GLUE_TYPE_ALIASES}).
 */
export type GlueType =
  | { readonly kind: 'primitive'; readonly name: string }
  | { readonly kind: 'array'; readonly element: GlueType }
  | { readonly kind: 'map'; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly type: GlueType }[] };

/**
 * Parses a Glue type (case-insensitive, spaces allowed). Returns undefined when `glueTypeProblem` of the
 * project rejects it, so that both always agree.
 */
export function parseGlueType(text: string): GlueType | undefined {
  const s = text.trim().toLowerCase();
  if (glueTypeProblem(s) !== undefined) return undefined;
  const p = new TypeReader(s);
  const t = p.type();
  p.space();
  return p.done ? t : undefined;
}

/** Canonical text of a type: lowercase, no spaces (`struct<a:int,b:array<string>>`). */
export function renderGlueType(t: GlueType): string {
  switch (t.kind) {
    case 'primitive': return t.name;
    case 'array': return `array<${renderGlueType(t.element)}>`;
    case 'map': return `map<${renderGlueType(t.key)},${renderGlueType(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${renderGlueType(f.type)}`).join(',')}>`;
  }
}

/**
 * The canonical text of a valid Glue type, or undefined: lowercase, no spaces, aliases replaced at every depth
 * (`array<integer>` → `array<int>`; struct field names are names, never replaced). This is the one function
 * that turns a column type into the text written to a Glue table.
 */
export function normalizeGlueType(text: string): string | undefined {
  const t = parseGlueType(text);
  return t && renderGlueType(t);
}

class TypeReader {
  private i = 0;

  constructor(private readonly s: string) {}

  public get done(): boolean {
    return this.i >= this.s.length;
  }

  public space(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  public type(): GlueType {
    this.space();
    const m = /^[a-z]+/.exec(this.s.slice(this.i));
    const name = m ? m[0] : '';
    this.i += name.length;
    if (name === 'array') {
      this.expect('<');
      const element = this.type();
      this.expect('>');
      return { kind: 'array', element };
    }
    if (name === 'map') {
      this.expect('<');
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect('>');
      return { kind: 'map', key, value };
    }
    if (name === 'struct') {
      this.expect('<');
      const fields: { name: string; type: GlueType }[] = [];
      for (;;) {
        this.space();
        const f = /^[a-z_][a-z0-9_]*/.exec(this.s.slice(this.i));
        const fieldName = f ? f[0] : '';
        this.i += fieldName.length;
        this.expect(':');
        fields.push({ name: fieldName, type: this.type() });
        this.space();
        if (this.s[this.i] === ',') {
          this.i++;
          continue;
        }
        this.expect('>');
        return { kind: 'struct', fields };
      }
    }
    this.space();
    if ((name === 'decimal' || name === 'char' || name === 'varchar') && this.s[this.i] === '(') {
      const close = this.s.indexOf(')', this.i);
      const args = this.s.slice(this.i + 1, close).split(',').map((x) => x.trim());
      this.i = close + 1;
      return { kind: 'primitive', name: `${name}(${args.join(',')})` };
    }
    return { kind: 'primitive', name: GLUE_TYPE_ALIASES[name] ?? name };
  }

  private expect(token: string): void {
    this.space();
    this.i += token.length; // the text was validated by glueTypeProblem
  }
}
