/**
 * Collects every page of a paginated AWS list call. `fetch` receives the previous page's `NextToken`
 * (undefined for the first page) and returns the page's items and its `NextToken`.
 */
export async function allPages<T>(operation: string, fetch: (nextToken: string | undefined) => Promise<{ items: readonly T[] | undefined; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(page.items ?? []));
    // Some services end a listing with an empty token instead of none.
    token = page.nextToken !== undefined && page.nextToken !== '' ? page.nextToken : undefined;
    if (token !== undefined) {
      // A service answering the same token twice would loop forever.
      if (seen.has(token)) throw new Error(`${operation} returned the NextToken ${JSON.stringify(token)} twice; stopping to avoid an endless loop.`);
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

/** Maps `items` with at most `limit` calls of `fn` in flight, keeping the input order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
