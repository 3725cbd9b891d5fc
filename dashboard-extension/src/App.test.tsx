import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, Screens } from "./App";
import { BridgeProvider, pluginGraphqlUrl } from "./bridge";
import { connection, fakeBridge, mockApi, never, previewRow, renderWithBridge, STATUS } from "./test/utils";

const statusApi = (extra: Record<string, unknown> = {}) => ({
  QbSyncStatus: () => ({ qbSyncStatus: { ...STATUS, ...extra } }),
  QbPendingOperations: () => ({ qbPendingOperations: connection([]) }),
  QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
});

describe("pluginGraphqlUrl", () => {
  it("puts the plugin's endpoint next to Saleor's /graphql/", () => {
    expect(pluginGraphqlUrl("https://api.shop.com/graphql/", "https://x/app/")).toBe(
      "https://api.shop.com/plugins/global/saleor_qb_sync/graphql/",
    );
    expect(pluginGraphqlUrl("http://localhost:8000/graphql", "https://x/app/")).toBe(
      "http://localhost:8000/plugins/global/saleor_qb_sync/graphql/",
    );
    expect(pluginGraphqlUrl("https://shop.com/saleor/graphql/", "https://x/app/")).toBe(
      "https://shop.com/saleor/plugins/global/saleor_qb_sync/graphql/",
    );
  });

  it("falls back to the app's own location", () => {
    expect(
      pluginGraphqlUrl("", "https://shop.com/plugins/global/saleor_qb_sync/app/?view=order"),
    ).toBe("https://shop.com/plugins/global/saleor_qb_sync/graphql/");
  });
});

