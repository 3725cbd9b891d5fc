/**
 * The plugin's GraphQL API (saleor_qb_sync/graphql/schema.graphql), called with the Dashboard's
 * token. The token is read from the bridge on every call: the Dashboard replaces it every few
 * minutes (`tokenRefresh`).
 */
import { useCallback, useEffect, useState } from "react";

import { type Bridge, pluginGraphqlUrl, useBridge } from "./bridge";
import type * as G from "./generated/graphql";
import type { TypedDocument } from "./generated/graphql";

// the documents, typed by `npm run codegen` (src/documents.ts, src/generated/graphql.ts)
export {
  CUSTOMER_MAPPING_DELETE,
  CUSTOMER_MAPPING_SET,
  CUSTOMER_MAPPINGS,
  CUSTOMERS,
  DELETE_PENDING,
  EXPORT_RESET,
  FAILED_COUNT,
  FAILED_ORDERS_RETRY,
  FOLLOW_UPS_QUEUE,
  HISTORY,
  ITEM_MAPPING_DELETE,
  ITEM_MAPPING_SET,
  ITEM_MAPPINGS,
  LIST_CHOICES,
  LISTS_REFRESH,
  ORDER_EXPORT,
  ORDER_UPDATE,
  ORDERS_DRY_RUN,
  PENDING_OPERATIONS,
  PREVIEW,
  QUEUE,
  QUICKBOOKS_LISTS,
  SETTINGS,
  SETTINGS_UPDATE,
  SYNC_STATUS,
  UNMAPPED_CUSTOMERS,
  UNMAPPED_SKUS,
  WEB_CONNECTOR_FILE,
} from "./generated/graphql";
export type { TypedDocument } from "./generated/graphql";

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

/**
 * Send `document`; its result and variables are typed from the schema. `signal` aborts the
 * request (then it rejects with an ApiError of code ABORTED).
 */
export async function graphql<D, V>(
  bridge: Bridge,
  document: TypedDocument<D, V>,
  variables: V,
  { signal }: { signal?: AbortSignal } = {},
): Promise<D> {
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
      body: JSON.stringify({ query: document, variables }),
      signal,
    });
  } catch {
    if (signal?.aborted) throw new ApiError("The request was cancelled.", "ABORTED");
    throw new ApiError("Could not reach the QuickBooks sync API. Check your connection.", "NETWORK");
  }
  // not JSON (a proxy's error page): judged by the status alone
  const body: { data?: D | null; errors?: GraphQLErrorBody[] } | null = await response
    .json()
    .catch(() => null);
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

