/**
 * The plugin's GraphQL API (saleor_qb_sync/graphql/schema.graphql), called with the Dashboard's
 * token. The token is read from the bridge on every call: the Dashboard replaces it every few
 * minutes (`tokenRefresh`).
 */
import { useCallback, useEffect, useRef, useState } from "react";

import { type Bridge, pluginGraphqlUrl, useBridge } from "./bridge";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string = "ERROR",
    readonly status: number = 0,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type GraphQLErrorBody = { message?: string; extensions?: { exception?: { code?: string } } };

export async function graphql<T>(
  bridge: Bridge,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const state = bridge.getState();
  const url = pluginGraphqlUrl(state.saleorApiUrl, window.location.href);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Authorization-Bearer": state.token ?? "",
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("Could not reach the QuickBooks sync API. Check your connection.", "NETWORK");
  }
  let body: { data?: T | null; errors?: GraphQLErrorBody[] } | null = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const first = body?.errors?.[0];
  if (!response.ok || !body?.data) {
    const code = first?.extensions?.exception?.code ?? `HTTP_${response.status}`;
    const message =
      response.status === 401
        ? "Your session has expired or the app is not authorised. Reload the page."
        : response.status === 403
          ? "You need the Manage orders permission to use QuickBooks sync."
          : (first?.message ?? `The QuickBooks sync API answered ${response.status}.`);
    throw new ApiError(message, code, response.status);
  }
  if (first) {
    throw new ApiError(first.message ?? "The request failed.", first.extensions?.exception?.code);
  }
  return body.data;
}

export type QueryState<T> = {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

/** Run `query` whenever `variables` (compared as JSON) change; `skip` leaves it idle. */
export function useQuery<T>(
  query: string,
  variables: Record<string, unknown> = {},
  { skip = false }: { skip?: boolean } = {},
): QueryState<T> {
  const bridge = useBridge();
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>(
    { data: null, error: null, loading: !skip },
  );
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    if (skip) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    graphql<T>(bridge, query, JSON.parse(key))
      .then((data) => {
        if (id === latest.current) setState({ data, error: null, loading: false });
      })
      .catch((error: unknown) => {
        if (id === latest.current)
          setState({ data: null, error: asApiError(error), loading: false });
      });
  }, [bridge, query, key, skip, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(error instanceof Error ? error.message : String(error));
}

// --- types (schema.graphql) ------------------------------------------------------------------

export type PageInfo = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
};
export type Connection<N> = { totalCount: number; pageInfo: PageInfo; edges: { node: N }[] };
export type Money = { amount: number; currency: string };
export type SyncError = { field: string | null; message: string; code: string };

export type TransferFilter = {
  customer?: string | null;
  dateFrom?: string | null;
  dateTo?: string | null;
  includeExported?: boolean;
};

export type PreviewRow = {
  orderId: string;
  number: number;
  createdAt: string;
  channel: string;
  customerName: string;
  customerEmail: string;
  total: Money;
  status: string;
  chargeStatus: string;
  exported: boolean;
  lastExport: { at: string; transactionType: string; txnId: string; refNumber: string } | null;
  plannedTransactionType: string | null;
  warnings: string[];
};

export type Customer = { email: string; name: string; userId: string | null; orderCount: number };

export type PendingOperation = {
  id: string;
  kind: string;
  status: "QUEUED" | "IN_PROGRESS" | "DONE" | "FAILED" | "DELETED";
  createdAt: string;
  createdBy: string;
  orderCount: number;
  doneCount: number;
  failedCount: number;
  pickedUpAt: string | null;
  completedAt: string | null;
  summary: string;
  orders: number[];
};

export type ExportState = "QUEUED" | "SENT" | "DONE" | "FAILED" | "NEEDS_RECONCILING" | "RESET";

export type ExportRecord = {
  id: string;
  orderId: string;
  orderNumber: number;
  transactionType: string;
  refNumber: string;
  txnId: string;
  state: ExportState;
  statusCode: number | null;
  statusMessage: string;
  action: string;
  createdAt: string;
  updatedAt: string;
  automatic: boolean;
  linkedExisting: boolean;
};

export type SyncStatus = {
  exportMode: "AUTOMATIC" | "ON_DEMAND";
  lastCheckIn: {
    at: string;
    startedAt: string;
    summary: string;
    state: "OPEN" | "CLOSED" | "DROPPED";
    ordersDone: number;
    ordersFailed: number;
    lastError: string;
  } | null;
  queuedOperations: number;
  queuedOrders: number;
  configurationComplete: boolean;
  missingConfiguration: string[];
  webConnectorUsername: string;
};

// --- documents ---------------------------------------------------------------------------------

const PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

export const SYNC_STATUS = /* GraphQL */ `
  query QbSyncStatus {
    qbSyncStatus {
      exportMode
      lastCheckIn { at startedAt summary state ordersDone ordersFailed lastError }
      queuedOperations
      queuedOrders
      configurationComplete
      missingConfiguration
      webConnectorUsername
    }
  }
`;

export const CUSTOMERS = /* GraphQL */ `
  query QbCustomers($search: String, $first: Int) {
    qbCustomers(search: $search, first: $first) {
      totalCount
      edges { node { email name userId orderCount } }
    }
  }
`;

export const PREVIEW = /* GraphQL */ `
  query QbOrderTransferPreview($filter: QbOrderTransferFilterInput!, $first: Int, $after: String) {
    qbOrderTransferPreview(filter: $filter, first: $first, after: $after) {
      totalCount
      ${PAGE_INFO}
      edges {
        node {
          orderId number createdAt channel customerName customerEmail
          total { amount currency }
          status chargeStatus exported
          lastExport { at transactionType txnId refNumber }
          plannedTransactionType warnings
        }
      }
    }
  }
`;

export const QUEUE = /* GraphQL */ `
  mutation QbOrderTransferQueue($input: QbOrderTransferQueueInput!) {
    qbOrderTransferQueue(input: $input) {
      errors { field message code }
      pendingOperation { id orderCount status createdAt }
    }
  }
`;

export const PENDING_OPERATIONS = /* GraphQL */ `
  query QbPendingOperations($first: Int, $after: String) {
    qbPendingOperations(first: $first, after: $after) {
      totalCount
      ${PAGE_INFO}
      edges {
        node {
          id kind status createdAt createdBy orderCount doneCount failedCount
          pickedUpAt completedAt summary orders
        }
      }
    }
  }
`;

export const DELETE_PENDING = /* GraphQL */ `
  mutation QbPendingOperationDelete($ids: [ID!]!) {
    qbPendingOperationDelete(ids: $ids) {
      errors { field message code }
      pendingOperations { id }
    }
  }
`;

export const HISTORY = /* GraphQL */ `
  query QbTransferHistory($filter: QbTransferHistoryFilterInput, $first: Int, $after: String) {
    qbTransferHistory(filter: $filter, first: $first, after: $after) {
      totalCount
      ${PAGE_INFO}
      edges {
        node {
          id orderId orderNumber transactionType refNumber txnId state statusCode
          statusMessage action createdAt updatedAt automatic linkedExisting
        }
      }
    }
  }
`;

export const WEB_CONNECTOR_FILE = /* GraphQL */ `
  query QbWebConnectorFile {
    qbWebConnectorFile
  }
`;

export const EXPORT_RESET = /* GraphQL */ `
  mutation QbOrderExportReset($orderIds: [ID!]!) {
    qbOrderExportReset(orderIds: $orderIds) {
      resetCount
      errors { field message code }
    }
  }
`;

export type ExportResetResult = { resetCount: number; errors: SyncError[] };
