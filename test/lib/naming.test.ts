import { App, Aws, Stack, Token } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ProblemCollector, formatProblem } from '../../lib/errors';
import {
  MAX_BUCKET_NAME_LENGTH, MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH, RESERVED_BUCKET_PREFIXES, RESERVED_PRODUCT_NAMES, MAX_MESH_NAME_LENGTH, MAX_ROLE_NAME_LENGTH, MAX_TABLE_OR_COLUMN_NAME_LENGTH,
  catalogKeyAlias, domainBucketName, domainKeyAlias, domainRoleName, productBucketName, productDatabaseName, registrationRoleName,
  resolvedLength, suggestName, validateBucketName, validateLfTagString, validateMeshName, validateName, validateRoleName, workgroupName,
} from '../../lib/naming';
import { LF_MAX_TAG_LENGTH } from '../../lib/defaults';

/** Problems a validator reports for one value, rendered with the project template. */
function problemsOf(run: (c: ProblemCollector) => void): string[] {
  const c = new ProblemCollector();
  run(c);
  return c.list.map(formatProblem);
}

describe('validateName', () => {
  it.each(['sales', 'a', 'order_lines', 'x1_2', `a${'b'.repeat(MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH - 1)}`])(
    'accepts the domain name %j', (name) => {
      // given / when
      const problems = problemsOf((c) => validateName(c, 'domainName', 'domain', name));
      // then
      expect(problems).toEqual([]);
    });

  it.each([
    ['Sales', 'sales'],
    ['OrderLines', 'order_lines'],
    ['order-lines', 'order_lines'],
    ['1orders', 'orders'],
    ['Sales Data', 'sales_data'],
  ])('fails if the name %j breaks the pattern, and suggests %j', (name, suggestion) => {
    // given / when
    const problems = problemsOf((c) => validateName(c, 'productName', 'product', name));
    // then
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('`productName` must be a product name matching ^[a-z][a-z0-9_]*$');
    expect(problems[0]).toContain(`got: ${JSON.stringify(name)}.`);
    expect(problems[0]).toContain(`Use for example "${suggestion}".`);
  });

  it('fails if the name is not a string, and asks to rename', () => {
    // given / when
    const problems = problemsOf((c) => validateName(c, 'tables[0].name', 'table', 42));
    // then
    expect(problems).toEqual([expect.stringMatching(/^`tables\[0\]\.name` must be a table name matching .*, got: 42\. Rename the table\.$/)]);
  });

  it('fails if the name has no usable characters, without a suggestion', () => {
    // given / when
    const problems = problemsOf((c) => validateName(c, 'domainName', 'domain', '---'));
    // then
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('got: "---". Rename the domain.');
  });

  it('fails if a domain or product name is longer than the limit', () => {
    // given
    const name = 'a'.repeat(MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH + 1);
    // when
    const problems = problemsOf((c) => validateName(c, 'domainName', 'domain', name));
    // then
    expect(problems).toEqual([
      `\`domainName\` must be at most ${MAX_DOMAIN_OR_PRODUCT_NAME_LENGTH} characters for a domain name, got: "${name}". Shorten the domain name.`,
    ]);
  });

  it('allows table and column names up to their own, longer limit', () => {
    // given
    const ok = 'c'.repeat(MAX_TABLE_OR_COLUMN_NAME_LENGTH);
    const tooLong = 'c'.repeat(MAX_TABLE_OR_COLUMN_NAME_LENGTH + 1);
    // when / then
    expect(problemsOf((c) => validateName(c, 'name', 'column', ok))).toEqual([]);
    expect(problemsOf((c) => validateName(c, 'name', 'column', tooLong))).toEqual([
      expect.stringContaining(`must be at most ${MAX_TABLE_OR_COLUMN_NAME_LENGTH} characters for a column name`),
    ]);
  });
});

