import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { connection, historyRecord, mockApi, never, renderWithBridge, STATUS } from "../test/utils";
import { OrderPanel } from "./OrderPanel";

const ORDER = "T3JkZXI6NDI=";

describe("OrderPanel", () => {
  it("needs an order", () => {
    mockApi({});
    renderWithBridge(<OrderPanel orderId={null} status={STATUS} />);

    expect(screen.getByRole("alert")).toHaveTextContent("the order to transfer was not given");
  });

  it("shows a loading state for the history", () => {
    mockApi({ QbTransferHistory: () => never() });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(screen.getByRole("status")).toHaveTextContent("Loading the export history…");
  });

  it("shows an error for the history", async () => {
    mockApi({ QbTransferHistory: () => ({ __status: 401, __body: { errors: [{ message: "expired" }] } }) });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByRole("alert")).toHaveTextContent("Your session has expired");
  });

  it("says the order was not exported yet and queues it alone", async () => {
    const api = mockApi({
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      QbOrderTransferQueue: () => ({
        qbOrderTransferQueue: { errors: [], pendingOperation: { id: "op", orderCount: 1, status: "QUEUED", createdAt: "" } },
      }),
    });
    const { dispatched } = renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
    const user = userEvent.setup();

    expect(await screen.findByText("Not exported yet")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Queue this order for QuickBooks" }));

    expect(await screen.findByText("Queued for QuickBooks")).toBeInTheDocument();
    expect(screen.getByText(/next Web Connector update/)).toBeInTheDocument();
    expect(api.named("QbOrderTransferQueue")[0].variables).toEqual({ input: { orderIds: [ORDER] } });
    expect(api.named("QbTransferHistory")[0].variables).toEqual({ filter: { orderId: ORDER }, first: 20 });
    expect(dispatched.map((a) => a.type)).toContain("notification");
  });

  it("shows the order's export history and that it is in QuickBooks", async () => {
    mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([historyRecord(42, { orderId: ORDER })]) }) });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    expect(await screen.findByTestId("history-row")).toHaveTextContent("Invoice S42");
    expect(screen.getByText(/already in QuickBooks/)).toBeInTheDocument();
  });

  it("shows why the order was not queued", async () => {
    mockApi({
      QbTransferHistory: () => ({ qbTransferHistory: connection([]) }),
      QbOrderTransferQueue: () => ({
        qbOrderTransferQueue: {
          errors: [{ field: "orderIds", message: "Draft orders are never exported.", code: "EMPTY_SELECTION" }],
          pendingOperation: null,
        },
      }),
    });
    renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);

    await userEvent.setup().click(await screen.findByRole("button", { name: "Queue this order for QuickBooks" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Draft orders are never exported.");
  });

  it("in automatic mode says no queueing is needed", async () => {
    mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    renderWithBridge(<OrderPanel orderId={ORDER} status={{ ...STATUS, exportMode: "AUTOMATIC" }} />);
    await screen.findByText("Not exported yet");

    expect(screen.getByText(/on-demand\s+transfer is not needed/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Queue/ })).not.toBeInTheDocument();
  });

  it("closes the popup through app-bridge", async () => {
    mockApi({ QbTransferHistory: () => ({ qbTransferHistory: connection([]) }) });
    const { dispatched } = renderWithBridge(<OrderPanel orderId={ORDER} status={STATUS} />);
    await screen.findByText("Not exported yet");

    await userEvent.setup().click(screen.getByRole("button", { name: "Close" }));

    expect(dispatched.map((a) => a.type)).toContain("popupClose");
  });
});
