import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Settings } from "../api";
import { mockApi, never, renderWithBridge } from "../test/utils";
import { SettingsView } from "./Settings";

const SETTINGS: Settings = {
  exportMode: "ON_DEMAND",
  transactionType: "BY_PAYMENT_STATUS",
  checkDuplicates: true,
  exportStartDate: null,
  eligibleStatuses: ["UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED"],
  channels: [],
  customerMode: "PER_CUSTOMER",
  singleCustomerName: "Saleor Web Store",
  customerNameFormat: "FIRST_LAST",
  itemMode: "BY_SKU",
  defaultItemName: "Saleor Product",
  missingItemAction: "CREATE",
  incomeAccount: "Sales",
  depositToAccount: "Undeposited Funds",
  recordPayments: true,
  paymentMethods: ["card=Credit Card", "gift_card=Gift Card"],
  recordRefunds: true,
  refundMoney: true,
  voidCancelled: true,
  updateEditedOrders: "ASK",
  arAccount: "Accounts Receivable",
  salesTaxAccount: "Sales Tax Payable",
  giftCardAccount: "",
  shippingItemName: "Shipping",
  discountItemName: "Saleor Discount",
  giftCardItemName: "Gift Card",
  refundItemName: "Saleor Refund",
  taxMode: "LINE_ITEM",
  salesTaxItemName: "Saleor Sales Tax",
  refNumberPrefix: "",
  className: "",
  ordersPerRequest: 50,
  qbxmlVersion: "13.0",
  webConnectorUsername: "quickbooks",
  webConnectorPasswordSet: true,
  companyFile: "",
  timeZone: "UTC",
  runEveryMinutes: 30,
  listsMaxAgeHours: 24,
  companyCurrency: "USD",
  exchangeRates: ["EUR=1.08", "PLN=0.25"],
  canEdit: true,
  listProblems: [],
};
const READ_AT = "2026-12-01T10:00:00+00:00";
const LISTS = {
  lists: ["Accounts", "Sales tax codes", "Classes", "Payment methods", "Items", "Sales tax items", "Customers"].map(
    (label) => ({ key: label.toLowerCase().replaceAll(" ", "_"), label, count: 3, lastReadAt: READ_AT }),
  ),
  refreshWaiting: false,
};
const ACCOUNTS = [
  { listId: "A1", fullName: "Checking", recordType: "Bank" },
  { listId: "A2", fullName: "Undeposited Funds", recordType: "OtherCurrentAsset" },
];
function choices(nodes: typeof ACCOUNTS, totalCount = nodes.length) {
  return { qbQuickBooksListEntries: { totalCount, edges: nodes.map((node) => ({ node })) } };
}
const CHANNELS = [
  { slug: "default-channel", name: "Default channel" },
  { slug: "channel-pln", name: "Channel PLN" },
];

function settingsApi(settings: Partial<Settings> = {}, update?: (variables: Record<string, unknown>) => unknown) {
  return mockApi({
    QbSettings: () => ({ qbSettings: { ...SETTINGS, ...settings }, qbChannels: CHANNELS }),
    QbQuickBooksLists: () => ({ qbQuickBooksLists: LISTS }),
    QbListChoices: (variables) =>
      choices(ACCOUNTS.filter((a) => a.fullName.toLowerCase().includes(String(variables.search ?? "").toLowerCase()))),
    QbSettingsUpdate: (variables) =>
      update
        ? update(variables)
        : {
            qbSettingsUpdate: {
              settings: { ...SETTINGS, ...settings, ...(variables.input as object) },
              errors: [],
            },
          },
  });
}

