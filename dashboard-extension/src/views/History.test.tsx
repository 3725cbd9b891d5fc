import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { connection, historyRecord, mockApi, never, renderWithBridge } from "../test/utils";
import { HistoryView } from "./History";

describe("HistoryView", () => {
  it("shows a loading state", () => {
    mockApi({ QbTransferHistory: () => never() });
    renderWithBridge(<HistoryView />);

    expect(screen.getByRole("status")).toHaveTextContent("Loading the history…");
  });

  it("shows an error", async () => {
    mockApi({ QbTransferHistory: () => ({ __status: 500, __body: null }) });
    renderWithBridge(<HistoryView />);

    expect(await screen.findByRole("alert")).toHaveTextContent("The QuickBooks sync API answered 500.");
  });

  it("says when nothing was transferred yet", async () => {
    mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    renderWithBridge(<HistoryView />);

    expect(await screen.findByText("No transfers yet")).toBeInTheDocument();
  });

  it("shows each order's result with QuickBooks' message", async () => {
    mockApi({
      QbTransferHistory: () => ({
        qbTransferHistory: connection([
          historyRecord(1),
          historyRecord(2, {
            state: "FAILED",
            txnId: "",
            statusCode: 3180,
            statusMessage: "There was an error when saving a Invoice transaction.",
            action: "Close the period in QuickBooks or change the closing date.",
          }),
        ]),
      }),
    });
    renderWithBridge(<HistoryView />);

    const rows = await screen.findAllByTestId("history-row");
    expect(rows[0]).toHaveTextContent("#1");
    expect(rows[0]).toHaveTextContent("Done");
    expect(rows[0]).toHaveTextContent("Invoice S1");
    expect(rows[0]).toHaveTextContent("TxnID TXN-1");
    expect(rows[1]).toHaveTextContent("Failed");
    expect(rows[1]).toHaveTextContent("There was an error when saving a Invoice transaction.");
    expect(rows[1]).toHaveTextContent("(code 3180)");
    expect(rows[1]).toHaveTextContent("What to do: Close the period");
  });

  it("filters by failures and by order number", async () => {
    const api = mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(4)]) }) });
    renderWithBridge(<HistoryView />);
    const user = userEvent.setup();
    await screen.findAllByTestId("history-row");

    await user.click(screen.getByRole("checkbox", { name: "Failures only" }));
    await user.type(screen.getByRole("searchbox", { name: "Order number" }), "#42{Enter}");

    await screen.findAllByTestId("history-row");
    const filters = api.named("QbTransferHistory").map((c) => c.variables.filter);
    expect(filters[0]).toEqual({});
    expect(filters).toContainEqual({ state: "FAILED" });
    expect(filters.at(-1)).toEqual({ state: "FAILED", orderNumber: 42 });
  });

  it("flags orders changed in Saleor since their export and lists only those on demand", async () => {
    const api = mockApi({
      QbTransferHistory: (v) => ({
        qbTransferHistory: connection(
          (v.filter as { changedSinceExport?: boolean }).changedSinceExport
            ? []
            : [historyRecord(5, { changedSinceExport: true }), historyRecord(6)],
        ),
      }),
    });
    renderWithBridge(<HistoryView />);
    const user = userEvent.setup();

    const rows = await screen.findAllByTestId("history-row");
    expect(within(rows[0]).getByText("Changed since export")).toBeInTheDocument();
    expect(within(rows[1]).queryByText("Changed since export")).not.toBeInTheDocument();
    await user.click(screen.getByRole("checkbox", { name: "Changed since export only" }));

    expect(await screen.findByText("No changed orders")).toBeInTheDocument();
    expect(api.named("QbTransferHistory").map((c) => c.variables.filter).at(-1)).toEqual({
      changedSinceExport: true,
    });
  });

  it("says there are no failures when filtering finds none", async () => {
    mockApi({
      QbTransferHistory: (v) => ({
        qbTransferHistory: connection((v.filter as { state?: string }).state ? [] : [historyRecord(1)]),
      }),
    });
    renderWithBridge(<HistoryView />);
    await screen.findAllByTestId("history-row");

    await userEvent.setup().click(screen.getByRole("checkbox", { name: "Failures only" }));

    expect(await screen.findByText("No failures")).toBeInTheDocument();
  });

  it("opens the Saleor order through app-bridge", async () => {
    mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(9, { orderId: "T3JkZXI6OQ==" })]) }) });
    const { dispatched } = renderWithBridge(<HistoryView />);
    const [row] = await screen.findAllByTestId("history-row");

    await userEvent.setup().click(within(row).getByRole("button", { name: "Open order #9 in Saleor" }));

    const redirect = dispatched.find((a) => a.type === "redirect");
    expect(redirect?.payload.to).toBe("/orders/T3JkZXI6OQ%3D%3D");
  });

  describe("Mark as not exported", () => {
    const rows = () => ({
      qbTransferHistory: connection([
        historyRecord(7, { orderId: "T3JkZXI6Nw==" }),
        historyRecord(8, { state: "FAILED", txnId: "" }),
        historyRecord(9, { state: "RESET" }),
      ]),
    });

    it("is offered on DONE rows only", async () => {
      mockApi({ QbTransferHistory: rows });
      renderWithBridge(<HistoryView />);
      const [done, failed, reset] = await screen.findAllByTestId("history-row");

      expect(within(done).getByRole("button", { name: "Mark order #7 as not exported" })).toBeInTheDocument();
      expect(within(failed).queryByRole("button", { name: /not exported/ })).not.toBeInTheDocument();
      expect(within(reset).queryByRole("button", { name: /not exported/ })).not.toBeInTheDocument();
    });

    it("confirms, resets that order by its global id, says so and refreshes", async () => {
      const api = mockApi({
        QbTransferHistory: rows,
        QbOrderExportReset: () => ({ qbOrderExportReset: { resetCount: 1, errors: [] } }),
      });
      const { dispatched } = renderWithBridge(<HistoryView />);
      const user = userEvent.setup();
      const [done] = await screen.findAllByTestId("history-row");

      await user.click(within(done).getByRole("button", { name: "Mark order #7 as not exported" }));
      const dialog = screen.getByRole("alertdialog", { name: "Mark order #7 as not exported?" });
      expect(dialog).toHaveTextContent("QuickBooks is not changed");
      expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
      await user.click(within(dialog).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByText(/Order #7 is marked as not exported/)).toBeInTheDocument();
      expect(api.named("QbOrderExportReset").map((c) => c.variables)).toEqual([{ orderIds: ["T3JkZXI6Nw=="] }]);
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      await waitFor(() => expect(api.named("QbTransferHistory")).toHaveLength(2));
      expect(dispatched.map((a) => a.type)).toContain("notification");
    });

    it("says when the order was no longer exported", async () => {
      mockApi({ QbTransferHistory: rows, QbOrderExportReset: () => ({ qbOrderExportReset: { resetCount: 0, errors: [] } }) });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark order #7 as not exported" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByText("Order #7 was already marked as not exported; nothing changed.")).toBeInTheDocument();
    });

    it("does nothing when cancelled and gives the focus back", async () => {
      const api = mockApi({ QbTransferHistory: rows, QbOrderExportReset: () => ({ qbOrderExportReset: { resetCount: 1, errors: [] } }) });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();
      const button = await screen.findByRole("button", { name: "Mark order #7 as not exported" });

      await user.click(button);
      await user.click(screen.getByRole("button", { name: "Cancel" }));

      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      await waitFor(() => expect(button).toHaveFocus());
      await user.keyboard("{Enter}");
      expect(screen.getByRole("alertdialog")).toBeInTheDocument();
      await user.keyboard("{Escape}");
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      expect(api.named("QbOrderExportReset")).toHaveLength(0);
      expect(api.named("QbTransferHistory")).toHaveLength(1);
    });

    it("shows the error message", async () => {
      mockApi({
        QbTransferHistory: rows,
        QbOrderExportReset: () => ({
          qbOrderExportReset: { resetCount: 0, errors: [{ field: "orderIds", message: "Choose at least one order.", code: "EMPTY_SELECTION" }] },
        }),
      });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark order #7 as not exported" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("The order was not marked as not exported");
      expect(alert).toHaveTextContent("Choose at least one order.");
    });

    it("shows a network failure", async () => {
      const api = mockApi({ QbTransferHistory: rows });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark order #7 as not exported" }));
      api.fetchMock.mockImplementationOnce(async () => {
        throw new TypeError("Failed to fetch");
      });
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("Could not reach the QuickBooks sync API");
    });
  });

  describe("Retry failed orders", () => {
    const rows = () => ({ qbTransferHistory: connection([historyRecord(5, { state: "FAILED", txnId: "" })]) });

    it("is not offered when nothing failed", async () => {
      mockApi({
        QbFailedCount: () => ({ qbTransferHistory: { totalCount: 0 } }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(5)]) }),
      });
      renderWithBridge(<HistoryView />);
      await screen.findAllByTestId("history-row");

      expect(screen.queryByRole("button", { name: "Retry failed orders" })).not.toBeInTheDocument();
    });

    it("confirms, queues every failed order with qbFailedOrdersRetry, says how many and refreshes", async () => {
      const api = mockApi({
        QbFailedCount: () => ({ qbTransferHistory: { totalCount: 1 } }),
        QbTransferHistory: rows,
        QbFailedOrdersRetry: () => ({
          qbFailedOrdersRetry: { pendingOperation: { id: "op-1", orderCount: 3 }, errors: [] },
        }),
      });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();
      await screen.findAllByTestId("history-row");

      await user.click(screen.getByRole("button", { name: "Retry failed orders" }));
      const dialog = screen.getByRole("alertdialog", { name: "Retry every failed order?" });
      expect(api.named("QbFailedOrdersRetry")).toHaveLength(0);
      await user.click(within(dialog).getByRole("button", { name: "Retry failed orders" }));

      expect(await screen.findByText(/3 failed orders are queued again/)).toBeInTheDocument();
      expect(api.named("QbFailedOrdersRetry").map((c) => c.variables)).toEqual([{}]);
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      await waitFor(() => expect(api.named("QbTransferHistory")).toHaveLength(2));
    });

    it("shows the server's typed error and queues nothing when cancelled", async () => {
      const api = mockApi({
        QbFailedCount: () => ({ qbTransferHistory: { totalCount: 1 } }),
        QbTransferHistory: rows,
        QbFailedOrdersRetry: () => ({
          qbFailedOrdersRetry: {
            pendingOperation: null,
            errors: [{ field: "orderIds", code: "EMPTY_SELECTION", message: "No failed order can be retried now." }],
          },
        }),
      });
      renderWithBridge(<HistoryView />);
      const user = userEvent.setup();
      await screen.findAllByTestId("history-row");

      await user.click(screen.getByRole("button", { name: "Retry failed orders" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
      expect(api.named("QbFailedOrdersRetry")).toHaveLength(0);

      await user.click(screen.getByRole("button", { name: "Retry failed orders" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Retry failed orders" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("No failed order can be retried now.");
      expect(api.named("QbTransferHistory")).toHaveLength(1);
    });
  });
});
