import { screen, within } from "@testing-library/react";
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
});
