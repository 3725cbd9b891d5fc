import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { connection, historyRecord, mockApi, never, previewRow, renderWithBridge, STATUS } from "../test/utils";
import { OrderPanel } from "./OrderPanel";

const ORDER = "T3JkZXI6NDI=";

function orderExport(extra: Record<string, unknown> = {}) {
  return {
    order: previewRow(42, { orderId: ORDER }),
    queued: false,
    canQueue: true,
    reason: null,
    automatic: false,
    automaticNote: null,
    payments: [],
    ...extra,
  };
}
const exportOf = (extra: Record<string, unknown> = {}) => () => ({ qbOrderExport: orderExport(extra) });

describe("OrderPanel", () => {
  it("needs an order", () => {
    mockApi({});
    renderWithBridge(<OrderPanel orderId={null} status={STATUS} />);

    expect(screen.getByRole("alert")).toHaveTextContent("the order to transfer was not given");
  });

  it("shows a loading state for the history", async () => {
    mockApi({ QbOrderExport: exportOf(), QbTransferHistory: () => never() });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByText("Loading the export history…")).toBeInTheDocument();
  });

  it("shows an error for the history", async () => {
    mockApi({
      QbOrderExport: exportOf(),
      QbTransferHistory: () => ({ __status: 401, __body: { errors: [{ message: "expired" }] } }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByRole("alert")).toHaveTextContent("Your session has expired");
  });

  it("titles itself with the order, not the popup's own title", async () => {
    mockApi({ QbOrderExport: exportOf(), QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByRole("heading", { name: "Order #42" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: /QuickBooks export/ })).not.toBeInTheDocument();
  });

  it("says the order was not exported yet, queues it alone, then says it waits", async () => {
    let queued = false;
    const api = mockApi({
      QbOrderExport: () => ({ qbOrderExport: orderExport({ queued, canQueue: !queued }) }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      QbOrderTransferQueue: () => {
        queued = true;
        return {
          qbOrderTransferQueue: { errors: [], pendingOperation: { id: "op", orderCount: 1, status: "QUEUED", createdAt: "" } },
        };
      },
    });
    let changed = 0;
    const { dispatched } = renderWithBridge(
      <OrderPanel orderId={ORDER} status={STATUS} onChanged={() => (changed += 1)} />,
    );
    const user = userEvent.setup();

    expect(await screen.findByText("Not exported yet")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Queue this order for QuickBooks" }));

    expect(await screen.findByText("Queued for QuickBooks")).toBeInTheDocument();
    expect(screen.getByText(/next Web Connector update/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Queue/ })).not.toBeInTheDocument();
    expect(api.named("QbOrderTransferQueue")[0].variables).toEqual({ input: { orderIds: [ORDER] } });
    expect(api.named("QbOrderExport")[0].variables).toEqual({ orderId: ORDER });
    expect(api.named("QbTransferHistory")[0].variables).toEqual({ filter: { orderId: ORDER }, first: 20 });
    expect(dispatched.map((a) => a.type)).toContain("notification");
    expect(changed).toBe(1);
  });

  it("shows the order's export history and that it is in QuickBooks", async () => {
    mockApi({
      QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByTestId("history-row")).toHaveTextContent("Invoice S42");
    expect(screen.getByText(/already in QuickBooks/)).toBeInTheDocument();
  });

  describe("Payments in QuickBooks", () => {
    const payment = (extra: Record<string, unknown> = {}) => ({
      at: "2026-03-02T12:00:00+00:00",
      amount: { amount: 25.5, currency: "USD" },
      refNumber: "S42-1",
      txnId: "PAY-1",
      state: "DONE",
      message: "Status OK",
      action: "",
      paymentMethod: "Credit Card",
      ...extra,
    });

    it("lists each attempt to receive a charge, newest first, with QuickBooks' answer", async () => {
      mockApi({
        QbOrderExport: exportOf({
          order: previewRow(42, { orderId: ORDER, exported: true, chargeStatus: "PARTIAL" }),
          payments: [
            payment({
              at: "2026-03-05T12:00:00+00:00",
              amount: { amount: 14.5, currency: "EUR" },
              refNumber: "S42-2",
              txnId: "",
              state: "FAILED",
              message: "There is an invalid reference to QuickBooks PaymentMethod \"Visa\" in the ReceivePayment.",
              action: "Add the payment method Visa in QuickBooks, or change the payment methods in Settings.",
              paymentMethod: "Visa",
            }),
            payment(),
            payment({ refNumber: "S42-3", state: "NEEDS_RECONCILING", txnId: "", message: "", paymentMethod: "" }),
          ],
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      expect(await screen.findByRole("heading", { name: "Payments in QuickBooks" })).toBeInTheDocument();
      const table = screen.getByRole("table", { name: "Payments in QuickBooks" });
      const rows = within(table).getAllByTestId("payment-row");
      expect(rows).toHaveLength(3);
      expect(rows[0]).toHaveTextContent("Mar 5, 2026");
      expect(rows[0]).toHaveTextContent("€14.50");
      expect(rows[0]).toHaveTextContent("Failed");
      expect(rows[0]).toHaveTextContent("Payment S42-2");
      expect(rows[0]).toHaveTextContent("Visa");
      expect(rows[0]).not.toHaveTextContent("TxnID");
      expect(rows[0]).toHaveTextContent('invalid reference to QuickBooks PaymentMethod "Visa"');
      expect(rows[0]).toHaveTextContent("What to do: Add the payment method Visa in QuickBooks");
      expect(rows[1]).toHaveTextContent("Mar 2, 2026");
      expect(rows[1]).toHaveTextContent("$25.50");
      expect(rows[1]).toHaveTextContent("Done");
      expect(rows[1]).toHaveTextContent("Payment S42-1");
      expect(rows[1]).toHaveTextContent("Credit Card");
      expect(rows[1]).toHaveTextContent("TxnID PAY-1");
      expect(rows[1]).toHaveTextContent("Status OK");
      expect(rows[1]).not.toHaveTextContent("What to do");
      // the state in the History screen's words
      expect(rows[2]).toHaveTextContent("Checking QuickBooks");
      expect(rows[2]).toHaveTextContent("No payment method");
      // the invoice's own history stays apart
      expect(screen.getByRole("table", { name: "Transfer history" })).toHaveTextContent("Invoice S42");
    });

    it("is left out when no payment was received in QuickBooks", async () => {
      mockApi({
        QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      await screen.findByTestId("history-row");

      expect(screen.queryByRole("heading", { name: "Payments in QuickBooks" })).not.toBeInTheDocument();
      expect(screen.queryByRole("table", { name: "Payments in QuickBooks" })).not.toBeInTheDocument();
    });
  });

  it("an order that cannot be exported says why and offers no queueing", async () => {
    mockApi({
      QbOrderExport: exportOf({
        canQueue: false,
        reason: "Order #42 is unconfirmed: draft and unconfirmed orders are never exported. Confirm it in Saleor first.",
      }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={{ ...STATUS, exportMode: "AUTOMATIC" }} />);

    expect(await screen.findByText("This order does not go to QuickBooks")).toBeInTheDocument();
    expect(screen.getByText(/Confirm it in Saleor first/)).toBeInTheDocument();
    expect(screen.queryByText(/without being queued/)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Queue/ })).not.toBeInTheDocument();
  });

  it("shows why the order was not queued", async () => {
    mockApi({
      QbOrderExport: exportOf(),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      QbOrderTransferQueue: () => ({
        qbOrderTransferQueue: {
          errors: [{ field: "orderIds", message: "Already waiting for the next Web Connector update: order #42.", code: "ALREADY_QUEUED" }],
          pendingOperation: null,
        },
      }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    await userEvent.setup().click(await screen.findByRole("button", { name: "Queue this order for QuickBooks" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Already waiting for the next Web Connector update: order #42.");
  });

  it("in automatic mode says the order goes without queueing", async () => {
    mockApi({ QbOrderExport: exportOf({ automatic: true }), QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    renderWithBridge(<OrderPanel orderId={ORDER} status={{ ...STATUS, exportMode: "AUTOMATIC" }} />);
    await screen.findByText("Not exported yet");

    expect(screen.getByText(/without being queued/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Queue/ })).not.toBeInTheDocument();
  });

  it("in automatic mode explains an order automatic mode skips, and lets staff queue it", async () => {
    mockApi({
      QbOrderExport: exportOf({ automaticNote: "Automatic mode skips orders placed before the export start date (2026-01-01); queue it to send it anyway." }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={{ ...STATUS, exportMode: "AUTOMATIC" }} />);

    expect(await screen.findByText(/skips orders placed before the export start date/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Queue this order for QuickBooks" })).toBeEnabled();
  });

  it("closes the popup through app-bridge", async () => {
    mockApi({ QbOrderExport: exportOf(), QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    const { dispatched } = renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
    await screen.findByText("Not exported yet");

    await userEvent.setup().click(screen.getByRole("button", { name: "Close" }));

    expect(dispatched.map((a) => a.type)).toContain("popupClose");
  });

  describe("Mark as not exported", () => {
    const exported = () => ({
      qbTransferHistory: connection([historyRecord(42, { orderId: ORDER }), historyRecord(41, { id: "rec-old", orderId: ORDER, state: "FAILED" })]),
    });

    it("is offered only while the latest attempt is DONE", async () => {
      mockApi({
        QbOrderExport: exportOf(),
        QbTransferHistory: () => ({
          qbTransferHistory: connection([
            historyRecord(42, { id: "rec-2", orderId: ORDER, state: "RESET" }),
            historyRecord(42, { id: "rec-1", orderId: ORDER }),
          ]),
        }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      await screen.findAllByTestId("history-row");

      expect(screen.queryByRole("button", { name: "Mark as not exported" })).not.toBeInTheDocument();
    });

    it("confirms, resets the order by its global id, says so and refreshes", async () => {
      let reset = false;
      const api = mockApi({
        QbOrderExport: () => ({ qbOrderExport: orderExport({ order: previewRow(42, { orderId: ORDER, exported: !reset }) }) }),
        QbTransferHistory: () =>
          reset
            ? {
                qbTransferHistory: connection([
                  historyRecord(42, { id: "rec-reset", orderId: ORDER, state: "RESET", statusMessage: "Marked as not exported by staff@example.com" }),
                  historyRecord(42, { orderId: ORDER }),
                ]),
              }
            : exported(),
        QbOrderExportReset: () => {
          reset = true;
          return { qbOrderExportReset: { resetCount: 1, errors: [] } };
        },
      });
      const { dispatched } = renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark as not exported" }));
      const dialog = screen.getByRole("alertdialog", { name: "Mark order #42 as not exported?" });
      expect(dialog).toHaveTextContent("QuickBooks is not changed");
      expect(dialog).toHaveTextContent("offered again for transfer");
      expect(dialog).toHaveTextContent("linked to the transaction QuickBooks already has");
      expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
      expect(api.named("QbOrderExportReset")).toHaveLength(0);

      await user.click(within(dialog).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByText(/Order #42 is marked as not exported/)).toBeInTheDocument();
      expect(api.named("QbOrderExportReset")).toHaveLength(1);
      expect(api.named("QbOrderExportReset")[0].variables).toEqual({ orderIds: [ORDER] });
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
      expect(await screen.findByText("Marked as not exported by staff@example.com")).toBeInTheDocument();
      expect(api.named("QbTransferHistory")).toHaveLength(2);
      expect(screen.queryByRole("button", { name: "Mark as not exported" })).not.toBeInTheDocument();
      expect(dispatched.map((a) => a.type)).toContain("notification");
    });

    it("does nothing when cancelled (button or Escape)", async () => {
      const api = mockApi({ QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }), QbTransferHistory: exported, QbOrderExportReset: () => ({ qbOrderExportReset: { resetCount: 1, errors: [] } }) });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark as not exported" }));
      await user.click(screen.getByRole("button", { name: "Cancel" }));
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();

      await user.click(screen.getByRole("button", { name: "Mark as not exported" }));
      await user.keyboard("{Escape}");
      expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();

      expect(api.named("QbOrderExportReset")).toHaveLength(0);
      expect(api.named("QbTransferHistory")).toHaveLength(1);
    });

    it("is usable with the keyboard", async () => {
      const api = mockApi({ QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }), QbTransferHistory: exported, QbOrderExportReset: () => ({ qbOrderExportReset: { resetCount: 1, errors: [] } }) });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      (await screen.findByRole("button", { name: "Mark as not exported" })).focus();
      await user.keyboard("{Enter}");
      expect(screen.getByRole("button", { name: "Cancel" })).toHaveFocus();
      await user.keyboard("{Shift>}{Tab}{/Shift}{Enter}");

      expect(await screen.findByText(/Order #42 is marked as not exported/)).toBeInTheDocument();
      expect(api.named("QbOrderExportReset")[0].variables).toEqual({ orderIds: [ORDER] });
    });

    it("shows the reason when the plugin refuses", async () => {
      mockApi({
        QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }),
        QbTransferHistory: exported,
        QbOrderExportReset: () => ({
          qbOrderExportReset: { resetCount: 0, errors: [{ field: "orderIds", message: "Couldn't resolve id: nope.", code: "INVALID_ID" }] },
        }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark as not exported" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("The order was not marked as not exported");
      expect(alert).toHaveTextContent("Couldn't resolve id: nope.");
      expect(screen.queryByText(/is marked as not exported/)).not.toBeInTheDocument();
    });

    it("shows an API failure", async () => {
      mockApi({
        QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }),
        QbTransferHistory: exported,
        QbOrderExportReset: () => ({ __status: 403, __body: { errors: [{ message: "denied" }] } }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark as not exported" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("You need the Manage orders permission");
    });

    it("shows that it is busy while the call runs", async () => {
      mockApi({ QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }), QbTransferHistory: exported, QbOrderExportReset: () => never() });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Mark as not exported" }));
      await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Mark as not exported" }));

      expect(await screen.findByRole("button", { name: "Marking…" })).toBeDisabled();
      expect(screen.getByRole("button", { name: "Cancel" })).toBeDisabled();
    });
  });
});
