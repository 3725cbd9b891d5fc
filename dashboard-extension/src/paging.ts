/**
 * Cursor paging, written once: a query over a Relay connection (`first`/`after`) with
 * Previous/Next page. The stack of `after` cursors of the pages before the current one lives
 * here; it starts again at page 1 whenever the other variables (compared as JSON) change or
 * `reset` is called. Show it with `<Pager pages={…}>` (components/ui).
 */
import { useCallback, useState } from "react";

import { type Connection, nodesOf, type QueryState, type TypedDocument, useQuery } from "./api";

/** What <Pager> needs. */
export type Paging = {
  /** 1 for the first page */
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
};

export type PagedQuery<D, N> = QueryState<D> &
  Paging & {
    /** the connection of the answer shown (null before the first answer) */
    connection: Connection<N> | null;
    /** its nodes (the schema lets an edge be null: those are left out) */
    nodes: N[];
    /** back to page 1 */
    reset: () => void;
  };

type Cursor = string | null;

export function usePagedQuery<D, V extends { after?: Cursor | undefined }, N>(
  document: TypedDocument<D, V>,
  variables: Omit<V, "after">,
  connectionOf: (data: D) => Connection<N>,
  { skip = false }: { skip?: boolean } = {},
): PagedQuery<D, N> {
  const key = JSON.stringify(variables);
  // the cursors belong to the variables they were read with: other variables start at page 1
  const [stack, setStack] = useState<{ key: string; cursors: Cursor[] }>({ key, cursors: [null] });
  const cursors = stack.key === key ? stack.cursors : [null];
  const after = cursors[cursors.length - 1];
  const query = useQuery(document, { ...variables, after } as V, { skip });
  const connection = query.data ? connectionOf(query.data) : null;
  const endCursor = connection?.pageInfo.endCursor ?? null;
  // not while a page is loading: the answer shown is then another page's
  const hasNext = !query.loading && Boolean(connection?.pageInfo.hasNextPage && endCursor);

  // once per page shown: a second click before the next page is asked for does nothing
  const next = useCallback(() => {
    if (!hasNext) return;
    setStack((s) => {
      const current = s.key === key ? s.cursors : [null];
      return current[current.length - 1] === after ? { key, cursors: [...current, endCursor] } : s;
    });
  }, [hasNext, key, after, endCursor]);
  const previous = useCallback(() => {
    setStack((s) => ({ key, cursors: s.key === key && s.cursors.length > 1 ? s.cursors.slice(0, -1) : [null] }));
  }, [key]);
  const reset = useCallback(() => setStack({ key, cursors: [null] }), [key]);

  const nodes = nodesOf(connection);
  return {
    ...query,
    connection,
    nodes,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    hasNext,
    previous,
    next,
    reset,
  };
}
