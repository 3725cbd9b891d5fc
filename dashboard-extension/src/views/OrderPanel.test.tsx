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
    documents: [],
    changedSinceExport: false,
    changesSinceExport: [],
    changesNoticedAt: null,
    changesProblem: null,
    updateRequestedAt: null,
    updateRequestedBy: null,
    editUpdates: "ASK",
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

  describe("changed since export", () => {
    const shipped = {
      field: "SHIP_ADDRESS",
      label: "Shipping address",
      before: "Jane Doe, 1 Main St, Springfield IL 62701, US",
      after: "Jane Doe, 77 Harbour Rd, Portland ME 04101, US",
    };
    const changed = (extra: Record<string, unknown> = {}) => ({
      order: previewRow(42, { orderId: ORDER, exported: true }),
      canQueue: true,
      changedSinceExport: true,
      changesSinceExport: [shipped],
      changesNoticedAt: "2026-03-05T09:00:00+00:00",
      ...extra,
    });

    it("says nothing when the order is as exported", async () => {
      mockApi({ QbOrderExport: exportOf(), QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      await screen.findByRole("heading", { name: "Order #42" });
      expect(screen.queryByText("Changed since export")).not.toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Update in QuickBooks" })).not.toBeInTheDocument();
    });

    it("shows what changed, before and after, and asks for the update", async () => {
      let asked = false;
      const api = mockApi({
        QbOrderExport: () => ({
          qbOrderExport: orderExport(
            changed(asked ? { updateRequestedAt: "2026-03-05T10:00:00+00:00", updateRequestedBy: "staff@example.com" } : {}),
          ),
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
        QbOrderUpdateInQuickbooks: () => {
          asked = true;
          return { qbOrderUpdateInQuickbooks: { errors: [], orderExport: null } };
        },
      });
      let refreshed = 0;
      const { dispatched } = renderWithBridge(
        <OrderPanel orderId={ORDER} status={STATUS} onChanged={() => (refreshed += 1)} />,
      );
      const user = userEvent.setup();

      const table = await screen.findByRole("table", { name: "Changed since export" });
      const [row] = within(table).getAllByTestId("change-row");
      expect(row).toHaveTextContent("Shipping address");
      expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual([
        "Shipping address", shipped.before, shipped.after,
      ]);
      await user.click(screen.getByRole("button", { name: "Update in QuickBooks" }));

      expect(await screen.findByText(/asked for by staff@example.com/)).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Update in QuickBooks" })).not.toBeInTheDocument();
      expect(api.named("QbOrderUpdateInQuickbooks").map((c) => c.variables)).toEqual([{ orderId: ORDER }]);
      expect(dispatched.map((a) => a.type)).toContain("notification");
      expect(refreshed).toBe(1);
    });

    it("shows the server's reason when the update cannot be asked for", async () => {
      mockApi({
        QbOrderExport: () => ({ qbOrderExport: orderExport(changed()) }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
        QbOrderUpdateInQuickbooks: () => ({
          qbOrderUpdateInQuickbooks: {
            errors: [{ field: "orderId", message: "Nothing changed since the order went to QuickBooks.", code: "UNCHANGED" }],
            orderExport: null,
          },
        }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      await userEvent.setup().click(await screen.findByRole("button", { name: "Update in QuickBooks" }));

      expect(await screen.findByText("The update was not queued")).toBeInTheDocument();
      expect(screen.getByText("Nothing changed since the order went to QuickBooks.")).toBeInTheDocument();
    });

    it("in automatic mode says the next update changes QuickBooks, without a button", async () => {
      mockApi({
        QbOrderExport: () => ({ qbOrderExport: orderExport(changed({ editUpdates: "AUTOMATIC" })) }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      expect(await screen.findByText(/next Web Connector update changes the QuickBooks transaction to match/)).toBeInTheDocument();
      expect(screen.queryByRole("button", { name: "Update in QuickBooks" })).not.toBeInTheDocument();
    });

    it("lists an update of the transaction among its QuickBooks documents, without an amount", async () => {
      mockApi({
        QbOrderExport: exportOf({
          order: previewRow(42, { orderId: ORDER, exported: true }),
          documents: [{
            kind: "MODIFICATION", at: "2026-03-06T12:00:00+00:00", amount: { amount: 0, currency: "USD" },
            refNumber: "S42", txnId: "INV-1", state: "DONE", message: "Updated in QuickBooks: shipping address.",
            action: "",
          }],
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      const [row] = await screen.findAllByTestId("document-row");
      const cells = within(row).getAllByRole("cell");
      expect(cells[1]).toHaveTextContent(/^Update S42TxnID INV-1$/);
      expect(cells[2]).toHaveTextContent(/^$/);
      expect(row).toHaveTextContent("Updated in QuickBooks: shipping address.");
    });

    it("says why the order cannot be compared", async () => {
      mockApi({
        QbOrderExport: () => ({
          qbOrderExport: orderExport({ changesProblem: "It cannot be compared with QuickBooks: a line has no SKU." }),
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      expect(await screen.findByText("Cannot compare with QuickBooks")).toBeInTheDocument();
      expect(screen.getByText(/a line has no SKU/)).toBeInTheDocument();
    });
  });

  describe("QuickBooks documents", () => {
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
    /** the document a payment also is (QbDocument has no payment method) */
    const asDocument = ({ paymentMethod: _m, ...p }: ReturnType<typeof payment>) => ({ kind: "PAYMENT", ...p });
    const document = (kind: string, extra: Record<string, unknown> = {}) => ({
      kind,
      at: "2026-03-06T12:00:00+00:00",
      amount: { amount: 10, currency: "USD" },
      refNumber: "S42-R1",
      txnId: "",
      state: "DONE",
      message: "Status OK",
      action: "",
      ...extra,
    });

    it("lists every document that followed the order, newest first, in words, with QuickBooks' answer", async () => {
      const failedPayment = payment({
        at: "2026-03-05T12:00:00+00:00",
        amount: { amount: 14.5, currency: "EUR" },
        refNumber: "S42-2",
        txnId: "",
        state: "FAILED",
        message: "There is an invalid reference to QuickBooks PaymentMethod \"Visa\" in the ReceivePayment.",
        action: "Add the payment method Visa in QuickBooks, or change the payment methods in Settings.",
        paymentMethod: "Visa",
      });
      const donePayment = payment();
      const checkingPayment = payment({
        at: "2026-03-01T12:00:00+00:00", refNumber: "S42-3", state: "NEEDS_RECONCILING", txnId: "", message: "", paymentMethod: "",
      });
      mockApi({
        QbOrderExport: exportOf({
          order: previewRow(42, { orderId: ORDER, exported: true, chargeStatus: "PARTIAL" }),
          payments: [failedPayment, donePayment, checkingPayment],
          documents: [
            document("VOID", {
              at: "2026-03-08T12:00:00+00:00",
              refNumber: "S42",
              amount: { amount: 0, currency: "USD" },
              state: "FAILED",
              message: "Order #42 was cancelled in Saleor, but money moved (25.50 USD charged): its Invoice S42 was not voided.",
              action: "Check the invoice in QuickBooks.",
            }),
            document("REFUND", { at: "2026-03-07T12:00:00+00:00", txnId: "REF-1", amount: { amount: 10, currency: "USD" } }),
            document("CREDIT_MEMO", { txnId: "CM-1", amount: { amount: 10, currency: "USD" } }),
            asDocument(failedPayment),
            asDocument(donePayment),
            asDocument(checkingPayment),
          ],
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      expect(await screen.findByRole("heading", { name: "QuickBooks documents" })).toBeInTheDocument();
      expect(screen.queryByRole("heading", { name: "Payments in QuickBooks" })).not.toBeInTheDocument();
      const table = screen.getByRole("table", { name: "QuickBooks documents" });
      const rows = within(table).getAllByTestId("document-row");
      expect(rows).toHaveLength(6);
      const cells = (row: HTMLElement) => within(row).getAllByRole("cell");

      const [voided, refund, creditMemo, failed, done, checking] = rows;
      // a void: no amount, why it was not voided and what to do
      expect(voided).toHaveTextContent("Mar 8, 2026");
      expect(cells(voided)[1]).toHaveTextContent(/^Void S42$/);
      expect(cells(voided)[2]).toHaveTextContent(/^$/);
      expect(voided).not.toHaveTextContent("$0.00");
      expect(voided).not.toHaveTextContent("payment method");
      expect(voided).toHaveTextContent("Failed");
      expect(voided).toHaveTextContent("money moved (25.50 USD charged)");
      expect(voided).toHaveTextContent("What to do: Check the invoice in QuickBooks.");

      expect(cells(refund)[1]).toHaveTextContent(/^Refund S42-R1TxnID REF-1$/);
      expect(cells(refund)[2]).toHaveTextContent("$10.00");
      expect(refund).toHaveTextContent("Done");
      expect(refund).not.toHaveTextContent("What to do");

      expect(cells(creditMemo)[1]).toHaveTextContent(/^Credit memo S42-R1TxnID CM-1$/);
      expect(cells(creditMemo)[2]).toHaveTextContent("$10.00");
      expect(creditMemo).toHaveTextContent("Mar 6, 2026");

      // payments keep their payment method
      expect(failed).toHaveTextContent("Mar 5, 2026");
      expect(cells(failed)[1]).toHaveTextContent(/^Payment received S42-2Visa$/);
      expect(cells(failed)[2]).toHaveTextContent("€14.50");
      expect(failed).toHaveTextContent("Failed");
      expect(failed).not.toHaveTextContent("TxnID");
      expect(failed).toHaveTextContent('invalid reference to QuickBooks PaymentMethod "Visa"');
      expect(failed).toHaveTextContent("What to do: Add the payment method Visa in QuickBooks");
      expect(cells(done)[1]).toHaveTextContent(/^Payment received S42-1Credit CardTxnID PAY-1$/);
      expect(cells(done)[2]).toHaveTextContent("$25.50");
      expect(done).toHaveTextContent("Done");
      expect(done).toHaveTextContent("Status OK");
      // the state in the History screen's words
      expect(checking).toHaveTextContent("Checking QuickBooks");
      expect(cells(checking)[1]).toHaveTextContent("No payment method");
      expect(cells(checking)[4]).toHaveTextContent(/^—$/);
      // the invoice's own history stays apart
      expect(screen.getByRole("table", { name: "Transfer history" })).toHaveTextContent("Invoice S42");
    });

    it("shows a refund's credit memo alone when the order has no payments", async () => {
      mockApi({
        QbOrderExport: exportOf({
          order: previewRow(42, { orderId: ORDER, exported: true }),
          documents: [document("CREDIT_MEMO", { state: "SENT", message: "" })],
        }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

      const table = await screen.findByRole("table", { name: "QuickBooks documents" });
      const [row] = within(table).getAllByTestId("document-row");
      expect(row).toHaveTextContent("Credit memo S42-R1");
      expect(row).toHaveTextContent("Sent to QuickBooks");
      expect(row).not.toHaveTextContent("payment method");
    });

    it("is left out when nothing followed the order in QuickBooks", async () => {
      mockApi({
        QbOrderExport: exportOf({ order: previewRow(42, { orderId: ORDER, exported: true }) }),
        QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }),
      });
      renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
      await screen.findByTestId("history-row");

      expect(screen.queryByRole("heading", { name: "QuickBooks documents" })).not.toBeInTheDocument();
      expect(screen.queryByRole("table", { name: "QuickBooks documents" })).not.toBeInTheDocument();
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

  it("shows the transaction a not-yet-exported order becomes, line by line, and its qbXML", async () => {
    const preview = {
      transactionType: "SalesReceipt",
      refNumber: "42",
      txnDate: "2026-03-01",
      customer: "Jane Doe (EUR)",
      customerCurrency: "Euro",
      lines: [
        { item: "TEE-M", description: "T-Shirt / M", quantity: "3", rate: "12", amount: { amount: 36, currency: "EUR" }, taxCode: "" },
        { item: "Saleor Discount", description: "Discount (SPRING10)", quantity: null, rate: null, amount: { amount: -3, currency: "EUR" }, taxCode: "Non" },
      ],
      total: { amount: 33, currency: "EUR" },
      exchangeRate: "1.08",
      arAccount: "",
      depositToAccount: "Undeposited Funds",
      memo: "Saleor order #42",
      warnings: ["booked in EUR (Euro, QuickBooks multicurrency)"],
      qbxml: '<SalesReceiptAddRq requestID="preview"><SalesReceiptAdd/></SalesReceiptAddRq>',
    };
    mockApi({
      QbOrderExport: exportOf({ quickbooksDocument: preview }),
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    const shown = await screen.findByTestId("transaction-preview");
    expect(within(shown).getByRole("heading", { name: "As QuickBooks will receive it" })).toBeInTheDocument();
    expect(shown).toHaveTextContent("Jane Doe (EUR) (in Euro)");
    expect(shown).toHaveTextContent("Exchange rate1.08");
    const lines = within(shown).getAllByTestId("preview-line");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent("TEE-M");
    expect(lines[1]).toHaveTextContent("Discount (SPRING10)");
    expect(lines[1]).toHaveTextContent("Non");
    expect(within(shown).getByTestId("preview-total")).toHaveTextContent("33.00");
    expect(shown).toHaveTextContent('<SalesReceiptAddRq requestID="preview">');
  });
});