export type QueryState<D> = {
  data: D | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

/**
 * Run `document` whenever `variables` (compared as JSON) change or `reload` is called; `skip`
 * leaves it idle. A newer request aborts the one in flight (AbortController), and so does
 * unmounting: an answer that comes after a newer request started is never shown.
 */
export function useQuery<D, V>(
  document: TypedDocument<D, V>,
  variables: V,
  { skip = false }: { skip?: boolean } = {},
): QueryState<D> {
  const bridge = useBridge();
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data: D | null; error: ApiError | null; loading: boolean }>(
    { data: null, error: null, loading: !skip },
  );
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (skip) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    const current = () => !controller.signal.aborted;
    setState((s) => ({ ...s, loading: true, error: null }));
    graphql(bridge, document, JSON.parse(key) as V, { signal: controller.signal })
      .then((data) => {
        if (current()) setState({ data, error: null, loading: false });
      })
      .catch((error: unknown) => {
        if (current()) setState({ data: null, error: asApiError(error), loading: false });
      });
    return () => controller.abort();
  }, [bridge, document, key, skip, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/**
 * A mutation's payload: the schema lets it be null (a resolver that failed; graphql() has thrown
 * its error then), so this only guards the types.
 */
export function payload<T>(value: T | null | undefined): T {
  if (value === null || value === undefined)
    throw new ApiError("The QuickBooks sync API gave no answer.", "EMPTY");
  return value;
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(error instanceof Error ? error.message : String(error));
}

// --- types: generated from schema.graphql and the documents (src/generated/graphql.ts) --------

type Edges<C extends { edges: ({ node: unknown } | null)[] }> = NonNullable<C["edges"][number]>["node"];

export type PageInfo = G.PageInfoFieldsFragment;
/** A Relay connection as the documents select it (an edge may be null in the schema). */
export type Connection<N> = { totalCount: number; pageInfo: PageInfo; edges: ({ node: N } | null)[] };
/** The nodes of a connection (the schema lets an edge be null: those are left out). */
export function nodesOf<N>(connection: Pick<Connection<N>, "edges"> | null | undefined): N[] {
  return connection ? connection.edges.flatMap((edge) => (edge ? [edge.node] : [])) : [];
}

export type SyncError = G.SyncErrorFieldsFragment;
export type TransferFilter = G.QbOrderTransferFilterInput;
export type TransferHistoryFilter = G.QbTransferHistoryFilterInput;

export type PreviewRow = G.PreviewRowFieldsFragment;
export type Money = PreviewRow["total"];
/** for an order in QuickBooks: the payments, credit memos, refunds and voids it lacks */
export type FollowUpDue = PreviewRow["followUpsDue"][number];
export type PreviewConnection = G.QbOrderTransferPreviewQuery["qbOrderTransferPreview"];

export type Customer = Edges<G.QbCustomersQuery["qbCustomers"]>;
export type PendingOperation = Edges<G.QbPendingOperationsQuery["qbPendingOperations"]>;
export type ExportState = G.QbExportState;
export type ExportRecord = G.ExportRecordFieldsFragment;
export type SyncStatus = G.QbSyncStatusQuery["qbSyncStatus"];

export type OrderExport = G.QbOrderExportQuery["qbOrderExport"];
/** One attempt to receive a Saleor charge in QuickBooks against the order's invoice (QbPayment). */
export type Payment = OrderExport["payments"][number];
/** One attempt at a QuickBooks document that followed the order's transaction (QbDocument). */
export type QuickBooksDocument = OrderExport["documents"][number];
/** One order's transaction as QuickBooks will receive it (QbQuickBooksDocument). */
export type TransactionPreview = NonNullable<OrderExport["quickbooksDocument"]>;
/** A part of the QuickBooks transaction that differs from the order now (QbOrderChange). */
export type OrderChange = OrderExport["changesSinceExport"][number];
export type DocumentKind = G.QbDocumentKind;
export type OrderChangeField = G.QbOrderChangeField;
/** What an edit after export does to the transaction (QbEditUpdates, a setting). */
export type EditUpdates = G.QbEditUpdates;

export type ExportResetResult = G.QbOrderExportResetMutation["qbOrderExportReset"];
export type FailedOrdersRetryResult = G.QbFailedOrdersRetryMutation["qbFailedOrdersRetry"];
export type DryRunPayload = G.QbOrdersDryRunMutation["qbOrdersDryRun"];
export type DryRun = NonNullable<NonNullable<DryRunPayload>["dryRun"]>;
export type DryRunOrder = DryRun["orders"][number];
export type DryRunInput = G.QbOrdersDryRunInput;

// --- settings (qbSettings, qbChannels, qbSettingsUpdate) --------------------------------------

export type ExportMode = G.QbExportMode;
export type TransactionType = G.QbTransactionType;
export type CustomerMode = G.QbCustomerMode;
export type CustomerNameFormat = G.QbCustomerNameFormat;
export type ItemMode = G.QbItemMode;
export type MissingItemAction = G.QbMissingItemAction;
export type TaxMode = G.QbTaxMode;
export type ExportableOrderStatus = G.QbExportableOrderStatus;
export type Settings = G.SettingsFieldsFragment;
/** What qbSettingsUpdate takes: only the settings to change. */
export type SettingsInput = G.QbSettingsInput;
export type Channel = G.QbSettingsQuery["qbChannels"][number];
export type SettingsUpdateResult = G.QbSettingsUpdateMutation["qbSettingsUpdate"];
/** What our copy of QuickBooks' lists says of a setting that names a record (QbSettingProblem). */
export type SettingProblem = G.SettingProblemFieldsFragment;
/** A record a setting's picker offers. */
export type ListChoice = Edges<G.QbListChoicesQuery["qbQuickBooksListEntries"]>;
export type QuickBooksLists = G.QbQuickBooksListsQuery["qbQuickBooksLists"];

// --- mappings (qbItemMappings, qbUnmappedSkus, qbCustomerMappings, qbUnmappedCustomers) -------

export type UnmappedSku = Edges<G.QbUnmappedSkusQuery["qbUnmappedSkus"]>;
export type ItemMapping = G.ItemMappingFieldsFragment;
export type UnmappedCustomer = Edges<G.QbUnmappedCustomersQuery["qbUnmappedCustomers"]>;
export type CustomerSuggestion = UnmappedCustomer["suggestions"][number];
export type CustomerMapping = G.CustomerMappingFieldsFragment;
