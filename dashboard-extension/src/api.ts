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
  /** for an order in QuickBooks: the payments, credit memos, refunds and voids it lacks */
  followUpsDue: FollowUpDue[];
};

export type FollowUpDue = { kind: string; amount: Money; description: string };

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
  /** this attempt put the order in QuickBooks and the order was edited in Saleor since */
  changedSinceExport: boolean;
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
  /** Web Connector's schedule (RunEveryNMinutes of the .qwc file). */
  runEveryMinutes: number;
  /** When Web Connector must have connected again before staff are warned; null before the first check-in. */
  expectedCheckInBy: string | null;
  /** Web Connector missed several scheduled runs (the server decides; staff get one e-mail per outage). */
  checkInOverdue: boolean;
  /** Accounts and sales tax items the settings name that QuickBooks lacked at the latest check. */
  quickbooksProblems: string[];
  /** QuickBooks' preferences said multicurrency is on (the newest session that read them). */
  quickbooksMulticurrency?: boolean;
  /** then: the ISO codes of its active currencies */
  quickbooksCurrencies?: string[];
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
      runEveryMinutes
      expectedCheckInBy
      checkInOverdue
      quickbooksProblems
      quickbooksMulticurrency
      quickbooksCurrencies
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

/** The fields of a preview row, also what the order popup shows (QbOrderTransferPreviewRow). */
const PREVIEW_ROW_FIELDS = `
  orderId number createdAt channel customerName customerEmail
  total { amount currency }
  status chargeStatus exported
  lastExport { at transactionType txnId refNumber }
  plannedTransactionType warnings
  followUpsDue { kind amount { amount currency } description }
`;

export const PREVIEW = /* GraphQL */ `
  query QbOrderTransferPreview($filter: QbOrderTransferFilterInput!, $first: Int, $after: String) {
    qbOrderTransferPreview(filter: $filter, first: $first, after: $after) {
      totalCount
      queuedCount
      ${PAGE_INFO}
      edges {
        node { ${PREVIEW_ROW_FIELDS} }
      }
    }
  }
`;

export type PreviewConnection = Connection<PreviewRow> & { queuedCount: number };

/** One attempt to receive a Saleor charge in QuickBooks against the order's invoice (QbPayment). */
export type Payment = {
  at: string;
  amount: Money;
  refNumber: string;
  /** empty until QuickBooks has it */
  txnId: string;
  state: ExportState;
  message: string;
  action: string;
  /** the QuickBooks payment method; may be empty */
  paymentMethod: string;
};

/** What followed an order's transaction in QuickBooks (QbDocumentKind). */
export type DocumentKind = "PAYMENT" | "CREDIT_MEMO" | "REFUND" | "VOID" | "MODIFICATION";

/** What an edit in Saleor can change on the order's QuickBooks transaction (QbOrderChangeField). */
export type OrderChangeField = "BILL_ADDRESS" | "SHIP_ADDRESS";

/** A part of the QuickBooks transaction that differs from the order now (QbOrderChange). */
export type OrderChange = {
  field: OrderChangeField;
  label: string;
  /** what QuickBooks has, on one line (empty: none) */
  before: string;
  /** what the order says now, on one line (empty: none) */
  after: string;
};

/** What an edit after export does to the transaction (QbEditUpdates, a setting). */
export type EditUpdates = "OFF" | "ASK" | "AUTOMATIC";

/** One attempt at a QuickBooks document that followed the order's transaction (QbDocument). */
export type QuickBooksDocument = {
  kind: DocumentKind;
  at: string;
  /** zero for a void */
  amount: Money;
  refNumber: string;
  /** empty until QuickBooks has it */
  txnId: string;
  state: ExportState;
  message: string;
  action: string;
};

