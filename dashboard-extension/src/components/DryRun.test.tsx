import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { DryRun, DryRunOrder } from "../api";
import { mockApi, never, renderWithBridge } from "../test/utils";
import { DryRunButton } from "./DryRun";

function order(number: number, extra: Partial<DryRunOrder> = {}): DryRunOrder {
  return {
    orderId: `order-${number}`,
    orderNumber: number,
    outcome: "WOULD_LAND",
    transactionType: "SalesReceipt",
    refNumber: String(number),
    total: { amount: 20, currency: "USD" },
    customer: "Jane Doe",
    reason: "",
    action: "",
    setting: null,
    settingLabel: null,
    statusCode: 0,
    queued: false,
    ...extra,
  };
}

function dryRun(orders: DryRunOrder[], summary: Partial<DryRun["summary"]> = {}): DryRun {
  return {
    orders,
    summary: {
      wouldLand: orders.filter((o) => o.outcome === "WOULD_LAND").length,
      wouldFail: orders.filter((o) => o.outcome === "WOULD_FAIL").length,
      alreadyInQuickbooks: orders.filter((o) => o.outcome === "ALREADY_IN_QUICKBOOKS").length,
      customersCreated: [],
      itemsCreated: [],
      listsRead: true,
      listsNeverRead: [],
      listsReadAt: "2026-11-30T08:00:00Z",
      schemaChecked: true,
      notes: [],
      ...summary,
    },
  };
}

const INPUT = { orderIds: ["order-1", "order-2", "order-3"] };

describe("DryRunButton", () => {
  it("lists what would land, what would fail and why, and what would be created", async () => {
    const api = mockApi({
      QbOrdersDryRun: () => ({
        qbOrdersDryRun: {
          errors: [],
          dryRun: dryRun(
            [
              order(1),
              order(2, {
                outcome: "WOULD_FAIL",
                transactionType: "",
                refNumber: "",
                total: null,
                customer: "",
                reason: "QuickBooks has no item named MUG.",
                action: "Create the item in QuickBooks or change the missing item rule.",
                statusCode: null,
              }),
              order(3, {
                outcome: "WOULD_FAIL",
                reason: "Order #3 was not sent: sales receipts are deposited to an account QuickBooks lacks.",
                setting: "depositToAccount",
                settingLabel: "Deposit to account",
              }),
            ],
            { customersCreated: ["Bob Doe"], itemsCreated: ["Shipping"] },
          ),
        },
      }),
    });
    renderWithBridge(<DryRunButton input={INPUT} count={3} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Dry run 3 orders" }));

    expect(await screen.findByTestId("dry-run-summary")).toHaveTextContent("Dry run: 1 order would land, 2 would fail");
    const rows = within(screen.getByRole("table", { name: "Dry run by order" })).getAllByRole("row").slice(1);
    expect(rows[0]).toHaveTextContent("#1");
    expect(rows[0]).toHaveTextContent("Would land");
    expect(rows[0]).toHaveTextContent("Sales Receipt 1");
    expect(rows[0]).toHaveTextContent("for Jane Doe");
    expect(rows[0]).toHaveTextContent("$20.00");
    expect(rows[1]).toHaveTextContent("Would fail");
    expect(rows[1]).toHaveTextContent("QuickBooks has no item named MUG.");
    expect(rows[1]).toHaveTextContent("Create the item in QuickBooks or change the missing item rule.");
    expect(rows[2]).toHaveTextContent("Setting to change: Deposit to account");
    expect(screen.getByText(/Customers it would create \(1\)/)).toBeInTheDocument();
    expect(screen.getByText("Bob Doe")).toBeInTheDocument();
    expect(screen.getByText("Shipping")).toBeInTheDocument();
    expect(screen.getByText(/Nothing was sent or queued/)).toBeInTheDocument();
    expect(api.named("QbOrdersDryRun")[0].variables).toEqual({ input: INPUT });
  });

  it("says plainly when QuickBooks' lists were never read", async () => {
    const note =
      "QuickBooks' lists were never read (Accounts, Items, Customers): every customer and item counts as new. Refresh QuickBooks lists (Web Connector set-up).";
    mockApi({
      QbOrdersDryRun: () => ({
        qbOrdersDryRun: {
          errors: [],
          dryRun: dryRun([order(1)], { listsRead: false, listsReadAt: null, listsNeverRead: ["Items"], notes: [note] }),
        },
      }),
    });
    renderWithBridge(<DryRunButton input={INPUT} count={1} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Dry run 1 order" }));

    expect(await screen.findByText(note)).toBeInTheDocument();
  });

  it("shows the API's typed error and no result", async () => {
    mockApi({
      QbOrdersDryRun: () => ({
        qbOrdersDryRun: {
          errors: [{ field: "filter", code: "TOO_MANY", message: "A dry run takes at most 500 orders at once; this selection has more." }],
          dryRun: null,
        },
      }),
    });
    renderWithBridge(<DryRunButton input={INPUT} count={3} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Dry run 3 orders" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The dry run did not run");
    expect(alert).toHaveTextContent("at most 500 orders");
    expect(screen.queryByRole("table", { name: "Dry run by order" })).not.toBeInTheDocument();
  });

  it("is busy while the run goes", async () => {
    mockApi({ QbOrdersDryRun: () => never() });
    renderWithBridge(<DryRunButton input={INPUT} count={3} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Dry run 3 orders" }));

    expect(screen.getByRole("button", { name: "Trying…" })).toBeDisabled();
  });

  it("refuses more than 500 orders before asking", () => {
    const api = mockApi({});
    renderWithBridge(<DryRunButton input={{ orderIds: [] }} count={501} />);

    expect(screen.getByRole("button", { name: "Dry run 501 orders" })).toBeDisabled();
    expect(screen.getByText(/at most 500 orders/)).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
  });
});
