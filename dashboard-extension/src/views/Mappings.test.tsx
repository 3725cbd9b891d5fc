import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { connection, mockApi, never, renderWithBridge } from "../test/utils";
import { CustomerMappings, ItemMappings, MappingsView } from "./Mappings";

function record(listId: string, fullName: string, extra: Record<string, unknown> = {}) {
  return { listId, fullName, isActive: true, email: "", currency: "", ...extra };
}

function unmappedSku(sku: string, extra: Record<string, unknown> = {}) {
  return { sku, productName: "T-Shirt", orderCount: 3, ruleItemName: sku, ...extra };
}

const ITEM_MAPPING = {
  sku: "MUG-1",
  itemFullName: "Kitchen:Mug",
  setBy: "owner@example.com",
  setAt: "2026-12-01T12:00:00Z",
  inQuickBooks: true,
};

function itemHandlers(extra: Record<string, (v: Record<string, unknown>) => unknown> = {}) {
  return {
    QbUnmappedSkus: () => ({ qbUnmappedSkus: connection([unmappedSku("TS-RED-M"), unmappedSku("CAP-1")]) }),
    QbItemMappings: () => ({ qbItemMappings: connection([ITEM_MAPPING]) }),
    QbListChoices: () => ({
      qbQuickBooksListEntries: connection([
        { listId: "I1", fullName: "Shirts:T-shirt red M", recordType: "ItemInventory" },
        { listId: "I2", fullName: "Shirts:T-shirt blue", recordType: "ItemNonInventory" },
      ]),
    }),
    ...extra,
  };
}