export type OrderExport = {
  order: PreviewRow;
  queued: boolean;
  canQueue: boolean;
  reason: string | null;
  automatic: boolean;
  automaticNote: string | null;
  /** its charges received in QuickBooks against its invoice, each attempt, newest first */
  payments: Payment[];
  /** every document that followed its transaction (payments, credit memos, refunds, voids,
   * updates), each attempt, newest first */
  documents: QuickBooksDocument[];
  /** the transaction it becomes in QuickBooks now, as a run would send it; null when it cannot */
  quickbooksDocument?: TransactionPreview | null;
  /** edited in Saleor since its transaction went to QuickBooks (compared when asked) */
  changedSinceExport: boolean;
  changesSinceExport: OrderChange[];
  changesNoticedAt: string | null;
  /** why it could not be compared now; null when it was */
  changesProblem: string | null;
  /** someone chose Update in QuickBooks; the next Web Connector update sends it */
  updateRequestedAt: string | null;
  updateRequestedBy: string | null;
  editUpdates: EditUpdates;
};

/** One order's transaction as QuickBooks will receive it (QbQuickBooksDocument). */
export type TransactionPreview = {
  transactionType: string;
  refNumber: string;
  txnDate: string;
  customer: string;
  customerCurrency: string;
  lines: {
    item: string;
    description: string;
    quantity: string | null;
    rate: string | null;
    amount: Money;
    taxCode: string;
  }[];
  total: Money;
  exchangeRate: string | null;
  arAccount: string;
  depositToAccount: string;
  memo: string;
  warnings: string[];
  qbxml: string;
};

const EDIT_FIELDS = `
  changedSinceExport changesNoticedAt changesProblem updateRequestedAt updateRequestedBy editUpdates
  changesSinceExport { field label before after }
`;

export const ORDER_EXPORT = /* GraphQL */ `
  query QbOrderExport($orderId: ID!) {
    qbOrderExport(orderId: $orderId) {
      order { ${PREVIEW_ROW_FIELDS} }
      queued canQueue reason automatic automaticNote
      payments { at amount { amount currency } refNumber txnId state message action paymentMethod }
      documents { kind at amount { amount currency } refNumber txnId state message action }
      quickbooksDocument {
        transactionType refNumber txnDate customer customerCurrency
        lines { item description quantity rate amount { amount currency } taxCode }
        total { amount currency } exchangeRate arAccount depositToAccount memo warnings qbxml
      }
      ${EDIT_FIELDS}
    }
  }
`;

