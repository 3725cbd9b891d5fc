/** A fake Dashboard (app-bridge) and a fake plugin API for component tests. */
import type { AppBridgeState } from "@saleor/app-sdk/app-bridge";
import { ThemeProvider } from "@saleor/macaw-ui";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";

import type { SyncStatus } from "../api";
import { type Bridge, BridgeProvider } from "../bridge";

export const TOKEN = "test-token";
export const API_URL = "https://shop.example.com/graphql/";
export const PLUGIN_URL = "https://shop.example.com/plugins/global/saleor_qb_sync/graphql/";

type Listener = (payload: unknown) => void;

export function fakeBridge(overrides: Partial<AppBridgeState> = {}) {
  let state: AppBridgeState = {
    id: "QXBwOjE=",
    ready: true,
    path: "/",
    theme: "light",
    locale: "en" as AppBridgeState["locale"],
    saleorApiUrl: API_URL,
    token: TOKEN,
    formContext: {},
    ...overrides,
  };
  const listeners = new Map<string, Set<Listener>>();
  const dispatched: { type: string; payload: Record<string, unknown> }[] = [];
  const bridge = {
    getState: () => state,
    subscribe: (type: string, cb: Listener) => {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(cb);
      return () => listeners.get(type)!.delete(cb);
    },
    dispatch: vi.fn(async (action: { type: string; payload: Record<string, unknown> }) => {
      dispatched.push(action);
    }),
  };
  /** Play a Dashboard event: update the state as AppBridge does, then notify. */
  const emit = (type: string, payload: Record<string, unknown>, patch: Partial<AppBridgeState>) => {
    state = { ...state, ...patch };
    listeners.get(type)?.forEach((cb) => cb(payload));
  };
  return { bridge: bridge as unknown as Bridge, dispatched, emit, dispatch: bridge.dispatch };
}

export type GqlCall = {
  operationName: string;
  variables: Record<string, unknown>;
  headers: Headers;
  url: string;
  /** the request's AbortSignal (useQuery aborts a request a newer one supersedes) */
  signal: AbortSignal | null;
};
type Handler = (variables: Record<string, unknown>, call: GqlCall) => unknown;

/**
 * Stub fetch: answer each GraphQL operation (by the name in its document) with a handler's
 * result: data, `{__status, __body}` for an HTTP error, or a promise (to hold a request open).
 */
export function mockApi(handlers: Record<string, Handler>) {
  const calls: GqlCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    const match = /(?:query|mutation)\s+(\w+)/.exec(body.query);
    const operationName = match ? match[1] : "";
    const call = {
      operationName,
      variables: body.variables,
      headers: new Headers(init?.headers),
      url: String(input),
      signal: init?.signal ?? null,
    };
    calls.push(call);
    const handler = handlers[operationName];
    if (!handler) throw new Error(`no handler for ${operationName}`);
    const result = (await handler(body.variables, call)) as Record<string, unknown>;
    if (result && "__status" in result) {
      return new Response(JSON.stringify(result.__body), {
        status: result.__status as number,
        headers: { "Content-Type": "application/json" },
      });
    }
    return new Response(JSON.stringify({ data: result }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  const named = (name: string) => calls.filter((c) => c.operationName === name);
  /** answer `name` with `handler` from now on */
  const handle = (name: string, handler: Handler) => {
    handlers[name] = handler;
  };
  return { calls, named, handle, fetchMock };
}

export function never(): Promise<never> {
  return new Promise(() => undefined);
}

/** A promise to settle later, from the test: hold an answer back, then give it. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export function renderWithBridge(ui: ReactElement, bridge = fakeBridge()) {
  const result = render(
    <BridgeProvider bridge={bridge.bridge}>
      <ThemeProvider>{ui}</ThemeProvider>
    </BridgeProvider>,
  );
  return { ...result, ...bridge };
}

export function connection<N>(nodes: N[], { totalCount = nodes.length, hasNextPage = false, endCursor = "c1" } = {}) {
  return {
    totalCount,
    pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: null, endCursor },
    edges: nodes.map((node) => ({ node })),
  };
}

export const STATUS: SyncStatus = {
  exportMode: "ON_DEMAND",
  lastCheckIn: null,
  queuedOperations: 0,
  queuedOrders: 0,
  configurationComplete: true,
  missingConfiguration: [],
  webConnectorUsername: "quickbooks",
  runEveryMinutes: 30,
  expectedCheckInBy: null,
  checkInOverdue: false,
  quickbooksProblems: [],
  quickbooksMulticurrency: false,
  quickbooksCurrencies: [],
};

export function previewRow(number: number, extra: Record<string, unknown> = {}) {
  return {
    orderId: `order-${number}`,
    number,
    createdAt: "2026-03-01T10:00:00+00:00",
    channel: "default-channel",
    customerName: `Customer ${number}`,
    customerEmail: `c${number}@example.com`,
    total: { amount: 10 * number, currency: "USD" },
    status: "UNFULFILLED",
    chargeStatus: "FULL",
    exported: false,
    lastExport: null,
    plannedTransactionType: "SalesReceipt",
    warnings: [],
    followUpsDue: [],
    ...extra,
  };
}

export function historyRecord(id: number, extra: Record<string, unknown> = {}) {
  return {
    id: `rec-${id}`,
    orderId: `order-${id}`,
    orderNumber: id,
    transactionType: "Invoice",
    refNumber: `S${id}`,
    txnId: `TXN-${id}`,
    state: "DONE",
    statusCode: 0,
    statusMessage: "Status OK",
    action: "",
    createdAt: "2026-03-01T10:00:00+00:00",
    updatedAt: "2026-03-01T10:05:00+00:00",
    automatic: false,
    linkedExisting: false,
    changedSinceExport: false,
    ...extra,
  };
}
