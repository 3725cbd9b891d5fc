import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { connection, mockApi, never, renderWithBridge } from "../test/utils";
import { PendingView } from "./Pending";

function operation(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    kind: "PUSH_ORDERS",
    status: "QUEUED",
    createdAt: "2026-03-02T08:00:00Z",
    createdBy: "staff@example.com",
    orderCount: 12,
    doneCount: 0,
    failedCount: 0,
    pickedUpAt: null,
    completedAt: null,
    summary: "Waiting for Web Connector.",
    orders: [1, 2, 3],
    ...extra,
  };
}

describe("PendingView", () => {
  it("shows a loading state", () => {
    mockApi({ QbPendingOperations: () => never() });
    renderWithBridge(<PendingView />);

    expect(screen.getByRole("status")).toHaveTextContent("Loading pending operations…");
  });

  it("shows an error and retries", async () => {
    let attempts = 0;
    mockApi({
      QbPendingOperations: () =>
        ++attempts === 1
          ? { __status: 403, __body: { errors: [{ message: "You need the MANAGE_ORDERS permission." }] } }
          : { qbPendingOperations: connection([]) },
    });
    renderWithBridge(<PendingView />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("You need the Manage orders permission");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Nothing is waiting")).toBeInTheDocument();
  });

  it("says when nothing is queued", async () => {
    mockApi({ QbPendingOperations: () => ({ qbPendingOperations: connection([]) }) });
    renderWithBridge(<PendingView />);

    expect(await screen.findByText("Nothing is waiting")).toBeInTheDocument();
  });

  it("lists operations with counts, creator and status", async () => {
    mockApi({
      QbPendingOperations: () => ({
        qbPendingOperations: connection([
          operation("op-1"),
          operation("op-2", {
            status: "IN_PROGRESS",
            pickedUpAt: "2026-03-02T09:00:00Z",
            summary: "3 of 5 in QuickBooks.",
            orderCount: 5,
            createdBy: "app:erp",
          }),
        ]),
      }),
    });
    renderWithBridge(<PendingView />);

    const rows = await screen.findAllByTestId("pending-row");
    expect(rows[0]).toHaveTextContent("staff@example.com");
    expect(rows[0]).toHaveTextContent("12 orders");
    expect(rows[0]).toHaveTextContent("#1, #2, #3, …");
    expect(rows[0]).toHaveTextContent("Queued");
    expect(within(rows[0]).getByRole("button", { name: /Delete the pending operation of 12 orders/ })).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent("In progress");
    expect(rows[1]).toHaveTextContent("3 of 5 in QuickBooks.");
    expect(rows[1]).toHaveTextContent("Picked up");
    // picked up: it can no longer be deleted
    expect(within(rows[1]).queryByRole("button")).not.toBeInTheDocument();
  });

  it("deletes only after confirmation", async () => {
    const api = mockApi({
      QbPendingOperations: () => ({ qbPendingOperations: connection([operation("op-1")]) }),
      QbPendingOperationDelete: () => ({ qbPendingOperationDelete: { errors: [], pendingOperations: [{ id: "op-1" }] } }),
    });
    const { dispatched } = renderWithBridge(<PendingView />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: /Delete the pending operation/ }));
    const dialog = screen.getByRole("alertdialog", { name: "Delete this pending operation?" });
    // focus starts on the safe choice; Escape cancels
    expect(within(dialog).getByRole("button", { name: "Keep it" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(api.named("QbPendingOperationDelete")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: /Delete the pending operation/ }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));

    expect(await screen.findByText("Deleted the pending operation of 12 orders.")).toBeInTheDocument();
    expect(api.named("QbPendingOperationDelete")[0].variables).toEqual({ ids: ["op-1"] });
    expect(api.named("QbPendingOperations").length).toBeGreaterThanOrEqual(2);
    expect(dispatched.map((a) => a.type)).toContain("notification");
  });

  it("shows the reason a deletion was refused", async () => {
    mockApi({
      QbPendingOperations: () => ({ qbPendingOperations: connection([operation("op-1")]) }),
      QbPendingOperationDelete: () => ({
        qbPendingOperationDelete: {
          errors: [{ field: "ids", message: "Web Connector already picked this operation up.", code: "ALREADY_PICKED_UP" }],
          pendingOperations: [],
        },
      }),
    });
    renderWithBridge(<PendingView />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: /Delete the pending operation/ }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The pending operation was not deleted");
    expect(alert).toHaveTextContent("Web Connector already picked this operation up.");
  });

  it("names an operation of payments, refunds and voids as such", async () => {
    mockApi({
      QbPendingOperations: () => ({
        qbPendingOperations: connection([operation("op-3", { kind: "FOLLOW_UPS", orderCount: 2 })]),
      }),
    });
    renderWithBridge(<PendingView />);

    const [row] = await screen.findAllByTestId("pending-row");
    expect(row).toHaveTextContent("Payments, refunds and voids of 2 orders");
  });
});