export const ORDER_UPDATE = /* GraphQL */ `
  mutation QbOrderUpdateInQuickbooks($orderId: ID!) {
    qbOrderUpdateInQuickbooks(orderId: $orderId) {
      errors { field message code }
      orderExport { ${EDIT_FIELDS} }
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

/** On demand: queue what QuickBooks lacks for orders it has (payments, refunds, voids). */
export const FOLLOW_UPS_QUEUE = /* GraphQL */ `
  mutation QbFollowUpsQueue($ids: [ID!]!) {
    qbFollowUpsQueue(orderIds: $ids) {
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

/** Whether any attempt failed: "Retry failed orders" shows only then. */
export const FAILED_COUNT = /* GraphQL */ `
  query QbFailedCount {
    qbTransferHistory(filter: { state: FAILED }, first: 1) { totalCount }
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
          statusMessage action createdAt updatedAt automatic linkedExisting changedSinceExport
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

export const FAILED_ORDERS_RETRY = /* GraphQL */ `
  mutation QbFailedOrdersRetry($orderIds: [ID!]) {
    qbFailedOrdersRetry(orderIds: $orderIds) {
      pendingOperation { id orderCount }
      errors { field message code }
    }
  }
`;

export type FailedOrdersRetryResult = {
  pendingOperation: { id: string; orderCount: number } | null;
  errors: SyncError[];
};

// --- settings (qbSettings, qbChannels, qbSettingsUpdate) --------------------------------------

export type ExportMode = "AUTOMATIC" | "ON_DEMAND";
export type TransactionType = "INVOICE" | "SALES_RECEIPT" | "SALES_ORDER" | "BY_PAYMENT_STATUS";
export type CustomerMode = "PER_CUSTOMER" | "SINGLE_CUSTOMER";
export type CustomerNameFormat = "FIRST_LAST" | "LAST_FIRST" | "EMAIL" | "COMPANY_OR_NAME";
export type ItemMode = "BY_SKU" | "SINGLE_ITEM";
export type MissingItemAction = "CREATE" | "USE_DEFAULT" | "FAIL";
export type TaxMode = "LINE_ITEM" | "QUICKBOOKS_TAX_ITEM";
export type ExportableOrderStatus =
  | "UNFULFILLED"
  | "PARTIALLY_FULFILLED"
  | "FULFILLED"
  | "PARTIALLY_RETURNED"
  | "RETURNED"
  | "CANCELED"
  | "EXPIRED";

export type Settings = {
  exportMode: ExportMode;
  transactionType: TransactionType;
  checkDuplicates: boolean;
  exportStartDate: string | null;
  eligibleStatuses: ExportableOrderStatus[];
  channels: string[];
  customerMode: CustomerMode;
  singleCustomerName: string;
  customerNameFormat: CustomerNameFormat;
  itemMode: ItemMode;
  defaultItemName: string;
  missingItemAction: MissingItemAction;
  incomeAccount: string;
  depositToAccount: string;
  /** receive each Saleor charge of an order exported as an invoice against that invoice */
  recordPayments: boolean;
  /** "saleor=QuickBooks" pairs: Saleor's payment method type or gateway → QuickBooks payment method */
  paymentMethods: string[];
  /** a credit memo for each Saleor refund of an order that is in QuickBooks */
  recordRefunds: boolean;
  /** also the money going back against each credit memo (from the deposit account) */
  refundMoney: boolean;
  /** void the invoice or sales receipt of a cancelled order when no money moved */
  voidCancelled: boolean;
  /** what an edit in Saleor (addresses) of an order in QuickBooks does to its transaction */
  updateEditedOrders: EditUpdates;
  arAccount: string;
  salesTaxAccount: string;
  giftCardAccount: string;
  shippingItemName: string;
  discountItemName: string;
  giftCardItemName: string;
  /** other-charge item for refunds without lines and for a refund's difference from its lines */
  refundItemName: string;
  taxMode: TaxMode;
  salesTaxItemName: string;
  refNumberPrefix: string;
  className: string;
  ordersPerRequest: number;
  qbxmlVersion: string;
  webConnectorUsername: string;
  webConnectorPasswordSet: boolean;
  companyFile: string;
  timeZone: string;
  runEveryMinutes: number;
  /** QuickBooks' lists are read again when older than this many hours (0: only when asked) */
  listsMaxAgeHours: number;
  /** the QuickBooks company's home currency (ISO 4217) */
  companyCurrency: string;
  /** "CODE=rate" pairs: the home currency per 1 unit of CODE; orders in other currencies are refused */
  exchangeRates: string[];
  canEdit: boolean;
};

/** What qbSettingsUpdate takes: only the settings to change. */
export type SettingsInput = Partial<
  Omit<Settings, "qbxmlVersion" | "webConnectorPasswordSet" | "canEdit">
> & { webConnectorPassword?: string };

export type Channel = { slug: string; name: string };

export type SettingsUpdateResult = { settings: Settings | null; errors: SyncError[] };

const SETTINGS_FIELDS = `
  exportMode transactionType checkDuplicates exportStartDate eligibleStatuses channels
  customerMode singleCustomerName customerNameFormat itemMode defaultItemName missingItemAction
  incomeAccount depositToAccount recordPayments paymentMethods recordRefunds refundMoney voidCancelled updateEditedOrders
  arAccount salesTaxAccount giftCardAccount shippingItemName discountItemName giftCardItemName refundItemName taxMode salesTaxItemName refNumberPrefix className
  ordersPerRequest qbxmlVersion webConnectorUsername webConnectorPasswordSet companyFile
  timeZone runEveryMinutes listsMaxAgeHours companyCurrency exchangeRates canEdit
`;

export const SETTINGS = /* GraphQL */ `
  query QbSettings {
    qbSettings { ${SETTINGS_FIELDS} }
    qbChannels { slug name }
  }
`;

export const SETTINGS_UPDATE = /* GraphQL */ `
  mutation QbSettingsUpdate($input: QbSettingsInput!) {
    qbSettingsUpdate(input: $input) {
      settings { ${SETTINGS_FIELDS} }
      errors { field message code }
    }
  }
`;