describe('suggestName', () => {
  it.each([
    ['CustomerOrders', 'customer_orders'],
    ['  padded ', 'padded'],
    ['a--b', 'a_b'],
    ['trailing_', 'trailing'],
    ['42', undefined],
    ['already_fine', undefined],
  ])('turns %j into %j', (input, expected) => {
    expect(suggestName(input)).toBe(expected);
  });

  it('never suggests a name that itself breaks the pattern', () => {
    for (const input of ['Sales', 'X-Y-Z', '9lives', 'dash-', 'Ünïcode', 'a b c', '__x__']) {
      const s = suggestName(input);
      if (s !== undefined) expect(s, input).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });
});

describe('reserved names', () => {
  it.each(RESERVED_PRODUCT_NAMES.map((n) => [n]))('fails if a product is named %j, whose bucket would be a domain bucket', (name) => {
    const problems = problemsOf((c) => validateName(c, 'productName', 'product', name));
    expect(problems).toEqual([expect.stringContaining(`, got: "${name}". Rename the product, e.g. "${name}_product".`)]);
    expect(problems[0]).toContain('its bucket name would be one of the domain\'s own buckets');
  });

  it('allows those names for domains, tables and columns', () => {
    for (const kind of ['domain', 'table', 'column'] as const) {
      expect(problemsOf((c) => validateName(c, 'name', kind, 'data')), kind).toEqual([]);
    }
  });

  it.each(RESERVED_BUCKET_PREFIXES.filter((p) => /^[a-z][a-z0-9-]*$/.test(p)).map((p) => [p]))(
    'fails if the mesh name starts with the S3-reserved prefix %j', (prefix) => {
      const name = `${prefix}mesh`;
      expect(problemsOf((c) => validateMeshName(c, 'meshName', name))).toEqual([
        `\`meshName\` must not start with "${prefix}", a prefix S3 reserves for bucket names, got: "${name}". Pick another mesh name.`,
      ]);
    });
});

describe('validateMeshName', () => {
  it.each(['acme', 'ab', 'acme-mesh', 'a1', 'm'.repeat(MAX_MESH_NAME_LENGTH)])('accepts %j', (name) => {
    expect(problemsOf((c) => validateMeshName(c, 'meshName', name))).toEqual([]);
  });

  it.each(['a', 'Acme', 'acme_mesh', '-acme', 'acme-', '1acme', 'm'.repeat(MAX_MESH_NAME_LENGTH + 1), ''])(
    'fails if the mesh name is %j', (name) => {
      // when
      const problems = problemsOf((c) => validateMeshName(c, 'meshName', name));
      // then
      expect(problems).toEqual([
        `\`meshName\` must be 2-${MAX_MESH_NAME_LENGTH} characters of lowercase letters, digits and hyphens, starting with a letter, got: ${JSON.stringify(name)}. It prefixes every bucket and role name; pick a short name such as "acme-mesh".`,
      ]);
    });

  it('fails if the mesh name is not a string', () => {
    expect(problemsOf((c) => validateMeshName(c, 'meshName', undefined))).toEqual([expect.stringContaining('got: nothing.')]);
  });
});

describe('validateLfTagString', () => {
  it.each(['public', 'pii', 'cost-center', 'a.b:c/d=e+f@g%h', 'x'.repeat(LF_MAX_TAG_LENGTH)])('accepts %j', (value) => {
    expect(problemsOf((c) => validateLfTagString(c, 'tags.team', 'value', value))).toEqual([]);
  });

  it('fails if a value has uppercase letters, and suggests the lowercase value', () => {
    // when
    const problems = problemsOf((c) => validateLfTagString(c, 'tags.team[0]', 'value', 'Finance'));
    // then
    expect(problems).toEqual([
      `\`tags.team[0]\` must be an LF-tag value of 1-${LF_MAX_TAG_LENGTH} lowercase characters (^[a-z0-9][a-z0-9_.:/=+\\-@%]*$), got: "Finance". Use "finance": Lake Formation stores tags in lowercase.`,
    ]);
  });

  it.each([['x'.repeat(LF_MAX_TAG_LENGTH + 1)], [''], ['has space'], ['_leading']])('fails if the key is %j, asking for a rename', (key) => {
    const problems = problemsOf((c) => validateLfTagString(c, 'tags', 'key', key));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('must be an LF-tag key of');
    expect(problems[0]).toContain(`got: ${JSON.stringify(key)}. Rename the tag key.`);
  });
});

describe('deterministic names', () => {
  it('names the product database <domain>_<product>', () => {
    expect(productDatabaseName('sales', 'order_lines')).toBe('sales_order_lines');
  });

  it('names buckets <mesh>-<domain>-<product|purpose>-<account>-<region>, with hyphens for underscores', () => {
    expect(productBucketName('acme', 'sales_eu', 'order_lines', '111111111111', 'eu-west-1')).toBe('acme-sales-eu-order-lines-111111111111-eu-west-1');
    expect(domainBucketName('acme', 'sales_eu', 'athena-results', '111111111111', 'eu-west-1')).toBe('acme-sales-eu-athena-results-111111111111-eu-west-1');
  });

  it('prefixes roles, workgroups and key aliases with the mesh name', () => {
    expect(domainRoleName('acme', 'sales', 'writer')).toBe('acme-sales-writer');
    expect(domainRoleName('acme', 'sales', 'query')).toBe('acme-sales-query');
    expect(registrationRoleName('acme', 'sales')).toBe('acme-sales-lf-reg');
    expect(workgroupName('acme', 'sales')).toBe('acme-sales');
    expect(domainKeyAlias('acme', 'sales')).toBe('alias/acme/sales');
    expect(catalogKeyAlias('acme')).toBe('alias/acme/catalog');
  });
});

describe('bucket name length', () => {
  it('is the plain length when account and region are known', () => {
    const name = productBucketName('acme', 'sales', 'orders', '111111111111', 'eu-west-1');
    expect(resolvedLength(name, '111111111111', 'eu-west-1')).toBe(name.length);
  });

  it('counts a token account as 12 digits and a token region as the longest region code (14)', () => {
    // given
    const stack = new Stack(new App(), 'Agnostic');
    const name = productBucketName('acme', 'sales', 'orders', stack.account, stack.region);
    expect(Token.isUnresolved(name)).toBe(true);
    // when
    const len = resolvedLength(name, stack.account, stack.region);
    // then
    expect(len).toBe('acme-sales-orders-'.length + 12 + 1 + 14);
  });

  it('counts only the part that is a token', () => {
    const name = productBucketName('acme', 'sales', 'orders', '111111111111', Aws.REGION);
    expect(resolvedLength(name, '111111111111', Aws.REGION)).toBe('acme-sales-orders-111111111111-'.length + 14);
  });

  it('accepts a name of exactly 63 characters and fails at 64 with the excess and a suggestion', () => {
    // given: 'acme-d-' and '-111111111111-eu-west-1' make 30 characters around the product name
    const fits = productBucketName('acme', 'd', 'p'.repeat(MAX_BUCKET_NAME_LENGTH - 30), '111111111111', 'eu-west-1');
    const tooLong = productBucketName('acme', 'd', 'p'.repeat(MAX_BUCKET_NAME_LENGTH - 30 + 1), '111111111111', 'eu-west-1');
    expect(fits).toHaveLength(MAX_BUCKET_NAME_LENGTH);
    // when
    const ok = problemsOf((c) => validateBucketName(c, 'productName', fits, '111111111111', 'eu-west-1'));
    const bad = problemsOf((c) => validateBucketName(c, 'productName', tooLong, '111111111111', 'eu-west-1'));
    // then
    expect(ok).toEqual([]);
    expect(bad).toEqual([
      `\`productName\` makes a bucket name of 64 characters; S3 allows at most 63, got: "${tooLong}". Shorten the mesh, domain or product name by 1 characters (names are never truncated, so that other accounts can compute them).`,
    ]);
  });

  it('fails for a name that only fits once the token region turns out short, and does not print the token', () => {
    // given: 61 characters with eu-west-1, 66 with the 14 characters a token region may take
    const stack = new Stack(new App(), 'Agnostic');
    const name = domainBucketName('acme', 'd'.repeat(18), 'athena-results', stack.account, stack.region);
    expect(domainBucketName('acme', 'd'.repeat(18), 'athena-results', '111111111111', 'eu-west-1').length).toBeLessThanOrEqual(63);
    // when
    const problems = problemsOf((c) => validateBucketName(c, 'domainName', name, stack.account, stack.region));
    // then
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('makes a bucket name of 66 characters; S3 allows at most 63');
    expect(problems[0]).toContain('got: "<name with account/region tokens>".');
    expect(problems[0]).toContain('by 3 characters');
    expect(problems[0]).not.toContain('${Token');
  });
});

describe('validateRoleName', () => {
  it('accepts 64 characters and fails above with the length', () => {
    const ok = 'r'.repeat(MAX_ROLE_NAME_LENGTH);
    const bad = 'r'.repeat(MAX_ROLE_NAME_LENGTH + 1);
    expect(problemsOf((c) => validateRoleName(c, 'domainName', ok))).toEqual([]);
    expect(problemsOf((c) => validateRoleName(c, 'domainName', bad))).toEqual([
      `\`domainName\` makes an IAM role name of 65 characters; IAM allows at most 64, got: "${bad}". Shorten the mesh or domain name.`,
    ]);
  });
});