describe("ItemMappings", () => {
  it("shows a loading state, then the SKUs QuickBooks lacks and the mapped ones", async () => {
    let release: (value: unknown) => void = () => undefined;
    mockApi(
      itemHandlers({
        QbUnmappedSkus: () =>
          new Promise((resolve) => {
            release = resolve;
          }),
      }),
    );
    renderWithBridge(<ItemMappings />);

    expect(await screen.findByText("Loading SKUs without an item…")).toBeInTheDocument();
    release({ qbUnmappedSkus: connection([unmappedSku("TS-RED-M")], { totalCount: 21, hasNextPage: true }) });
    const [row] = await screen.findAllByTestId("unmapped-sku");
    expect(row).toHaveTextContent("TS-RED-M");
    expect(row).toHaveTextContent("the item “TS-RED-M”");
    expect(screen.getByText("21 SKUs", { exact: false })).toBeInTheDocument();
    const [mapping] = await screen.findAllByTestId("item-mapping");
    expect(mapping).toHaveTextContent("MUG-1");
    expect(mapping).toHaveTextContent("Kitchen:Mug");
    expect(mapping).toHaveTextContent("owner@example.com");
  });

  it("maps a SKU to the item picked from QuickBooks' list and reloads both lists", async () => {
    const api = mockApi(
      itemHandlers({
        QbItemMappingSet: () => ({
          qbItemMappingSet: { itemMapping: { sku: "TS-RED-M", itemFullName: "Shirts:T-shirt red M" }, errors: [] },
        }),
      }),
    );
    const user = userEvent.setup();
    const { dispatched } = renderWithBridge(<ItemMappings />);

    await user.click(await screen.findByRole("button", { name: "Map SKU TS-RED-M to a QuickBooks item" }));
    const box = screen.getByRole("combobox", { name: "QuickBooks item for SKU TS-RED-M" });
    await user.type(box, "red");
    // the items a line may carry: what a setting naming an item may name
    await waitFor(() =>
      expect(api.named("QbListChoices").at(-1)?.variables).toEqual({ setting: "defaultItemName", search: "red", first: 8 }),
    );
    await user.click(await screen.findByRole("option", { name: /Shirts:T-shirt red M/ }));
    expect(box).toHaveValue("Shirts:T-shirt red M");
    await user.click(screen.getByRole("button", { name: "Map" }));

    await waitFor(() =>
      expect(api.named("QbItemMappingSet")[0]?.variables).toEqual({
        sku: "TS-RED-M",
        itemFullName: "Shirts:T-shirt red M",
      }),
    );
    expect(await screen.findByText("SKU TS-RED-M now uses the QuickBooks item “Shirts:T-shirt red M”.")).toBeInTheDocument();
    await waitFor(() => expect(api.named("QbUnmappedSkus")).toHaveLength(2));
    expect(api.named("QbItemMappings")).toHaveLength(2);
    expect(dispatched.some((a) => a.type === "notification")).toBe(true);
    expect(screen.queryByRole("combobox", { name: "QuickBooks item for SKU TS-RED-M" })).not.toBeInTheDocument();
  });

  it("shows why QuickBooks' list refused the item, and keeps the picker open", async () => {
    mockApi(
      itemHandlers({
        QbItemMappingSet: () => ({
          qbItemMappingSet: {
            itemMapping: null,
            errors: [
              {
                field: "itemFullName",
                code: "INACTIVE_IN_QUICKBOOKS",
                message: "The QuickBooks item “Shirts:T-shirt blue” is inactive.",
              },
            ],
          },
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<ItemMappings />);

    await user.click(await screen.findByRole("button", { name: "Map SKU CAP-1 to a QuickBooks item" }));
    await user.type(screen.getByRole("combobox", { name: "QuickBooks item for SKU CAP-1" }), "Shirts:T-shirt blue");
    await user.click(screen.getByRole("button", { name: "Map" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("SKU CAP-1 was not mapped");
    expect(alert).toHaveTextContent("is inactive");
    expect(screen.getByRole("combobox", { name: "QuickBooks item for SKU CAP-1" })).toHaveValue("Shirts:T-shirt blue");
  });

  it("maps nothing until a name is chosen or typed", async () => {
    const api = mockApi(itemHandlers({ QbListChoices: () => ({ qbQuickBooksListEntries: connection([]) }) }));
    const user = userEvent.setup();
    renderWithBridge(<ItemMappings />);

    await user.click(await screen.findByRole("button", { name: "Map SKU CAP-1 to a QuickBooks item" }));
    await user.click(screen.getByRole("combobox", { name: "QuickBooks item for SKU CAP-1" }));
    expect(await screen.findByText("Nothing in our copy of QuickBooks' list to choose from yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Map" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(api.named("QbItemMappingSet")).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Map SKU CAP-1 to a QuickBooks item" })).toBeInTheDocument();
  });

  it("removes a mapping after confirming", async () => {
    const api = mockApi(
      itemHandlers({ QbItemMappingDelete: () => ({ qbItemMappingDelete: { itemMapping: { sku: "MUG-1" }, errors: [] } }) }),
    );
    const user = userEvent.setup();
    renderWithBridge(<ItemMappings />);

    await user.click(await screen.findByRole("button", { name: "Remove the mapping of SKU MUG-1" }));
    expect(screen.getByText(/its lines use the item the item settings give it/)).toBeInTheDocument();
    expect(api.named("QbItemMappingDelete")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Remove" }));

    await waitFor(() => expect(api.named("QbItemMappingDelete")[0]?.variables).toEqual({ sku: "MUG-1" }));
    expect(await screen.findByText("SKU MUG-1 follows the item rule again.")).toBeInTheDocument();
  });

  it("pages and searches the SKUs without an item", async () => {
    const api = mockApi(
      itemHandlers({
        QbUnmappedSkus: (v) => ({
          qbUnmappedSkus: connection([unmappedSku(v.after ? "PAGE-2" : "PAGE-1")], {
            totalCount: 40,
            hasNextPage: !v.after,
            endCursor: "cursor-20",
          }),
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<ItemMappings />);

    await screen.findByText("PAGE-1");
    await user.click(within(screen.getByRole("navigation", { name: "Pages of SKUs without an item" })).getByRole("button", { name: "Next page" }));
    expect(await screen.findByText("PAGE-2")).toBeInTheDocument();
    expect(api.named("QbUnmappedSkus").at(-1)?.variables).toEqual({ search: null, first: 20, after: "cursor-20" });

    await user.type(screen.getByLabelText("Search SKUs or products"), "cap");
    await waitFor(() =>
      expect(api.named("QbUnmappedSkus").at(-1)?.variables).toEqual({ search: "cap", first: 20, after: null }),
    );
  });

  it("warns of a mapping whose item QuickBooks no longer has", async () => {
    mockApi(
      itemHandlers({
        QbItemMappings: () => ({
          qbItemMappings: connection([ITEM_MAPPING, { ...ITEM_MAPPING, sku: "OLD-1", inQuickBooks: false }]),
        }),
      }),
    );
    renderWithBridge(<ItemMappings />);

    const [kept, gone] = await screen.findAllByTestId("item-mapping");
    expect(kept).not.toHaveTextContent("Not in QuickBooks");
    expect(gone).toHaveTextContent("Not in QuickBooks");
    expect(gone).toHaveTextContent("QuickBooks would refuse the lines");
  });

  it("says when every SKU has its item", async () => {
    mockApi(
      itemHandlers({
        QbUnmappedSkus: () => ({ qbUnmappedSkus: connection([]) }),
        QbItemMappings: () => ({ qbItemMappings: connection([]) }),
      }),
    );
    renderWithBridge(<ItemMappings />);

    expect(await screen.findByText("Every SKU has its QuickBooks item")).toBeInTheDocument();
    expect(await screen.findByText("No SKU is mapped yet.")).toBeInTheDocument();
  });
});

const JANE = {
  email: "jane@example.com",
  name: "Jane Doe",
  orderCount: 2,
  suggestions: [
    { matchedBy: "EMAIL", customer: record("C1", "Doe, Jane", { email: "JANE@example.com" }) },
    { matchedBy: "NAME", customer: record("C2", "Wholesale:Jane Doe", { isActive: false }) },
  ],
};
const BOB = { email: "bob@example.com", name: "", orderCount: 1, suggestions: [] };

function customerHandlers(extra: Record<string, (v: Record<string, unknown>) => unknown> = {}) {
  return {
    QbUnmappedCustomers: () => ({ qbUnmappedCustomers: connection([JANE, BOB]) }),
    QbCustomerMappings: () => ({
      qbCustomerMappings: connection([
        {
          email: "ap@acme.example",
          customerFullName: "Acme Corp",
          currency: "US Dollar",
          confirmedBy: "owner@example.com",
          confirmedAt: "2026-12-01T12:00:00Z",
          inQuickBooks: true,
        },
      ]),
    }),
    QbListChoices: () => ({ qbQuickBooksListEntries: connection([{ listId: "C9", fullName: "Robert Smith", recordType: "" }]) }),
    ...extra,
  };
}

describe("CustomerMappings", () => {
  it("lists customers without a mapping with their suggestions, an inactive one not confirmable", async () => {
    mockApi(customerHandlers());
    renderWithBridge(<CustomerMappings />);

    const [jane, bob] = await screen.findAllByTestId("unmapped-customer");
    expect(jane).toHaveTextContent("Jane Doe");
    expect(jane).toHaveTextContent("same e-mail");
    expect(within(jane).getByRole("button", { name: "Confirm Doe, Jane for jane@example.com" })).toBeEnabled();
    expect(within(jane).getByRole("button", { name: "Confirm Wholesale:Jane Doe for jane@example.com" })).toBeDisabled();
    expect(jane).toHaveTextContent("same name, inactive in QuickBooks");
    expect(bob).toHaveTextContent("None looks alike");
    const [mapped] = await screen.findAllByTestId("customer-mapping");
    expect(mapped).toHaveTextContent("ap@acme.example");
    expect(mapped).toHaveTextContent("Acme Corp (US Dollar)");
  });

  it("confirms a suggestion for the customer", async () => {
    const api = mockApi(
      customerHandlers({
        QbCustomerMappingSet: () => ({
          qbCustomerMappingSet: { customerMapping: { email: "jane@example.com", customerFullName: "Doe, Jane" }, errors: [] },
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<CustomerMappings />);

    await user.click(await screen.findByRole("button", { name: "Confirm Doe, Jane for jane@example.com" }));

    await waitFor(() =>
      expect(api.named("QbCustomerMappingSet")[0]?.variables).toEqual({
        email: "jane@example.com",
        customerFullName: "Doe, Jane",
      }),
    );
    expect(
      await screen.findByText("The orders of jane@example.com now go to the QuickBooks customer “Doe, Jane”."),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.named("QbUnmappedCustomers")).toHaveLength(2));
  });

  it("picks another QuickBooks customer, searching from the customer's name", async () => {
    const api = mockApi(
      customerHandlers({
        QbCustomerMappingSet: () => ({
          qbCustomerMappingSet: { customerMapping: { email: "jane@example.com", customerFullName: "Robert Smith" }, errors: [] },
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<CustomerMappings />);

    await user.click(await screen.findByRole("button", { name: "Pick a QuickBooks customer for jane@example.com" }));
    const box = screen.getByRole("combobox", { name: "QuickBooks customer for jane@example.com" });
    expect(box).toHaveValue("Jane Doe");
    await user.click(box);
    await waitFor(() =>
      expect(api.named("QbListChoices").at(-1)?.variables).toMatchObject({ setting: "singleCustomerName" }),
    );
    await user.click(await screen.findByRole("option", { name: /Robert Smith/ }));
    await user.click(screen.getByRole("button", { name: "Map" }));

    await waitFor(() =>
      expect(api.named("QbCustomerMappingSet")[0]?.variables).toEqual({
        email: "jane@example.com",
        customerFullName: "Robert Smith",
      }),
    );
  });

  it("shows a permission refusal as an error, not a crash", async () => {
    mockApi(
      customerHandlers({
        QbCustomerMappingSet: () => ({
          __status: 200,
          __body: {
            data: null,
            errors: [
              {
                message: "You need the MANAGE_PLUGINS permission to change the customer mappings.",
                extensions: { exception: { code: "PERMISSION_DENIED" } },
              },
            ],
          },
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<CustomerMappings />);

    await user.click(await screen.findByRole("button", { name: "Confirm Doe, Jane for jane@example.com" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("jane@example.com was not mapped");
    expect(alert).toHaveTextContent("MANAGE_PLUGINS");
  });

  it("removes a customer's mapping after confirming", async () => {
    const api = mockApi(
      customerHandlers({
        QbCustomerMappingDelete: () => ({ qbCustomerMappingDelete: { customerMapping: { email: "ap@acme.example" }, errors: [] } }),
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<CustomerMappings />);

    await user.click(await screen.findByRole("button", { name: "Remove the mapping of ap@acme.example" }));
    await user.click(screen.getByRole("button", { name: "Remove" }));

    await waitFor(() => expect(api.named("QbCustomerMappingDelete")[0]?.variables).toEqual({ email: "ap@acme.example" }));
    expect(await screen.findByText("The orders of ap@acme.example follow the customer settings again.")).toBeInTheDocument();
  });

  it("shows an error loading the customers and retries", async () => {
    let attempts = 0;
    mockApi(
      customerHandlers({
        QbUnmappedCustomers: () =>
          ++attempts === 1
            ? { __status: 500, __body: { errors: [{ message: "Internal server error." }] } }
            : { qbUnmappedCustomers: connection([]) },
      }),
    );
    const user = userEvent.setup();
    renderWithBridge(<CustomerMappings />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the customers without a mapping");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Every customer is mapped")).toBeInTheDocument();
  });
});

describe("MappingsView", () => {
  it("shows both sections", async () => {
    mockApi({
      QbUnmappedSkus: () => never(),
      QbItemMappings: () => never(),
      QbUnmappedCustomers: () => never(),
      QbCustomerMappings: () => never(),
    });
    renderWithBridge(<MappingsView />);

    expect(screen.getByRole("region", { name: "Items" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Customers" })).toBeInTheDocument();
  });
});