describe("App", () => {
  it("waits for the Dashboard's handshake, then loads", async () => {
    const api = mockApi(statusApi());
    const bridge = fakeBridge({ token: undefined, ready: false });
    renderWithBridge(<Screens search="" />, bridge);

    expect(screen.getByRole("status")).toHaveTextContent("Connecting to the Saleor Dashboard…");
    expect(api.calls).toHaveLength(0);

    act(() => bridge.emit("handshake", { token: "t1", version: 1 }, { token: "t1", ready: true }));

    expect(await screen.findByRole("tab", { name: "Transfer orders" })).toHaveAttribute("aria-selected", "true");
    expect(api.calls[0].headers.get("Authorization-Bearer")).toBe("t1");
  });

  it("uses the refreshed token for later requests", async () => {
    const api = mockApi(statusApi());
    const bridge = fakeBridge();
    renderWithBridge(<Screens search="" />, bridge);
    await screen.findByRole("tablist");

    act(() => bridge.emit("tokenRefresh", { token: "t2" }, { token: "t2" }));
    await userEvent.setup().click(screen.getByRole("tab", { name: "History" }));

    await screen.findByText("No transfers yet");
    expect(api.named("QbTransferHistory")[0].headers.get("Authorization-Bearer")).toBe("t2");
  });

  it("shows an error when the API cannot be reached", async () => {
    mockApi({ QbSyncStatus: () => Promise.reject(new TypeError("Failed to fetch")) });
    renderWithBridge(<Screens search="" />);

    expect(await screen.findByRole("alert")).toHaveTextContent("Could not reach the QuickBooks sync API");
  });

  it("shows a loading state while the status loads", () => {
    mockApi({ QbSyncStatus: () => never() });
    renderWithBridge(<Screens search="" />);

    expect(screen.getByRole("status")).toHaveTextContent("Loading QuickBooks sync…");
  });

  it("moves between tabs with the arrow keys", async () => {
    mockApi(statusApi({ queuedOrders: 3, queuedOperations: 1 }));
    renderWithBridge(<Screens search="" />);
    const user = userEvent.setup();
    const first = await screen.findByRole("tab", { name: "Transfer orders" });
    expect(screen.getByTestId("status-line")).toHaveTextContent("3 orders waiting for Web Connector");

    first.focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Pending operations" })).toHaveFocus();
    expect(await screen.findByRole("tabpanel")).toHaveTextContent("Pending operations");
    await user.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Settings" })).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Transfer orders" })).toHaveFocus();
  });

  it("opens the tab named in the URL", async () => {
    mockApi(statusApi());
    renderWithBridge(<Screens search="?tab=setup" />);

    const panel = await screen.findByRole("tabpanel");
    expect(within(panel).getByRole("heading", { name: "Web Connector set-up" })).toBeInTheDocument();
  });

  it("has a Mappings tab with the items and the customers QuickBooks names differently", async () => {
    const api = mockApi({
      ...statusApi(),
      QbUnmappedSkus: () => ({ qbUnmappedSkus: connection([]) }),
      QbItemMappings: () => ({ qbItemMappings: connection([]) }),
      QbUnmappedCustomers: () => ({ qbUnmappedCustomers: connection([]) }),
      QbCustomerMappings: () => ({ qbCustomerMappings: connection([]) }),
    });
    renderWithBridge(<Screens search="" />);

    await userEvent.setup().click(await screen.findByRole("tab", { name: "Mappings" }));

    const panel = await screen.findByRole("tabpanel");
    expect(within(panel).getByRole("heading", { name: "Mappings" })).toBeInTheDocument();
    expect(await within(panel).findByText("Every SKU has its QuickBooks item")).toBeInTheDocument();
    expect(await within(panel).findByText("Every customer is mapped")).toBeInTheDocument();
    expect(api.named("QbUnmappedCustomers")).toHaveLength(1);
  });

  it("refreshes the status line when orders are queued and when an operation is deleted", async () => {
    let waiting = 0;
    mockApi({
      ...statusApi(),
      QbSyncStatus: () => ({ qbSyncStatus: { ...STATUS, queuedOrders: waiting, queuedOperations: waiting ? 1 : 0 } }),
      QbOrderTransferPreview: () => ({
        qbOrderTransferPreview: { ...connection([previewRow(1), previewRow(2)]), queuedCount: 0 },
      }),
      QbOrderTransferQueue: () => {
        waiting = 2;
        return { qbOrderTransferQueue: { errors: [], pendingOperation: { id: "op", orderCount: 2 } } };
      },
      QbPendingOperations: () => ({
        qbPendingOperations: connection(waiting ? [{
          id: "op", kind: "EXPORT_ORDERS", status: "QUEUED", createdAt: "2026-03-01T10:00:00+00:00",
          createdBy: "staff@example.com", orderCount: 2, doneCount: 0, failedCount: 0,
          pickedUpAt: null, completedAt: null, summary: "2 orders queued", orders: [1, 2],
        }] : []),
      }),
      QbPendingOperationDelete: () => {
        waiting = 0;
        return { qbPendingOperationDelete: { errors: [] } };
      },
    });
    renderWithBridge(<Screens search="" />);
    const user = userEvent.setup();
    const line = await screen.findByTestId("status-line");
    expect(line).toHaveTextContent("nothing waiting");

    await user.click(screen.getByRole("button", { name: "Preview" }));
    await user.click(await screen.findByRole("button", { name: "Transfer 2 orders" }));
    expect(await screen.findByText("2 orders waiting for Web Connector", { exact: false })).toBeInTheDocument();

    await user.click(screen.getByRole("tab", { name: "Pending operations" }));
    await user.click(await screen.findByRole("button", { name: /Delete/ }));
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText(/nothing waiting/)).toBeInTheDocument();
  });

  it("shows the order panel for the order-details mount", async () => {
    mockApi({
      ...statusApi(),
      QbOrderExport: () => ({
        qbOrderExport: {
          order: previewRow(1), queued: false, canQueue: true, reason: null, automatic: false, automaticNote: null,
          payments: [],
          documents: [],
        },
      }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
    });
    renderWithBridge(<Screens search="?view=order&orderId=T3JkZXI6MQ%3D%3D" />);

    expect(await screen.findByRole("heading", { name: "Order #1" })).toBeInTheDocument();
    expect(screen.queryByRole("tablist")).not.toBeInTheDocument();
  });

  it("follows the Dashboard's theme and locale", async () => {
    mockApi(statusApi());
    const bridge = fakeBridge({ theme: "light" });
    render(
      <BridgeProvider bridge={bridge.bridge}>
        <App />
      </BridgeProvider>,
    );
    await screen.findByRole("tablist");
    expect(document.documentElement.dataset.theme).toBe("light");

    act(() => bridge.emit("theme", { theme: "dark" }, { theme: "dark" }));
    expect(document.documentElement.dataset.theme).toBe("dark");
    expect(document.documentElement.style.colorScheme).toBe("dark");

    act(() => bridge.emit("localeChanged", { locale: "pl" }, { locale: "pl" as never }));
    expect(document.documentElement.lang).toBe("pl");
  });
});