describe("SettingsView", () => {
  it("offers each fixed choice as a choice, with what it means", async () => {
    settingsApi();
    renderWithBridge(<SettingsView />);

    const mode = await screen.findByRole("group", { name: "Export mode" });
    expect(within(mode).getByRole("radio", { name: /On demand/ })).toBeChecked();
    expect(within(mode).getByRole("radio", { name: /Automatic/ })).toHaveAccessibleName(
      /Every new eligible order goes to QuickBooks on each Web Connector run/,
    );
    const statuses = screen.getByRole("group", { name: "Order statuses to export" });
    expect(within(statuses).getAllByRole("checkbox").map((c) => (c as HTMLInputElement).checked)).toEqual([
      true, true, true, false, false, false, false,
    ]);
    expect(within(statuses).queryByRole("checkbox", { name: /Draft/ })).not.toBeInTheDocument();
    const channels = screen.getByRole("group", { name: "Channels to export" });
    expect(within(channels).getByRole("checkbox", { name: "Default channel (default-channel)" })).not.toBeChecked();
    expect(screen.getByRole("switch", { name: "Check QuickBooks for duplicates" })).toBeChecked();
    expect(screen.getByLabelText("Export orders from")).toHaveAttribute("type", "date");
    expect(screen.getByRole("combobox", { name: "Customer name format" })).toHaveValue("FIRST_LAST");
    expect(screen.getByLabelText("Income account")).toHaveValue("Sales");
    expect(screen.getByText(/Extensions → QuickBooks Desktop Sync \(settings\)/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("sends only the export mode when only the export mode changed", async () => {
    const api = settingsApi();
    const onSaved = vi.fn();
    renderWithBridge(<SettingsView onSaved={onSaved} />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("radio", { name: /Automatic/ }));
    expect(screen.getByText("1 setting changed.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
    expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([{ input: { exportMode: "AUTOMATIC" } }]);
    expect(screen.getByRole("radio", { name: /Automatic/ })).toBeChecked();
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    expect(onSaved).toHaveBeenCalledOnce();
  });

  it("sends statuses, channels, the date, numbers and a new password as the API takes them", async () => {
    const api = settingsApi();
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    const statuses = await screen.findByRole("group", { name: "Order statuses to export" });
    await user.click(within(statuses).getByRole("checkbox", { name: "Unfulfilled" }));
    await user.click(within(statuses).getByRole("checkbox", { name: "Returned" }));
    await user.click(screen.getByRole("checkbox", { name: "Channel PLN (channel-pln)" }));
    await user.type(screen.getByLabelText("Export orders from"), "2026-02-01");
    const perRequest = screen.getByLabelText("Orders per request");
    await user.clear(perRequest);
    await user.type(perRequest, "25");
    await user.type(screen.getByLabelText("New Web Connector password"), "s3cret");
    await user.click(screen.getByRole("switch", { name: "Check QuickBooks for duplicates" }));
    await user.click(screen.getByRole("button", { name: "Save" }));

    await screen.findByText("Settings saved.");
    expect(api.named("QbSettingsUpdate")[0].variables).toEqual({
      input: {
        eligibleStatuses: ["PARTIALLY_FULFILLED", "FULFILLED", "RETURNED"],
        channels: ["channel-pln"],
        exportStartDate: "2026-02-01",
        ordersPerRequest: 25,
        webConnectorPassword: "s3cret",
        checkDuplicates: false,
      },
    });
    expect(screen.getByLabelText("New Web Connector password")).toHaveValue("");
  });

  it("shows a server error next to its field and keeps the change", async () => {
    settingsApi({}, () => ({
      qbSettingsUpdate: {
        settings: null,
        errors: [
          {
            field: "refNumberPrefix",
            message: "must be at most 8 characters so that order numbers fit QuickBooks' 11-character RefNumber",
            code: "TOO_LONG",
          },
        ],
      },
    }));
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    const prefix = await screen.findByLabelText("Number prefix");
    await user.type(prefix, "MUCH-TOO-LONG");
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Nothing was saved");
    expect(prefix).toHaveAccessibleDescription(/must be at most 8 characters/);
    expect(prefix).toHaveAttribute("aria-invalid", "true");
    expect(prefix).toHaveValue("MUCH-TOO-LONG");
    expect(screen.queryByText("Settings saved.")).not.toBeInTheDocument();
  });

  it("shows a contradiction's error by the field it names", async () => {
    settingsApi({}, () => ({
      qbSettingsUpdate: {
        settings: null,
        errors: [{ field: "singleCustomerName", message: "must not be empty", code: "REQUIRED" }],
      },
    }));
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("radio", { name: /One customer for every order/ }));
    await user.clear(screen.getByLabelText("Single customer name"));
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByLabelText("Single customer name")).toHaveAccessibleDescription(/must not be empty/);
  });

  it("shows an error about a list by its group of choices", async () => {
    settingsApi({}, () => ({
      qbSettingsUpdate: {
        settings: null,
        errors: [{ field: "eligibleStatuses", message: "choose at least one order status", code: "REQUIRED" }],
      },
    }));
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    const statuses = await screen.findByRole("group", { name: "Order statuses to export" });
    for (const box of within(statuses).getAllByRole("checkbox")) {
      if ((box as HTMLInputElement).checked) await user.click(box);
    }
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(await within(statuses).findByText("choose at least one order status")).toBeInTheDocument();
    expect(statuses).toHaveAccessibleDescription(/choose at least one order status/);
  });

  it("refuses a number that is not one before asking the server", async () => {
    const api = settingsApi();
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    const minutes = await screen.findByLabelText("Run every (minutes)");
    await user.clear(minutes);
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(minutes).toHaveAccessibleDescription(/Enter a whole number/);
    expect(api.named("QbSettingsUpdate")).toHaveLength(0);
  });

  describe("payments", () => {
    const saleorBox = (row: number) => screen.getByRole("textbox", { name: `Saleor payment (method type or gateway), row ${row}` });
    const quickbooksBox = (row: number) => screen.getByRole("combobox", { name: `QuickBooks payment method, row ${row}` });

    it("offers recording payments by the deposit account, and each payment method as a row", async () => {
      settingsApi();
      renderWithBridge(<SettingsView />);

      const deposit = await screen.findByLabelText("Deposit to account");
      expect(deposit).toHaveAccessibleDescription(/sales receipts and received payments/);
      const record = screen.getByRole("switch", { name: "Record payments on invoices" });
      expect(record).toBeChecked();
      expect(record).toHaveAccessibleDescription(/exported as an invoice is charged in Saleor, at once or in parts later/);
      // the toggle comes right after the deposit account
      const fields = [...document.querySelectorAll("input")];
      expect(fields.indexOf(record as HTMLInputElement)).toBe(fields.indexOf(deposit as HTMLInputElement) + 1);

      const methods = screen.getByRole("group", { name: "Payment methods" });
      expect(methods).toHaveAccessibleDescription(/must exist in the company file/);
      expect(within(methods).getByRole("columnheader", { name: "Saleor payment (method type or gateway)" })).toBeInTheDocument();
      expect(within(methods).getByRole("columnheader", { name: "QuickBooks payment method" })).toBeInTheDocument();
      expect(within(methods).getAllByTestId("payment-method-row")).toHaveLength(2);
      expect(saleorBox(1)).toHaveValue("card");
      expect(quickbooksBox(1)).toHaveValue("Credit Card");
      expect(saleorBox(2)).toHaveValue("gift_card");
      expect(quickbooksBox(2)).toHaveValue("Gift Card");
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    });

    it("edits, removes and adds rows and saves them as saleor=QuickBooks pairs", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Remove row 2" }));
      expect(screen.getAllByTestId("payment-method-row")).toHaveLength(1);
      expect(screen.getByRole("button", { name: "Add payment method" })).toHaveFocus();
      await user.clear(quickbooksBox(1));
      await user.type(quickbooksBox(1), "  Visa ");
      await user.click(screen.getByRole("button", { name: "Add payment method" }));
      expect(saleorBox(2)).toHaveFocus();
      await user.keyboard("mirumee.payments.stripe");
      await user.type(quickbooksBox(2), "Credit Card");
      await user.click(screen.getByRole("switch", { name: "Record payments on invoices" }));
      expect(screen.getByText("2 settings changed.")).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
      expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([
        { input: { recordPayments: false, paymentMethods: ["card=Visa", "mirumee.payments.stripe=Credit Card"] } },
      ]);
      expect(screen.getByRole("switch", { name: "Record payments on invoices" })).not.toBeChecked();
      expect(screen.getAllByTestId("payment-method-row")).toHaveLength(2);
      expect(quickbooksBox(1)).toHaveValue("Visa");
      expect(saleorBox(2)).toHaveValue("mirumee.payments.stripe");
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    });

    it("saves an emptied list as no payment methods", async () => {
      const api = settingsApi({ paymentMethods: ["card=Credit Card"] });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Remove row 1" }));
      expect(screen.getByText(/None listed: payments are received without a payment method/)).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));

      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate")[0].variables).toEqual({ input: { paymentMethods: [] } });
    });

    it("ignores an empty row and refuses a half-filled one before asking the server", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Add payment method" }));
      expect(screen.getByText("No changes.")).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();

      await user.type(saleorBox(3), "paypal");
      await user.click(screen.getByRole("button", { name: "Save" }));
      const methods = screen.getByRole("group", { name: "Payment methods" });
      expect(methods).toHaveAccessibleDescription(/Fill in both the Saleor payment and the QuickBooks payment method/);
      expect(methods).toHaveAttribute("aria-invalid", "true");
      expect(api.named("QbSettingsUpdate")).toHaveLength(0);

      await user.type(quickbooksBox(3), "PayPal");
      await user.click(screen.getByRole("button", { name: "Save" }));
      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate")[0].variables).toEqual({
        input: { paymentMethods: ["card=Credit Card", "gift_card=Gift Card", "paypal=PayPal"] },
      });
    });

    it("shows the server's objection to the payment methods by the list and keeps the rows", async () => {
      settingsApi({}, () => ({
        qbSettingsUpdate: {
          settings: null,
          errors: [{ field: "paymentMethods", message: "'card' is listed twice", code: "INVALID" }],
        },
      }));
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Add payment method" }));
      await user.type(saleorBox(3), "Card");
      await user.type(quickbooksBox(3), "Visa");
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("Nothing was saved");
      const methods = screen.getByRole("group", { name: "Payment methods" });
      expect(within(methods).getByText("'card' is listed twice")).toBeInTheDocument();
      expect(methods).toHaveAccessibleDescription(/'card' is listed twice/);
      expect(saleorBox(3)).toHaveValue("Card");
      expect(quickbooksBox(3)).toHaveValue("Visa");
      expect(screen.queryByText("Settings saved.")).not.toBeInTheDocument();
    });
  });

  describe("exchange rates", () => {
    const currencyBox = (row: number) => screen.getByRole("textbox", { name: `Currency, row ${row}` });
    const rateBox = (row: number) => screen.getByRole("textbox", { name: `Home currency per 1 unit, row ${row}` });
    const rates = () => screen.getByRole("group", { name: "Exchange rates" });

    it("lists each rate as a row by the home currency, saying what it means in the home currency", async () => {
      settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const home = await screen.findByLabelText("QuickBooks home currency");
      expect(home).toHaveValue("USD");
      expect(home).toHaveAccessibleDescription(
        /Orders in other currencies are converted at their exchange rate below, or refused when they have none\./,
      );
      expect(home).not.toHaveAccessibleDescription(/not converted/);
      // the rates come right after the home currency
      const fields = [...document.querySelectorAll("input")];
      expect(fields.indexOf(currencyBox(1) as HTMLInputElement)).toBe(fields.indexOf(home as HTMLInputElement) + 1);

      expect(rates()).toHaveAccessibleDescription(/What 1 unit of another currency is worth in USD, e.g. 1 EUR = 1.08 USD: enter EUR and 1.08\./);
      expect(rates()).toHaveAccessibleDescription(/An order in any other currency is refused, never booked with its own amounts as USD/);
      expect(within(rates()).getByRole("columnheader", { name: "Currency" })).toBeInTheDocument();
      expect(within(rates()).getByRole("columnheader", { name: "Home currency per 1 unit" })).toBeInTheDocument();
      expect(within(rates()).getAllByTestId("exchange-rate-row")).toHaveLength(2);
      expect(currencyBox(1)).toHaveValue("EUR");
      expect(rateBox(1)).toHaveValue("1.08");
      expect(currencyBox(2)).toHaveValue("PLN");
      expect(rateBox(2)).toHaveValue("0.25");
      expect(rateBox(1)).toHaveAttribute("inputmode", "decimal");
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();

      // the wording follows the home currency typed
      await user.clear(home);
      await user.type(home, "EUR");
      expect(rates()).toHaveAccessibleDescription(/worth in EUR, e.g. 1 USD = 0.93 EUR: enter USD and 0.93\./);
      await user.clear(home);
      await user.type(home, "GBP");
      expect(rates()).toHaveAccessibleDescription(/worth in GBP, e.g. 1 EUR = 1.08 GBP: enter EUR and 1.08\./);
    });

    it("says that QuickBooks books other currencies in their own when its multicurrency is on", async () => {
      settingsApi();
      renderWithBridge(<SettingsView multicurrency={["USD", "EUR", "PLN"]} />);

      const home = await screen.findByLabelText("QuickBooks home currency");
      expect(home).toHaveAccessibleDescription(/QuickBooks has multicurrency on, so orders in other currencies are booked in their own currency\./);
      expect(rates()).toHaveAccessibleDescription(/QuickBooks has multicurrency on \(its currencies: USD, EUR, PLN\): an order in one of its currencies is booked in that currency/);
      expect(rates()).toHaveAccessibleDescription(/without one QuickBooks' own rate applies/);
    });

    it("edits, removes and adds rates and saves them as CODE=rate pairs", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Remove exchange rate, row 1" }));
      expect(screen.getAllByTestId("exchange-rate-row")).toHaveLength(1);
      expect(screen.getByRole("button", { name: "Add exchange rate" })).toHaveFocus();
      // the payment methods are another list
      expect(screen.getAllByTestId("payment-method-row")).toHaveLength(2);
      expect(currencyBox(1)).toHaveValue("PLN");
      await user.clear(rateBox(1));
      await user.type(rateBox(1), " 0.26 ");
      await user.click(screen.getByRole("button", { name: "Add exchange rate" }));
      expect(currencyBox(2)).toHaveFocus();
      await user.keyboard("gbp");
      expect(currencyBox(2)).toHaveValue("GBP");
      await user.type(rateBox(2), "1.27");
      expect(screen.getByText("1 setting changed.")).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
      expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([
        { input: { exchangeRates: ["PLN=0.26", "GBP=1.27"] } },
      ]);
      expect(screen.getAllByTestId("exchange-rate-row")).toHaveLength(2);
      expect(rateBox(1)).toHaveValue("0.26");
      expect(currencyBox(2)).toHaveValue("GBP");
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    });

    it("saves an emptied list as no rates, saying other currencies are then refused", async () => {
      const api = settingsApi({ exchangeRates: ["EUR=1.08"] });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Remove exchange rate, row 1" }));
      expect(within(rates()).getByText("None listed: orders in another currency than USD are refused.")).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));

      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate")[0].variables).toEqual({ input: { exchangeRates: [] } });
    });

    it("ignores an empty row and refuses one with a side left empty before asking the server", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();
      const save = () => user.click(screen.getByRole("button", { name: "Save" }));

      await user.click(await screen.findByRole("button", { name: "Add exchange rate" }));
      expect(screen.getByText("No changes.")).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();

      // a currency without its rate
      await user.type(currencyBox(3), "CAD");
      await save();
      expect(rates()).toHaveAccessibleDescription(/Fill in both the currency and its rate in each row, or remove the row/);
      expect(rates()).toHaveAttribute("aria-invalid", "true");
      // a rate without its currency
      await user.clear(currencyBox(3));
      await user.type(rateBox(3), "0.73");
      await save();
      expect(rates()).toHaveAccessibleDescription(/Fill in both the currency and its rate/);
      expect(api.named("QbSettingsUpdate")).toHaveLength(0);
    });

    it("refuses a rate that is not a number above 0 before asking the server, then saves it corrected", async () => {
      const api = settingsApi({ exchangeRates: ["EUR=1.08", "PLN=0.25"] });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();
      const save = () => user.click(screen.getByRole("button", { name: "Save" }));

      await user.click(await screen.findByRole("button", { name: "Add exchange rate" }));
      // not a number (a decimal comma), zero, negative
      await user.type(currencyBox(3), "CAD");
      await user.type(rateBox(3), "0,73");
      await save();
      expect(within(rates()).getByText("The rate for CAD (0,73) is not a number: write it with a point for decimals, e.g. 1.08.")).toBeInTheDocument();
      await user.clear(rateBox(3));
      await user.type(rateBox(3), "0");
      await save();
      expect(within(rates()).getByText("The rate for CAD must be more than 0.")).toBeInTheDocument();
      await user.clear(rateBox(3));
      await user.type(rateBox(3), "-0.73");
      await save();
      expect(within(rates()).getByText("The rate for CAD must be more than 0.")).toBeInTheDocument();
      expect(api.named("QbSettingsUpdate")).toHaveLength(0);

      await user.clear(rateBox(3));
      await user.type(rateBox(3), "0.73");
      await save();
      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([
        { input: { exchangeRates: ["EUR=1.08", "PLN=0.25", "CAD=0.73"] } },
      ]);
      expect(rates()).not.toHaveAttribute("aria-invalid");
    });

    it("shows the server's objection to the rates by the list and keeps the rows", async () => {
      settingsApi({}, () => ({
        qbSettingsUpdate: {
          settings: null,
          errors: [{ field: "exchangeRates", message: "EUR is listed twice", code: "INVALID" }],
        },
      }));
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("button", { name: "Add exchange rate" }));
      await user.type(currencyBox(3), "EUR");
      await user.type(rateBox(3), "1.1");
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("Nothing was saved");
      expect(within(rates()).getByText("EUR is listed twice")).toBeInTheDocument();
      expect(rates()).toHaveAccessibleDescription(/EUR is listed twice/);
      expect(rates()).toHaveAttribute("aria-invalid", "true");
      expect(screen.getAllByTestId("exchange-rate-row")).toHaveLength(3);
      expect(currencyBox(3)).toHaveValue("EUR");
      expect(rateBox(3)).toHaveValue("1.1");
      expect(screen.queryByText("Settings saved.")).not.toBeInTheDocument();
    });
  });

  describe("refunds and cancellations", () => {
    const recordRefunds = () => screen.getByRole("switch", { name: "Record refunds as credit memos" });
    const refundMoney = () => screen.getByRole("switch", { name: "Record the money refunded" });
    const voidCancelled = () => screen.getByRole("switch", { name: "Void cancelled orders" });

    it("groups the refund and cancellation settings, each with what it does", async () => {
      settingsApi();
      renderWithBridge(<SettingsView />);

      const heading = await screen.findByRole("heading", { name: "Refunds and cancellations" });
      const section = heading.closest("section") as HTMLElement;
      expect(within(section).getAllByRole("switch").map((s) => s.getAttribute("id"))).toEqual([
        "qb-setting-recordRefunds", "qb-setting-refundMoney", "qb-setting-voidCancelled",
      ]);
      expect(recordRefunds()).toBeChecked();
      expect(recordRefunds()).toHaveAccessibleDescription(
        /When Saleor refunds an order that is in QuickBooks .* add a credit memo with the refunded lines, shipping and tax/,
      );
      expect(refundMoney()).toBeChecked();
      expect(refundMoney()).toBeEnabled();
      expect(refundMoney()).toHaveAccessibleDescription(
        /money going back against each credit memo, as a refund paid from the deposit account; off leaves the credit on the customer's account\.$/,
      );
      const item = within(section).getByRole("combobox", { name: "Refund item" });
      expect(item).toHaveValue("Saleor Refund");
      expect(item).toHaveAccessibleDescription(/refunded without naming lines, and for a refund's difference from its lines/);
      expect(voidCancelled()).toBeChecked();
      expect(voidCancelled()).toHaveAccessibleDescription(/no money moved, void its invoice or sales receipt; when money moved, it is not voided/);
      // the money refunded is paid from the deposit account
      expect(screen.getByLabelText("Deposit to account")).toHaveAccessibleDescription(/and refunds paid from/);
      expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    });

    it("asks what an edit after export does, waiting for a person by default, and saves a change", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const group = await screen.findByRole("group", {
        name: "When staff change an exported order's billing or shipping address",
      });
      const ask = within(group).getByRole("radio", { name: /Show them and wait for me/ });
      expect(ask).toBeChecked();
      expect(within(group).getAllByRole("radio").map((r) => r.getAttribute("value"))).toEqual([
        "ASK", "AUTOMATIC", "OFF",
      ]);
      await user.click(within(group).getByRole("radio", { name: /Update QuickBooks automatically/ }));
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
      expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([
        { input: { updateEditedOrders: "AUTOMATIC" } },
      ]);
    });

    it("offers recording the money refunded only while refunds are recorded", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.click(await screen.findByRole("switch", { name: "Record refunds as credit memos" }));
      expect(recordRefunds()).not.toBeChecked();
      expect(refundMoney()).toBeDisabled();
      // its own choice is kept, not changed
      expect(refundMoney()).toBeChecked();
      expect(refundMoney()).toHaveAccessibleDescription(/Turn on Record refunds as credit memos to use this/);
      await user.click(refundMoney());
      expect(refundMoney()).toBeChecked();
      expect(screen.getByText("1 setting changed.")).toBeInTheDocument();

      await user.click(recordRefunds());
      expect(refundMoney()).toBeEnabled();
      expect(refundMoney()).not.toHaveAccessibleDescription(/Turn on/);
      await user.click(recordRefunds());
      await user.click(voidCancelled());
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
      expect(api.named("QbSettingsUpdate").map((c) => c.variables)).toEqual([
        { input: { recordRefunds: false, voidCancelled: false } },
      ]);
      expect(recordRefunds()).not.toBeChecked();
      expect(refundMoney()).toBeDisabled();
      expect(voidCancelled()).not.toBeChecked();
    });

    it("turns refunds on and the money refunded off, with another refund item", async () => {
      const api = settingsApi({ recordRefunds: false, refundMoney: true });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      expect(await screen.findByRole("switch", { name: "Record the money refunded" })).toBeDisabled();
      await user.click(recordRefunds());
      expect(refundMoney()).toBeEnabled();
      await user.click(refundMoney());
      expect(refundMoney()).not.toBeChecked();
      const item = screen.getByRole("combobox", { name: "Refund item" });
      await user.clear(item);
      await user.type(item, "Refunds");
      expect(screen.getByText("3 settings changed.")).toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));

      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate")[0].variables).toEqual({
        input: { recordRefunds: true, refundMoney: false, refundItemName: "Refunds" },
      });
      expect(refundMoney()).not.toBeChecked();
      expect(screen.getByRole("combobox", { name: "Refund item" })).toHaveValue("Refunds");
    });

    it("shows the server's objection to the refund item by the field and keeps it", async () => {
      settingsApi({}, () => ({
        qbSettingsUpdate: {
          settings: null,
          errors: [{ field: "refundItemName", message: "must not be empty", code: "REQUIRED" }],
        },
      }));
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      await user.clear(await screen.findByRole("combobox", { name: "Refund item" }));
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByRole("alert")).toHaveTextContent("Nothing was saved");
      const item = screen.getByRole("combobox", { name: "Refund item" });
      expect(item).toHaveAccessibleDescription(/must not be empty/);
      expect(item).toHaveAttribute("aria-invalid", "true");
      expect(item).toHaveValue("");
    });
  });

  it("is read only for staff without Manage plugins", async () => {
    settingsApi({ canEdit: false });
    renderWithBridge(<SettingsView />);

    expect(await screen.findByText(/need the Manage plugins permission/)).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /Automatic/ })).toBeDisabled();
    expect(screen.getByLabelText("Income account")).toBeDisabled();
    expect(screen.getByRole("switch", { name: "Record payments on invoices" })).toBeDisabled();
    expect(screen.getByRole("switch", { name: "Record refunds as credit memos" })).toBeDisabled();
    expect(screen.getByRole("switch", { name: "Record the money refunded" })).toBeDisabled();
    expect(screen.getByRole("switch", { name: "Void cancelled orders" })).toBeDisabled();
    expect(screen.getByRole("combobox", { name: "Refund item" })).toBeDisabled();
    expect(screen.getByRole("combobox", { name: "QuickBooks payment method, row 1" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Add payment method" })).not.toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Currency, row 1" })).toBeDisabled();
    expect(screen.getByRole("textbox", { name: "Home currency per 1 unit, row 2" })).toBeDisabled();
    expect(screen.getByRole("textbox", { name: "Home currency per 1 unit, row 2" })).toHaveValue("0.25");
    expect(screen.queryByRole("button", { name: "Add exchange rate" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
  });

  it("shows a busy state while saving", async () => {
    settingsApi({}, () => never());
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("radio", { name: /Automatic/ }));
    await user.click(screen.getByRole("button", { name: "Save" }));

    expect(screen.getByRole("button", { name: "Saving…" })).toBeDisabled();
  });

  it("says when the settings cannot be loaded", async () => {
    mockApi({ QbSettings: () => ({ __status: 403, __body: { errors: [{ message: "no" }] } }) });
    renderWithBridge(<SettingsView />);

    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the settings");
  });

  it("saves how often QuickBooks' lists are read as a number of hours", async () => {
    const api = settingsApi();
    renderWithBridge(<SettingsView />);
    const user = userEvent.setup();

    const hours = await screen.findByLabelText("Read QuickBooks lists every (hours)");
    expect(hours).toHaveValue(24);
    await user.clear(hours);
    await user.type(hours, "6");
    await user.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(api.named("QbSettingsUpdate")).toHaveLength(1));
    expect(api.named("QbSettingsUpdate")[0].variables).toEqual({ input: { listsMaxAgeHours: 6 } });
  });

  describe("names of QuickBooks records", () => {
    it("offers the records QuickBooks' list has for the setting, narrowed by what is typed, and saves the one picked", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const box = await screen.findByRole("combobox", { name: "Deposit to account" });
      await user.click(box);
      const list = await screen.findByRole("listbox", { name: "QuickBooks accounts for Deposit to account" });
      expect(within(list).getAllByRole("option").map((o) => o.textContent)).toEqual([
        "Checkingbank", "Undeposited Fundsother current asset"]);
      // every record first, not only the one already chosen
      expect(api.named("QbListChoices")[0].variables).toEqual({ setting: "depositToAccount", search: "", first: 8 });

      await user.clear(box);
      await user.type(box, "che");
      await waitFor(() => expect(api.named("QbListChoices").at(-1)?.variables.search).toBe("che"));
      await waitFor(() => expect(within(list).getAllByRole("option")).toHaveLength(1));
      await user.click(within(list).getByRole("option", { name: /Checking/ }));

      expect(box).toHaveValue("Checking");
      expect(screen.queryByRole("listbox")).not.toBeInTheDocument();
      await user.click(screen.getByRole("button", { name: "Save" }));
      await screen.findByText("Settings saved.");
      expect(api.named("QbSettingsUpdate")[0].variables).toEqual({ input: { depositToAccount: "Checking" } });
    });

    it("picks with the keyboard and closes with Escape", async () => {
      settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const box = await screen.findByRole("combobox", { name: "Accounts receivable account" });
      await user.click(box);
      await screen.findAllByRole("option");
      await user.keyboard("{ArrowDown}{ArrowDown}");
      expect(box).toHaveAttribute("aria-activedescendant", screen.getAllByRole("option")[1].id);
      await user.keyboard("{Enter}");
      expect(box).toHaveValue("Undeposited Funds");
      await user.keyboard("{ArrowDown}");
      expect(await screen.findByRole("listbox")).toBeInTheDocument();
      await user.keyboard("{Escape}");
      expect(screen.queryByRole("listbox")).not.toBeInTheDocument();
    });

    it("shows what QuickBooks' lists say of each saved name until it is changed", async () => {
      settingsApi({
        listProblems: [
          { field: "depositToAccount", severity: "ERROR", code: "inactive_in_quickbooks", value: "Undeposited Funds",
            message: "The account \"Undeposited Funds\" is inactive in QuickBooks, which refuses transactions that use it: make it active in QuickBooks, or pick another." },
          { field: "shippingItemName", severity: "NOTICE", code: "created_by_export", value: "Shipping",
            message: "QuickBooks has no item named \"Shipping\" yet: the first export that needs it adds it (an other-charge item)." },
        ],
      });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const deposit = await screen.findByRole("combobox", { name: "Deposit to account" });
      expect(deposit).toHaveAccessibleDescription(/is inactive in QuickBooks/);
      expect(screen.getByRole("combobox", { name: "Shipping item" })).toHaveAccessibleDescription(/the first export that needs it adds it/);

      await user.clear(deposit);
      await user.type(deposit, "Checking");
      expect(deposit).not.toHaveAccessibleDescription(/inactive/);
    });

    it("names the setting QuickBooks' lists refuse, saving nothing", async () => {
      settingsApi({}, () => ({
        qbSettingsUpdate: {
          settings: null,
          errors: [{ field: "depositToAccount", code: "NOT_IN_QUICKBOOKS",
            message: "QuickBooks has no account named \"Undeposted Funds\": pick one from the list, or add it in QuickBooks and refresh the lists." }],
        },
      }));
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const deposit = await screen.findByRole("combobox", { name: "Deposit to account" });
      await user.clear(deposit);
      await user.type(deposit, "Undeposted Funds");
      await user.click(screen.getByRole("button", { name: "Save" }));

      expect(await screen.findByText("Nothing was saved: correct the settings marked below.")).toBeInTheDocument();
      expect(deposit).toHaveAccessibleDescription(/QuickBooks has no account named "Undeposted Funds"/);
      expect(deposit).toHaveAttribute("aria-invalid", "true");
    });

    it("offers QuickBooks' payment methods in the payment method rows", async () => {
      const api = settingsApi();
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const cell = await screen.findByRole("combobox", { name: "QuickBooks payment method, row 1" });
      await user.click(cell);
      await screen.findByRole("listbox", { name: "QuickBooks payment methods" });
      expect(api.named("QbListChoices")[0].variables).toMatchObject({ setting: "paymentMethods" });
    });

    it("says when the lists were read, and asks for a refresh", async () => {
      const api = settingsApi();
      let waiting = false;
      api.handle("QbQuickBooksLists", () => ({ qbQuickBooksLists: { ...LISTS, refreshWaiting: waiting } }));
      api.handle("QbQuickBooksListsRefresh", () => {
        waiting = true;
        return { qbQuickBooksListsRefresh: { pendingOperation: { id: "op" }, errors: [] } };
      });
      renderWithBridge(<SettingsView />);
      const user = userEvent.setup();

      const status = await screen.findByTestId("lists-status");
      expect(status).toHaveTextContent(/as Web Connector last read them/);
      await user.click(within(status).getByRole("button", { name: "Refresh QuickBooks lists" }));

      expect(await within(status).findByText("A refresh waits for the next Web Connector update.")).toBeInTheDocument();
      expect(within(status).getByRole("button", { name: "Refresh QuickBooks lists" })).toBeDisabled();
    });

    it("says when Web Connector never read the lists", async () => {
      const api = settingsApi();
      api.handle("QbQuickBooksLists", () => ({
        qbQuickBooksLists: { ...LISTS, lists: LISTS.lists.map((l) => ({ ...l, lastReadAt: null })) },
      }));
      renderWithBridge(<SettingsView />);

      expect(await screen.findByTestId("lists-status")).toHaveTextContent(/has not read QuickBooks' lists yet/);
    });
  });
});
