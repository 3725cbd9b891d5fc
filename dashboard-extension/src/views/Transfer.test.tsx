import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import {
  connection,
  mockApi,
  never,
  PLUGIN_URL,
  previewRow,
  renderWithBridge,
  STATUS,
  TOKEN,
} from "../test/utils";
import { TransferView } from "./Transfer";

const rows = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => previewRow(from + i));

function queueOk(orderCount = 2) {
  return {
    qbOrderTransferQueue: {
      errors: [],
      pendingOperation: { id: "op-1", orderCount, status: "QUEUED", createdAt: "2026-03-02T00:00:00Z" },
    },
  };
}

async function preview(user = userEvent.setup()) {
  await user.click(screen.getByRole("button", { name: "Preview" }));
  return user;
}

describe("TransferView", () => {
  it("says orders go automatically in automatic mode, with no transfer form", () => {
    mockApi({});
    renderWithBridge(<TransferView status={{ ...STATUS, exportMode: "AUTOMATIC" }} />);

    expect(screen.getByText("Orders are exported automatically")).toBeInTheDocument();
    expect(screen.getByText(/on-demand transfer is not needed/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Preview" })).not.toBeInTheDocument();
  });

  it("shows a loading state while the preview loads", async () => {
    mockApi({ QbOrderTransferPreview: () => never() });
    renderWithBridge(<TransferView status={STATUS} />);

    await preview();

    expect(screen.getByRole("status")).toHaveTextContent("Loading the preview…");
  });

  it("shows an error with the API's message and retries", async () => {
    let attempts = 0;
    mockApi({
      QbOrderTransferPreview: () => {
        attempts += 1;
        return attempts === 1
          ? { __status: 400, __body: { errors: [{ message: "The start date is after the end date." }] } }
          : { qbOrderTransferPreview: connection(rows(1, 1)) };
      },
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the preview");
    expect(alert).toHaveTextContent("The start date is after the end date.");

    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("checkbox", { name: "Transfer order #1" })).toBeChecked();
  });

  it("says so when no order matches", async () => {
    mockApi({ QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection([]) }) });
    renderWithBridge(<TransferView status={STATUS} />);

    await preview();

    expect(await screen.findByText("No orders to transfer")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Transfer/ })).not.toBeInTheDocument();
  });

  it("lists the orders, all checked, with what each will become and its warnings", async () => {
    const api = mockApi({
      QbOrderTransferPreview: () => ({
        qbOrderTransferPreview: connection([
          previewRow(7),
          previewRow(8, {
            exported: true,
            lastExport: { at: "2026-02-01T09:00:00Z", transactionType: "SalesReceipt", txnId: "T-8", refNumber: "S8" },
            plannedTransactionType: "Invoice",
            warnings: ["The customer has no billing address."],
          }),
          previewRow(9, { plannedTransactionType: null, warnings: ["Unpaid orders are not exported."] }),
        ]),
      }),
    });
    renderWithBridge(<TransferView status={STATUS} />);

    await preview();

    const table = await screen.findByRole("table", { name: "Orders to transfer" });
    const bodyRows = within(table).getAllByRole("row").slice(1);
    expect(bodyRows).toHaveLength(3);
    expect(bodyRows[0]).toHaveTextContent("#7");
    expect(bodyRows[0]).toHaveTextContent("Customer 7");
    expect(bodyRows[0]).toHaveTextContent("$70.00");
    expect(bodyRows[0]).toHaveTextContent("Unfulfilled");
    expect(bodyRows[0]).toHaveTextContent("Sales Receipt");
    expect(bodyRows[1]).toHaveTextContent("Exported");
    expect(bodyRows[1]).toHaveTextContent("as Sales Receipt S8");
    expect(bodyRows[1]).toHaveTextContent("The customer has no billing address.");
    expect(bodyRows[2]).toHaveTextContent("Cannot be exported");
    for (const n of [7, 8, 9]) {
      expect(screen.getByRole("checkbox", { name: `Transfer order #${n}` })).toBeChecked();
    }
    expect(screen.getByTestId("selection-summary")).toHaveTextContent("3 of 3 orders selected");
    // the request went to the plugin's endpoint with the Dashboard's token
    const [call] = api.named("QbOrderTransferPreview");
    expect(call.url).toBe(PLUGIN_URL);
    expect(call.headers.get("Authorization-Bearer")).toBe(TOKEN);
    expect(call.variables).toEqual({
      filter: { customer: null, dateFrom: null, dateTo: null, includeExported: false },
      first: 25,
      after: null,
    });
  });

  it("queues everything but the unchecked order as filter + excludeOrderIds, then says when it runs", async () => {
    const api = mockApi({
      QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 3)) }),
      QbOrderTransferQueue: () => queueOk(2),
    });
    const { dispatched } = renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    await user.click(await screen.findByRole("checkbox", { name: "Transfer order #2" }));
    expect(screen.getByTestId("selection-summary")).toHaveTextContent("2 of 3 orders selected");
    await user.click(screen.getByRole("button", { name: "Transfer 2 orders" }));

    expect(await screen.findByText("2 orders queued for QuickBooks")).toBeInTheDocument();
    expect(screen.getByText(/at the next Web Connector update/)).toBeInTheDocument();
    expect(api.named("QbOrderTransferQueue")[0].variables).toEqual({
      input: {
        filter: { customer: null, dateFrom: null, dateTo: null, includeExported: false },
        excludeOrderIds: ["order-2"],
      },
    });
    expect(dispatched.map((a) => a.type)).toContain("notification");
  });

  it("queues exactly the chosen orders after Select none", async () => {
    const api = mockApi({
      QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 3)) }),
      QbOrderTransferQueue: () => queueOk(2),
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    await user.click(await screen.findByRole("button", { name: "Select none" }));
    expect(screen.getByRole("button", { name: "Transfer 0 orders" })).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Transfer order #1" }));
    await user.click(screen.getByRole("checkbox", { name: "Transfer order #3" }));
    await user.click(screen.getByRole("button", { name: "Transfer 2 orders" }));

    await screen.findByText("2 orders queued for QuickBooks");
    expect(api.named("QbOrderTransferQueue")[0].variables).toEqual({
      input: { orderIds: ["order-1", "order-3"] },
    });
  });

  it("keeps choices while paging through a large preview", async () => {
    const api = mockApi({
      QbOrderTransferPreview: (variables) =>
        variables.after === "page-2"
          ? { qbOrderTransferPreview: connection(rows(26, 30), { totalCount: 30, endCursor: "end" }) }
          : {
              qbOrderTransferPreview: connection(rows(1, 25), {
                totalCount: 30,
                hasNextPage: true,
                endCursor: "page-2",
              }),
            },
      QbOrderTransferQueue: () => queueOk(28),
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    await user.click(await screen.findByRole("checkbox", { name: "Transfer order #3" }));
    await user.click(screen.getByRole("button", { name: "Next page" }));
    await user.click(await screen.findByRole("checkbox", { name: "Transfer order #27" }));
    expect(screen.getByTestId("selection-summary")).toHaveTextContent("28 of 30 orders selected");
    await user.click(screen.getByRole("button", { name: "Previous page" }));

    expect(await screen.findByRole("checkbox", { name: "Transfer order #3" })).not.toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Transfer order #4" })).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Transfer 28 orders" }));
    await screen.findByText("28 orders queued for QuickBooks");
    expect(api.named("QbOrderTransferQueue")[0].variables).toMatchObject({
      input: { excludeOrderIds: ["order-3", "order-27"] },
    });
    expect(api.named("QbOrderTransferPreview").map((c) => c.variables.after)).toEqual([
      null,
      "page-2",
      null,
    ]);
  });

  it("selects and unselects a whole page from the header checkbox", async () => {
    mockApi({ QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 2)) }) });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    const header = await screen.findByRole("checkbox", { name: "Select the orders on this page" });
    await user.click(header);
    expect(screen.getByRole("checkbox", { name: "Transfer order #1" })).not.toBeChecked();
    expect(screen.getByTestId("selection-summary")).toHaveTextContent("0 of 2 orders selected");
    await user.click(screen.getByRole("button", { name: "Select all 2" }));
    expect(screen.getByRole("checkbox", { name: "Transfer order #2" })).toBeChecked();
  });

  it("shows why the orders were not queued", async () => {
    mockApi({
      QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 1)) }),
      QbOrderTransferQueue: () => ({
        qbOrderTransferQueue: {
          errors: [{ field: "orderIds", message: "Nothing matches.", code: "EMPTY_SELECTION" }],
          pendingOperation: null,
        },
      }),
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    await user.click(await screen.findByRole("button", { name: "Transfer 1 order" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The orders were not queued");
    expect(alert).toHaveTextContent("Nothing matches.");
  });

  it("filters by a customer found with qbCustomers, dates and previously exported orders", async () => {
    const api = mockApi({
      QbCustomers: (variables) => ({
        qbCustomers: connection(
          variables.search === "ann"
            ? [{ email: "ann@example.com", name: "Ann Lee", userId: "VXNlcjo3", orderCount: 4 }]
            : [{ email: "bob@example.com", name: "Bob", userId: null, orderCount: 1 }],
        ),
      }),
      QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 1)) }),
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Choose a customer" }));
    await screen.findByRole("button", { name: /Bob/ });
    await user.type(screen.getByRole("searchbox", { name: /Search customers/ }), "ann");
    await user.click(await screen.findByRole("button", { name: /Ann Lee/ }));
    expect(screen.getByTestId("customer-choice")).toHaveTextContent("Ann Lee (ann@example.com)");
    await user.type(screen.getByLabelText("Placed from"), "2026-01-01");
    await user.type(screen.getByLabelText("Placed until"), "2026-01-31");
    await user.click(screen.getByRole("checkbox", { name: "Include previously exported orders" }));
    await preview(user);

    await screen.findByRole("table");
    expect(api.named("QbOrderTransferPreview")[0].variables.filter).toEqual({
      customer: "VXNlcjo3",
      dateFrom: "2026-01-01",
      dateTo: "2026-01-31",
      includeExported: true,
    });
  });

  it("refuses a date range that ends before it starts", async () => {
    mockApi({});
    renderWithBridge(<TransferView status={STATUS} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("Placed from"), "2026-02-01");
    await user.type(screen.getByLabelText("Placed until"), "2026-01-01");

    expect(screen.getByRole("alert")).toHaveTextContent("The start date is after the end date.");
    expect(screen.getByRole("button", { name: "Preview" })).toBeDisabled();
  });

  it("is usable from the keyboard: Enter in the form previews", async () => {
    mockApi({ QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 1)) }) });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = userEvent.setup();

    screen.getByLabelText("Placed from").focus();
    await user.keyboard("{Enter}");

    await waitFor(() => expect(screen.getByRole("table")).toBeInTheDocument());
  });

  it("shows what QuickBooks lacks for an exported order and queues it without a re-export", async () => {
    const sent: unknown[] = [];
    mockApi({
      QbOrderTransferPreview: () => ({
        qbOrderTransferPreview: connection([
          previewRow(7, {
            exported: true,
            lastExport: { at: "2026-03-02T10:00:00Z", transactionType: "Invoice", txnId: "T-7", refNumber: "7" },
            followUpsDue: [
              { kind: "PAYMENT", amount: { amount: 12.5, currency: "USD" }, description: "payment 7-1 against invoice 7" },
            ],
          }),
          previewRow(8),
        ]),
      }),
      QbFollowUpsQueue: (variables: unknown) => {
        sent.push(variables);
        return {
          qbFollowUpsQueue: {
            errors: [],
            pendingOperation: { id: "op-9", orderCount: 1, status: "QUEUED", createdAt: "2026-03-02T00:00:00Z" },
          },
        };
      },
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    const due = await screen.findByTestId("follow-ups-due");
    expect(due).toHaveTextContent("QuickBooks lacks:");
    expect(due).toHaveTextContent("payment 7-1 against invoice 7, $12.50");

    await user.click(screen.getByRole("button", { name: "Queue payments and refunds of 1 order" }));

    expect(sent).toEqual([{ ids: ["order-7"] }]);
    expect(
      await screen.findByText("Payments, refunds and voids of 1 order queued for QuickBooks"),
    ).toBeInTheDocument();
  });

  it("dry-runs the same selection as Transfer would queue, queueing nothing", async () => {
    const api = mockApi({
      QbOrderTransferPreview: () => ({ qbOrderTransferPreview: connection(rows(1, 3)) }),
      QbOrdersDryRun: () => ({
        qbOrdersDryRun: {
          errors: [],
          dryRun: {
            orders: [1, 3].map((n) => ({
              orderId: `order-${n}`, orderNumber: n, outcome: "WOULD_LAND", transactionType: "SalesReceipt",
              refNumber: String(n), total: { amount: 10 * n, currency: "USD" }, customer: `Customer ${n}`,
              reason: "", action: "", setting: null, settingLabel: null, statusCode: 0, queued: false,
            })),
            summary: {
              wouldLand: 2, wouldFail: 0, alreadyInQuickbooks: 0, customersCreated: [], itemsCreated: [],
              listsRead: true, listsNeverRead: [], listsReadAt: "2026-11-30T08:00:00Z", schemaChecked: false, notes: [],
            },
          },
        },
      }),
    });
    renderWithBridge(<TransferView status={STATUS} />);
    const user = await preview();

    await user.click(await screen.findByRole("checkbox", { name: "Transfer order #2" }));
    await user.click(screen.getByRole("button", { name: "Dry run 2 orders" }));

    expect(await screen.findByTestId("dry-run-summary")).toHaveTextContent("2 orders would land");
    expect(api.named("QbOrdersDryRun")[0].variables).toEqual({
      input: {
        filter: { customer: null, dateFrom: null, dateTo: null, includeExported: false },
        excludeOrderIds: ["order-2"],
      },
    });
    expect(api.named("QbOrderTransferQueue")).toHaveLength(0);
    // another choice of orders: the result about the last one goes
    await user.click(screen.getByRole("checkbox", { name: "Transfer order #3" }));
    expect(screen.queryByTestId("dry-run-summary")).not.toBeInTheDocument();
  });
});
