import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, onTestFinished, vi } from "vitest";

import { mockApi, never, renderWithBridge, STATUS } from "../test/utils";
import { SetupView } from "./Setup";

const NOW = new Date("2026-03-10T12:00:00Z");
const now = () => NOW;
const checkIn = (minutesAgo: number) => ({
  at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
  startedAt: new Date(NOW.getTime() - minutesAgo * 60_000 - 30_000).toISOString(),
  summary: "Put 3 orders into QuickBooks; 1 failed.",
  state: "CLOSED" as const,
  ordersDone: 3,
  ordersFailed: 1,
  lastError: "",
});

describe("SetupView", () => {
  it("shows the user name, the last check-in and a complete configuration", () => {
    mockApi({});
    renderWithBridge(<SetupView status={{ ...STATUS, lastCheckIn: checkIn(5) }} now={now} />);

    expect(screen.getByTestId("qbwc-username")).toHaveTextContent("quickbooks");
    expect(screen.getByTestId("last-check-in")).toHaveTextContent("5 minutes ago");
    expect(screen.getByText("Put 3 orders into QuickBooks; 1 failed.")).toBeInTheDocument();
    expect(screen.getByText(/configuration is complete/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says when Web Connector never checked in", () => {
    mockApi({});
    renderWithBridge(<SetupView status={STATUS} now={now} />);

    expect(screen.getByText("Web Connector has not checked in yet.")).toBeInTheDocument();
    expect(screen.getByText("Nothing is waiting for Web Connector.")).toBeInTheDocument();
  });

  it("warns when the server says Web Connector missed its schedule", () => {
    mockApi({});
    renderWithBridge(
      <SetupView
        status={{ ...STATUS, lastCheckIn: checkIn(60 * 26), queuedOrders: 4, queuedOperations: 1, checkInOverdue: true }}
        now={now}
      />,
    );

    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Web Connector has stopped checking in");
    expect(alert).toHaveTextContent("every 30 minutes");
    expect(alert).toHaveTextContent("4 orders are waiting");
    expect(alert).toHaveTextContent("last checked in yesterday");
  });

  it("warns when orders wait for a Web Connector that never checked in", () => {
    mockApi({});
    renderWithBridge(<SetupView status={{ ...STATUS, queuedOrders: 2, queuedOperations: 1 }} now={now} />);

    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Web Connector has not checked in");
    expect(alert).toHaveTextContent("2 orders are waiting");
  });

  it("does not warn on its own clock: a long-ago check-in is fine until the server says overdue", () => {
    mockApi({});
    renderWithBridge(<SetupView status={{ ...STATUS, lastCheckIn: checkIn(60 * 24 * 30), queuedOrders: 3 }} now={now} />);

    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("lists the accounts the QuickBooks company lacks, naming the setting", () => {
    mockApi({});
    const problem =
      "The account “Sales Tax Payable” (setting “Sales tax account”) does not exist in the QuickBooks company: create it in QuickBooks (Lists → Chart of Accounts) or choose another in the settings.";
    renderWithBridge(<SetupView status={{ ...STATUS, quickbooksProblems: [problem] }} now={now} />);

    const list = screen.getByRole("list", { name: "QuickBooks problems" });
    expect(within(list).getByText(problem)).toBeInTheDocument();
  });

  it("lists the configuration still missing", () => {
    mockApi({});
    renderWithBridge(
      <SetupView
        status={{ ...STATUS, configurationComplete: false, missingConfiguration: ["web_connector_password", "company_file"] }}
        now={now}
      />,
    );

    const list = screen.getByRole("list", { name: "Missing settings" });
    const items = within(list).getAllByRole("listitem").map((li) => li.textContent?.trim());
    expect(items).toEqual(["Web Connector password", "Company file"]);
  });

  it("downloads the .qwc file from qbWebConnectorFile", async () => {
    const api = mockApi({ QbWebConnectorFile: () => ({ qbWebConnectorFile: "<?xml version='1.0'?><QBWCXML/>" }) });
    const createObjectURL = vi.fn((blob: Blob) => {
      expect(blob.type).toBe("application/xml");
      return "blob:qwc";
    });
    // jsdom has no object URLs: provide them for this test only
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    onTestFinished(() => {
      Reflect.deleteProperty(URL, "createObjectURL");
      Reflect.deleteProperty(URL, "revokeObjectURL");
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe("saleor-quickbooks.qwc");
      expect(this.href).toBe("blob:qwc");
    });
    renderWithBridge(<SetupView status={STATUS} now={now} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Download .qwc file" }));

    expect(await screen.findByText("Saved as saleor-quickbooks.qwc.")).toBeInTheDocument();
    expect(api.named("QbWebConnectorFile")).toHaveLength(1);
    expect(click).toHaveBeenCalledOnce();
  });

  it("shows a busy state while the file is prepared", async () => {
    mockApi({ QbWebConnectorFile: () => never() });
    renderWithBridge(<SetupView status={STATUS} now={now} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Download .qwc file" }));

    expect(screen.getByRole("button", { name: "Preparing…" })).toBeDisabled();
  });

  it("shows the error of a failed download", async () => {
    mockApi({
      QbWebConnectorFile: () => ({ __status: 200, __body: { data: null, errors: [{ message: "Set the Web Connector user name first." }] } }),
    });
    renderWithBridge(<SetupView status={STATUS} now={now} />);

    await userEvent.setup().click(screen.getByRole("button", { name: "Download .qwc file" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not download the .qwc file");
    expect(alert).toHaveTextContent("Set the Web Connector user name first.");
  });
});
