/** Settings: every preference of the plugin page, with the control that fits it (Saleor's plugin
 * page offers only text boxes). Saves only what changed; the server validates as the plugin page
 * does and names each bad field. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type CSSProperties, type ReactNode, useEffect, useState } from "react";

import {
  asApiError,
  type Channel,
  type ExportableOrderStatus,
  graphql,
  LISTS_REFRESH,
  QUICKBOOKS_LISTS,
  type QuickBooksLists,
  SETTINGS,
  SETTINGS_UPDATE,
  type Settings,
  type SettingsInput,
  type SettingProblem,
  payload,
  useQuery,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { ListPicker } from "../components/ListPicker";
import { formatAgo } from "../format";
import { ErrorNotice, Heading, Loading, Notice } from "../components/ui";

type Option<V extends string> = { value: V; label: string; help: string };

export const EXPORT_MODES: Option<Settings["exportMode"]>[] = [
  { value: "ON_DEMAND", label: "On demand", help: "Only orders staff queue in Transfer orders go to QuickBooks." },
  { value: "AUTOMATIC", label: "Automatic", help: "Every new eligible order goes to QuickBooks on each Web Connector run." },
];
const TRANSACTION_TYPES: Option<Settings["transactionType"]>[] = [
  { value: "BY_PAYMENT_STATUS", label: "By payment status", help: "Fully paid orders become sales receipts, the others invoices." },
  { value: "INVOICE", label: "Invoice", help: "The customer owes it until it is paid." },
  { value: "SALES_RECEIPT", label: "Sales receipt", help: "Paid at the time of sale." },
  { value: "SALES_ORDER", label: "Sales order", help: "Recorded in QuickBooks, not yet invoiced." },
];
const CUSTOMER_MODES: Option<Settings["customerMode"]>[] = [
  { value: "PER_CUSTOMER", label: "One customer per buyer", help: "Each buyer gets their own QuickBooks customer." },
  { value: "SINGLE_CUSTOMER", label: "One customer for every order", help: "Every order goes to the single customer named below." },
];
const CUSTOMER_NAME_FORMATS: Option<Settings["customerNameFormat"]>[] = [
  { value: "FIRST_LAST", label: "First and last name", help: "Jane Doe" },
  { value: "LAST_FIRST", label: "Last name, first name", help: "Doe, Jane" },
  { value: "EMAIL", label: "E-mail address", help: "jane.doe@example.com" },
  { value: "COMPANY_OR_NAME", label: "Company, else name", help: "The billing company; the person's name when there is none." },
];
const ITEM_MODES: Option<Settings["itemMode"]>[] = [
  { value: "BY_SKU", label: "By SKU", help: "Each product is the QuickBooks item named by its SKU." },
  { value: "SINGLE_ITEM", label: "One item", help: "Every product line uses the default item." },
];
const MISSING_ITEM_ACTIONS: Option<Settings["missingItemAction"]>[] = [
  { value: "CREATE", label: "Create it", help: "Add it to QuickBooks as a non-inventory item." },
  { value: "USE_DEFAULT", label: "Use the default item", help: "The line goes on the default item instead." },
  { value: "FAIL", label: "Fail the order", help: "Record the order as failed, for you to fix in QuickBooks." },
];
const TAX_MODES: Option<Settings["taxMode"]>[] = [
  { value: "LINE_ITEM", label: "Saleor's tax as one line", help: "Saleor's tax, to the cent, as one line on the sales tax item." },
  { value: "QUICKBOOKS_TAX_ITEM", label: "QuickBooks computes the tax", help: "Lines are marked taxable or not; QuickBooks computes tax with its sales tax item." },
];
const EDIT_UPDATES: Option<Settings["updateEditedOrders"]>[] = [
  { value: "ASK", label: "Show them and wait for me", help: "The order shows as changed since export, with what changed; choose Update in QuickBooks on its page to send the change." },
  { value: "AUTOMATIC", label: "Update QuickBooks automatically", help: "The next Web Connector update changes the QuickBooks transaction to match." },
  { value: "OFF", label: "Leave QuickBooks as exported", help: "Edits after export are not compared or shown." },
];
export const ORDER_STATUSES: { value: ExportableOrderStatus; label: string }[] = [
  { value: "UNFULFILLED", label: "Unfulfilled" },
  { value: "PARTIALLY_FULFILLED", label: "Partially fulfilled" },
  { value: "FULFILLED", label: "Fulfilled" },
  { value: "PARTIALLY_RETURNED", label: "Partially returned" },
  { value: "RETURNED", label: "Returned" },
  { value: "CANCELED", label: "Canceled" },
  { value: "EXPIRED", label: "Expired" },
];

type Editable = Omit<Settings, "qbxmlVersion" | "webConnectorPasswordSet" | "canEdit" | "listProblems">;
type Key = keyof Editable;
/** One row of a list of pairs as typed: a payment method ("saleor=QuickBooks") or an exchange
 * rate ("CODE=rate"). */
type PairRow = { key: number; left: string; right: string };
/** The form's values: numbers as typed, the date as the date input's text, the payment methods
 * and exchange rates as rows, a new password. */
type Draft = Omit<
  Editable,
  "ordersPerRequest" | "runEveryMinutes" | "listsMaxAgeHours" | "exportStartDate" | "paymentMethods"
  | "exchangeRates"
> & {
  ordersPerRequest: string;
  runEveryMinutes: string;
  listsMaxAgeHours: string;
  exportStartDate: string;
  paymentMethods: PairRow[];
  exchangeRates: PairRow[];
  webConnectorPassword: string;
};
type FieldName = keyof Draft;
/** The on/off settings, each shown as a switch. */
type SwitchKey = "checkDuplicates" | "recordPayments" | "recordRefunds" | "refundMoney" | "voidCancelled";
/** The settings that name a QuickBooks record, each chosen from QuickBooks' list. */
type PickerKey =
  | "depositToAccount" | "arAccount" | "className" | "refundItemName" | "singleCustomerName"
  | "defaultItemName" | "incomeAccount" | "shippingItemName" | "discountItemName"
  | "giftCardItemName" | "giftCardAccount" | "salesTaxItemName" | "salesTaxAccount";

let nextRowKey = 0;
const newRow = (left = "", right = ""): PairRow => ({ key: ++nextRowKey, left, right });

/** "card=Credit Card" or "EUR=1.08" → a row (split at the first "=", as the server does). */
function toRow(pair: string): PairRow {
  const at = pair.indexOf("=");
  return at < 0 ? newRow(pair) : newRow(pair.slice(0, at), pair.slice(at + 1));
}

/** The rows as the API takes them ("saleor=QuickBooks"; empty rows left out), or why not. */
function paymentMethodPairs(rows: PairRow[]): { pairs: string[]; invalid?: string } {
  const pairs: string[] = [];
  for (const row of rows) {
    const saleor = row.left.trim();
    const quickbooks = row.right.trim();
    if (!saleor && !quickbooks) continue;
    if (!saleor || !quickbooks) {
      return { pairs, invalid: "Fill in both the Saleor payment and the QuickBooks payment method of each row, or remove the row." };
    }
    if (saleor.includes("=")) return { pairs, invalid: `A Saleor payment cannot contain "=" (${saleor}).` };
    pairs.push(`${saleor}=${quickbooks}`);
  }
  return { pairs };
}

/** The exchange rate rows as the API takes them ("CODE=rate", the code in capitals; empty rows
 * left out), or why not. The server checks the rest (a three-letter code, listed once). */
function exchangeRatePairs(rows: PairRow[]): { pairs: string[]; invalid?: string } {
  const pairs: string[] = [];
  for (const row of rows) {
    const code = row.left.trim().toUpperCase();
    const rate = row.right.trim();
    if (!code && !rate) continue;
    if (!code || !rate) {
      return { pairs, invalid: "Fill in both the currency and its rate in each row, or remove the row." };
    }
    const number = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(rate) ? Number(rate) : Number.NaN;
    if (Number.isNaN(number)) {
      return { pairs, invalid: `The rate for ${code} (${rate}) is not a number: write it with a point for decimals, e.g. 1.08.` };
    }
    if (number <= 0) return { pairs, invalid: `The rate for ${code} must be more than 0.` };
    pairs.push(`${code}=${rate.replace(/^\+/, "")}`);
  }
  return { pairs };
}

/** The home currency as typed in the form, when it is a currency code. */
function homeCode(companyCurrency: string): string | null {
  const code = companyCurrency.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}

const EDITABLE: Key[] = [
  "exportMode", "transactionType", "checkDuplicates", "exportStartDate", "eligibleStatuses",
  "channels", "customerMode", "singleCustomerName", "customerNameFormat", "itemMode",
  "defaultItemName", "missingItemAction", "incomeAccount", "depositToAccount", "recordPayments",
  "paymentMethods", "recordRefunds", "refundMoney", "voidCancelled", "updateEditedOrders", "arAccount",
  "salesTaxAccount", "giftCardAccount", "shippingItemName", "discountItemName", "giftCardItemName",
  "refundItemName", "taxMode", "salesTaxItemName", "refNumberPrefix", "className", "ordersPerRequest",
  "webConnectorUsername", "companyFile", "timeZone", "runEveryMinutes", "listsMaxAgeHours",
  "companyCurrency",
  "exchangeRates",
];

function toDraft(settings: Settings): Draft {
  const { qbxmlVersion: _v, webConnectorPasswordSet: _p, canEdit: _c, listProblems: _l, ...rest } = settings;
  return {
    ...rest,
    exportStartDate: settings.exportStartDate ?? "",
    ordersPerRequest: String(settings.ordersPerRequest),
    runEveryMinutes: String(settings.runEveryMinutes),
    listsMaxAgeHours: String(settings.listsMaxAgeHours),
    paymentMethods: settings.paymentMethods.map(toRow),
    exchangeRates: settings.exchangeRates.map(toRow),
    webConnectorPassword: "",
  };
}

const sameList = (a: string[], b: string[]) => [...a].sort().join("\n") === [...b].sort().join("\n");

/** The settings the draft changes, as qbSettingsUpdate takes them, or the fields it cannot send. */
export function changedSettings(
  saved: Settings,
  draft: Draft,
): { input: SettingsInput; invalid: Partial<Record<FieldName, string>> } {
  const input: Record<string, unknown> = {};
  const invalid: Partial<Record<FieldName, string>> = {};
  for (const key of EDITABLE) {
    const before = saved[key];
    const after = draft[key];
    if (key === "ordersPerRequest" || key === "runEveryMinutes" || key === "listsMaxAgeHours") {
      const text = String(after).trim();
      if (!/^\d+$/.test(text)) {
        invalid[key] = "Enter a whole number.";
      } else if (Number(text) !== before) {
        input[key] = Number(text);
      }
    } else if (key === "exportStartDate") {
      const date = String(after) || null;
      if (date !== before) input[key] = date;
    } else if (key === "paymentMethods") {
      const { pairs, invalid: why } = paymentMethodPairs(draft.paymentMethods);
      if (why) invalid[key] = why;
      else if (!sameList(saved.paymentMethods, pairs)) input[key] = pairs;
    } else if (key === "exchangeRates") {
      const { pairs, invalid: why } = exchangeRatePairs(draft.exchangeRates);
      if (why) invalid[key] = why;
      else if (!sameList(saved.exchangeRates, pairs)) input[key] = pairs;
    } else if (Array.isArray(before)) {
      if (!sameList(before, after as string[])) input[key] = after;
    } else if (after !== before) {
      input[key] = after;
    }
  }
  if (draft.webConnectorPassword) input.webConnectorPassword = draft.webConnectorPassword;
  return { input: input as SettingsInput, invalid };
}

/** `onSaved`: the settings changed (the status line shows the export mode). `multicurrency`:
 * QuickBooks' currencies when its preferences said multicurrency is on, else null. */
export function SettingsView({
  onSaved,
  multicurrency = null,
}: {
  onSaved?: () => void;
  multicurrency?: string[] | null;
}) {
  const query = useQuery(SETTINGS, {});
  if (query.loading && !query.data) return <Loading label="Loading the settings…" />;
  if (query.error || !query.data) {
    return (
      <ErrorNotice title="Could not load the settings" error={query.error ?? "No answer."} onRetry={query.reload} />
    );
  }
  return (
    <SettingsForm initial={query.data.qbSettings} channels={query.data.qbChannels} onSaved={onSaved}
      multicurrency={multicurrency} />
  );
}

const INPUT_STYLE: CSSProperties = {
  font: "inherit",
  color: "inherit",
  background: "var(--mu-colors-background-default1)",
  border: "1px solid var(--mu-colors-border-default1)",
  borderRadius: "var(--mu-border-radius-3)",
  padding: "6px var(--mu-spacing-2)",
  minHeight: 32,
  maxWidth: 420,
};

function SettingsForm({
  initial,
  channels,
  onSaved,
  multicurrency,
}: {
  initial: Settings;
  channels: Channel[];
  onSaved?: () => void;
  multicurrency: string[] | null;
}) {
  const bridge = useBridge();
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [saving, setSaving] = useState(false);
  const readOnly = !saved.canEdit;
  const { input, invalid } = changedSettings(saved, draft);
  const changedCount = Object.keys(input).length;
  const dirty = changedCount > 0 || Object.keys(invalid).length > 0;

  const set = <K extends FieldName>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setDone(false);
  };

  const save = async () => {
    setDone(false);
    setFormError(null);
    if (Object.keys(invalid).length > 0) {
      setErrors(invalid);
      return;
    }
    setSaving(true);
    try {
      const data = await graphql(bridge, SETTINGS_UPDATE, { input });
      const result = payload(data.qbSettingsUpdate);
      if (result.errors.length > 0 || !result.settings) {
        const byField: Partial<Record<FieldName, string>> = {};
        const other: string[] = [];
        for (const error of result.errors) {
          if (error.field && error.field in draft) byField[error.field as FieldName] = error.message;
          else other.push(error.message);
        }
        setErrors(byField);
        setFormError(
          other.length > 0 ? other.join(" ") : "Nothing was saved: correct the settings marked below.",
        );
        return;
      }
      setErrors({});
      setSaved(result.settings);
      setDraft(toDraft(result.settings));
      setDone(true);
      onSaved?.();
    } catch (error) {
      setFormError(asApiError(error).message);
    } finally {
      setSaving(false);
    }
  };

  const radio = <K extends FieldName>(key: K, legend: string, options: Option<Draft[K] & string>[]) => (
    <Fieldset legend={legend} error={errors[key]} name={key}>
      {options.map((option) => (
        <label key={option.value} style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
          <input
            type="radio"
            name={`qb-${key}`}
            value={option.value}
            checked={draft[key] === option.value}
            disabled={readOnly}
            onChange={() => set(key, option.value as Draft[K])}
            style={{ marginTop: 3 }}
          />
          <span>
            <Text size={3} fontWeight="medium">
              {option.label}
            </Text>
            <br />
            <Text size={2} color="default2">
              {option.help}
            </Text>
          </span>
        </label>
      ))}
    </Fieldset>
  );

  const text = (key: FieldName, label: string, help: string, type: "text" | "number" | "password" = "text") => (
    <Field name={key} label={label} help={help} error={errors[key]}>
      {(describedBy) => (
        <input
          type={type}
          id={`qb-setting-${key}`}
          value={String(draft[key])}
          disabled={readOnly}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={describedBy}
          autoComplete={type === "password" ? "new-password" : "off"}
          onChange={(e) => set(key, e.target.value as Draft[typeof key])}
          style={INPUT_STYLE}
        />
      )}
    </Field>
  );

  // what our copy of QuickBooks' lists says of a setting's saved name (none once it is edited:
  // saving checks the new one)
  const problemsOf = (key: FieldName): SettingProblem[] =>
    String(draft[key]) === String(saved[key as keyof Settings]) ? saved.listProblems.filter((p) => p.field === key) : [];

  /** A name of a QuickBooks record, with the records the setting may name to pick from. */
  const picker = (key: PickerKey, label: string, help: string, what: string) => (
    <Field name={key} label={label} help={help} error={errors[key]} problems={problemsOf(key)}>
      {(describedBy) => (
        <ListPicker
          setting={key}
          id={`qb-setting-${key}`}
          label={`QuickBooks ${what} for ${label}`}
          value={draft[key]}
          disabled={readOnly}
          invalid={Boolean(errors[key])}
          describedBy={describedBy}
          onChange={(value) => set(key, value)}
          style={INPUT_STYLE}
        />
      )}
    </Field>
  );

  const toggle = (key: SwitchKey, label: string, help: string, disabled = false) => (
    <Field name={key} label={label} error={errors[key]} help={help}>
      {(describedBy) => (
        <Box display="flex" gap={2} alignItems="center">
          <input type="checkbox" role="switch" className="qb-checkbox" id={`qb-setting-${key}`}
            checked={draft[key]} disabled={readOnly || disabled} aria-describedby={describedBy}
            onChange={(e) => set(key, e.target.checked)} />
          <Text size={3} aria-hidden>
            {draft[key] ? "On" : "Off"}
          </Text>
        </Box>
      )}
    </Field>
  );

  const toggleIn = (key: "eligibleStatuses" | "channels", value: string, on: boolean) => {
    const current = draft[key] as string[];
    set(key, (on ? [...current, value] : current.filter((v) => v !== value)) as Draft[typeof key]);
  };
  // a channel chosen before but no longer offered (or not visible to you) stays listed
  const channelChoices = [
    ...channels,
    ...draft.channels.filter((slug) => !channels.some((c) => c.slug === slug)).map((slug) => ({ slug, name: slug })),
  ];

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Heading>Settings</Heading>
      <Notice tone="info">
        These are the settings of the plugin page (Extensions → QuickBooks Desktop Sync (settings)),
        shown with their choices: a change here is a change there.
      </Notice>
      {readOnly ? (
        <Notice tone="warning" role="note" title="Read only">
          You need the Manage plugins permission to change these settings.
        </Notice>
      ) : null}
      <ListsStatus />

      <Section title="Export">
        {radio("exportMode", "Export mode", EXPORT_MODES)}
        <Field name="exportStartDate" label="Export orders from" help="Automatic mode ignores orders placed before this day. Empty: all orders." error={errors.exportStartDate}>
          {(describedBy) => (
            <input
              type="date"
              id="qb-setting-exportStartDate"
              value={draft.exportStartDate}
              disabled={readOnly}
              aria-describedby={describedBy}
              onChange={(e) => set("exportStartDate", e.target.value)}
              style={INPUT_STYLE}
            />
          )}
        </Field>
        <Fieldset legend="Order statuses to export" error={errors.eligibleStatuses} name="eligibleStatuses"
          help="Draft and unconfirmed orders are never exported: their prices are not final.">
          {ORDER_STATUSES.map((status) => (
            <Check key={status.value} label={status.label} checked={draft.eligibleStatuses.includes(status.value)}
              disabled={readOnly} onChange={(on) => toggleIn("eligibleStatuses", status.value, on)} />
          ))}
        </Fieldset>
        <Fieldset legend="Channels to export" error={errors.channels} name="channels"
          help="None chosen: orders of every channel are exported.">
          {channelChoices.length === 0 ? (
            <Text size={3} color="default2">No channel has orders yet.</Text>
          ) : (
            channelChoices.map((channel) => (
              <Check key={channel.slug} label={channel.name === channel.slug ? channel.slug : `${channel.name} (${channel.slug})`}
                checked={draft.channels.includes(channel.slug)} disabled={readOnly}
                onChange={(on) => toggleIn("channels", channel.slug, on)} />
            ))
          )}
        </Fieldset>
        {toggle("checkDuplicates", "Check QuickBooks for duplicates",
          "Before adding an order, ask QuickBooks whether it already has it (by number) and link to it instead of adding a second copy.")}
      </Section>

      <Section title="Transactions">
        {radio("transactionType", "QuickBooks transaction type", TRANSACTION_TYPES)}
        {picker("depositToAccount", "Deposit to account", "Where sales receipts and received payments are deposited, and refunds paid from, e.g. Undeposited Funds.", "accounts")}
        {toggle("recordPayments", "Record payments on invoices",
          "When an order exported as an invoice is charged in Saleor, at once or in parts later, receive each payment in QuickBooks against that invoice, deposited to the deposit account above.")}
        <PaymentMethodsEditor rows={draft.paymentMethods} error={errors.paymentMethods} readOnly={readOnly}
          problems={input.paymentMethods ? [] : saved.listProblems.filter((p) => p.field === "paymentMethods")}
          onChange={(rows) => set("paymentMethods", rows)} />
        {picker("arAccount", "Accounts receivable account", "For invoices, e.g. Accounts Receivable.", "accounts")}
        {text("refNumberPrefix", "Number prefix", "Put before the Saleor order number in QuickBooks (at most 8 characters; the whole number must fit 11).")}
        {picker("className", "QuickBooks class", "Class for every transaction; empty for none.", "classes")}
      </Section>

      <Section title="Refunds and cancellations">
        {toggle("recordRefunds", "Record refunds as credit memos",
          "When Saleor refunds an order that is in QuickBooks (an invoice or a sales receipt), add a credit memo with the refunded lines, shipping and tax.")}
        {toggle("refundMoney", "Record the money refunded",
          "Also record the money going back against each credit memo, as a refund paid from the deposit account; off leaves the credit on the customer's account." +
            (draft.recordRefunds ? "" : " Turn on Record refunds as credit memos to use this."),
          !draft.recordRefunds)}
        {picker("refundItemName", "Refund item",
          "Other-charge item for money Saleor refunded without naming lines, and for a refund's difference from its lines, e.g. Saleor Refund.", "items")}
        {toggle("voidCancelled", "Void cancelled orders",
          "When an order in QuickBooks is cancelled in Saleor and no money moved, void its invoice or sales receipt; when money moved, it is not voided and the order's QuickBooks documents (on the order's page) say why, for you to decide.")}
        {radio("updateEditedOrders", "When staff change an exported order's billing or shipping address", EDIT_UPDATES)}
      </Section>

      <Section title="Customers">
        {radio("customerMode", "Customers", CUSTOMER_MODES)}
        {picker("singleCustomerName", "Single customer name", "The QuickBooks customer every order goes to with one customer for every order.", "customers")}
        <Field name="customerNameFormat" label="Customer name format" error={errors.customerNameFormat}
          help={CUSTOMER_NAME_FORMATS.find((f) => f.value === draft.customerNameFormat)?.help ?? ""}>
          {(describedBy) => (
            <select id="qb-setting-customerNameFormat" value={draft.customerNameFormat} disabled={readOnly}
              aria-describedby={describedBy} style={INPUT_STYLE}
              onChange={(e) => set("customerNameFormat", e.target.value as Draft["customerNameFormat"])}>
              {CUSTOMER_NAME_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>{f.label}</option>
              ))}
            </select>
          )}
        </Field>
      </Section>

      <Section title="Items and accounts">
        {radio("itemMode", "Items", ITEM_MODES)}
        {picker("defaultItemName", "Default item", "Item used with one item for every line, and as the fallback.", "items")}
        {radio("missingItemAction", "When an item is missing in QuickBooks", MISSING_ITEM_ACTIONS)}
        {picker("incomeAccount", "Income account", "Account for items the export creates.", "accounts")}
        {picker("shippingItemName", "Shipping item", "Other-charge item for shipping.", "items")}
        {picker("discountItemName", "Discount item", "Other-charge item for vouchers and discounts (a negative line).", "items")}
        {picker("giftCardItemName", "Gift card item", "Other-charge item for gift cards sold and gift cards applied.", "items")}
        {picker("giftCardAccount", "Gift card account", "Account of the gift card item the export creates (a liability such as Gift Card Liability); empty uses the income account.", "accounts")}
      </Section>

      <Section title="Sales tax">
        {radio("taxMode", "Sales tax", TAX_MODES)}
        {picker("salesTaxItemName", "Sales tax item", "Item for Saleor's tax, or QuickBooks' sales tax item.", "items")}
        {picker("salesTaxAccount", "Sales tax account", "Account of the sales tax item the export creates, e.g. Sales Tax Payable.", "accounts")}
      </Section>

      <Section title="Web Connector and company">
        {text("webConnectorUsername", "Web Connector user name", "Type this user name in Web Connector; it is in the .qwc file.")}
        {text("webConnectorPassword", "New Web Connector password",
          `${saved.webConnectorPasswordSet ? "A password is set" : "No password is set yet"}; type a new one to replace it. Stored only as a hash.`, "password")}
        {text("companyFile", "QuickBooks company file", "Full path of the company file; empty uses the file open in QuickBooks.")}
        {text("runEveryMinutes", "Run every (minutes)", "Web Connector's schedule in the .qwc file (1-1440).", "number")}
        {text("listsMaxAgeHours", "Read QuickBooks lists every (hours)", "How old QuickBooks' accounts, items and customers as we last read them may be before a Web Connector update reads them again, only what changed (0-8760; 0: only when someone asks for a refresh).", "number")}
        {text("ordersPerRequest", "Orders per request", "The most orders in one request to QuickBooks (1-500; a request also stays under 1 MB). Lower it for a slow QuickBooks.", "number")}
        {text("timeZone", "Store time zone", "Used for date ranges, e.g. America/New_York.")}
        {text("companyCurrency", "QuickBooks home currency",
          multicurrency
            ? "The home currency of the QuickBooks company file, e.g. USD; it must be QuickBooks' own. QuickBooks has multicurrency on, so orders in other currencies are booked in their own currency."
            : "The currency of the QuickBooks company file, e.g. USD. Orders in other currencies are converted at their exchange rate below, or refused when they have none.")}
        <ExchangeRatesEditor rows={draft.exchangeRates} home={homeCode(draft.companyCurrency)}
          multicurrency={multicurrency}
          error={errors.exchangeRates} readOnly={readOnly} onChange={(rows) => set("exchangeRates", rows)} />
        <Text size={3} color="default2">
          qbXML version: <span className="qb-mono">{saved.qbxmlVersion}</span>
        </Text>
      </Section>

      {formError ? <ErrorNotice title="Could not save the settings" error={formError} /> : null}
      {done ? <Notice tone="success">Settings saved.</Notice> : null}
      {readOnly ? null : (
        <Box display="flex" gap={3} alignItems="center">
          <Button variant="primary" onClick={save} disabled={saving || !dirty}>
            {saving ? "Saving…" : "Save"}
          </Button>
          <Text size={3} color="default2">
            {!dirty ? "No changes." : changedCount === 0 ? "" : changedCount === 1 ? "1 setting changed." : `${changedCount} settings changed.`}
          </Text>
        </Box>
      )}
    </Box>
  );
}

/** Saleor payment (method type or gateway) → QuickBooks payment method, one row each. */
function PaymentMethodsEditor(props: {
  rows: PairRow[];
  error?: string;
  problems: SettingProblem[];
  readOnly: boolean;
  onChange: (rows: PairRow[]) => void;
}) {
  return (
    <PairsEditor {...props} legend="Payment methods" name="paymentMethods" idPrefix="qb-payment-method"
      rowTestId="payment-method-row" maxWidth={720}
      help="The QuickBooks payment method a received payment gets, by the Saleor payment's method type (e.g. card, gift_card) or gateway (e.g. mirumee.payments.stripe). A payment not listed gets none. Each QuickBooks payment method must exist in the company file (Lists → Customer & Vendor Profile Lists → Payment Method List)."
      columns={[
        { header: "Saleor payment (method type or gateway)", id: "saleor", placeholder: "e.g. card" },
        { header: "QuickBooks payment method", id: "quickbooks", placeholder: "e.g. Credit Card",
          picker: { setting: "paymentMethods", what: "payment methods" } },
      ]}
      empty="None listed: payments are received without a payment method."
      addLabel="Add payment method" removeLabel={(row) => `Remove row ${row}`} />
  );
}

/** Another currency → the home currency per 1 unit of it, one row each. */
function ExchangeRatesEditor({
  home,
  ...props
}: {
  rows: PairRow[];
  /** the home currency's code as typed in the form; null while it is not one */
  home: string | null;
  multicurrency?: string[] | null;
  error?: string;
  readOnly: boolean;
  onChange: (rows: PairRow[]) => void;
}) {
  const { multicurrency, ...rest } = props;
  const homeName = home ?? "the home currency";
  // an example a bookkeeper recognises: 1 EUR = 1.08 USD, or the other way round for a EUR company
  const [foreign, rate] = home === "EUR" ? ["USD", "0.93"] : ["EUR", "1.08"];
  const example = home ? `1 ${foreign} = ${rate} ${home}` : `1 ${foreign} = ${rate} in the home currency`;
  return (
    <PairsEditor {...rest} legend="Exchange rates" name="exchangeRates" idPrefix="qb-exchange-rate"
      rowTestId="exchange-rate-row" maxWidth={520}
      help={multicurrency
        ? `QuickBooks has multicurrency on${multicurrency.length ? ` (its currencies: ${multicurrency.join(", ")})` : ""}: an order in one of its currencies is booked in that currency, for a customer in it. A rate listed here, what 1 unit is worth in ${homeName} (e.g. ${example}), is the exchange rate its transaction carries; without one QuickBooks' own rate applies. Write decimals with a point.`
        : `What 1 unit of another currency is worth in ${homeName}, e.g. ${example}: enter ${foreign} and ${rate}. Orders in a listed currency are converted to ${homeName} at its rate, and their memo in QuickBooks says so. An order in any other currency is refused, never booked with its own amounts as ${homeName}. Change a rate here when it changes; write decimals with a point.`}
      columns={[
        { header: "Currency", id: "currency", placeholder: "e.g. EUR", upperCase: true, size: 6 },
        { header: "Home currency per 1 unit", id: "rate", placeholder: "e.g. 1.08", inputMode: "decimal" },
      ]}
      empty={multicurrency
        ? "None listed: QuickBooks' own exchange rates apply."
        : `None listed: orders in another currency than ${homeName} are refused.`}
      addLabel="Add exchange rate" removeLabel={(row) => `Remove exchange rate, row ${row}`} />
  );
}

type PairColumn = {
  /** the column's header; each box is named "<header>, row <n>" */
  header: string;
  /** a name of a QuickBooks record: the box offers those the setting may name */
  picker?: { setting: string; what: string };
  /** a box's id is `<idPrefix>-<row key>-<id>` */
  id: string;
  placeholder: string;
  inputMode?: "decimal";
  /** what is typed is shown (and kept) in capitals */
  upperCase?: boolean;
  size?: number;
};

/** Rows of two boxes with add and remove, e.g. the payment methods (read only: no buttons). After
 * adding a row its first box gets the focus; after removing one, the add button. */
function PairsEditor({
  legend,
  name,
  help,
  idPrefix,
  rowTestId,
  maxWidth,
  columns,
  empty,
  addLabel,
  removeLabel,
  rows,
  error,
  problems = [],
  readOnly,
  onChange,
}: {
  legend: string;
  name: FieldName;
  help: string;
  idPrefix: string;
  rowTestId: string;
  maxWidth: number;
  columns: [PairColumn, PairColumn];
  empty: string;
  addLabel: string;
  removeLabel: (row: number) => string;
  rows: PairRow[];
  error?: string;
  problems?: SettingProblem[];
  readOnly: boolean;
  onChange: (rows: PairRow[]) => void;
}) {
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => {
    if (focus) document.getElementById(focus)?.focus();
    setFocus(null);
  }, [focus]);
  const edit = (key: number, side: "left" | "right", value: string) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, [side]: value } : row)));
  const add = () => {
    const row = newRow();
    onChange([...rows, row]);
    setFocus(`${idPrefix}-${row.key}-${columns[0].id}`);
  };
  const remove = (key: number) => {
    onChange(rows.filter((row) => row.key !== key));
    setFocus(`${idPrefix}-add`);
  };
  const cell: CSSProperties = { ...INPUT_STYLE, width: "100%", boxSizing: "border-box" };
  const sides = ["left", "right"] as const;
  return (
    <Fieldset legend={legend} name={name} error={error} help={help}>
      {rows.length === 0 ? (
        <Text size={3} color="default2">
          {empty}
        </Text>
      ) : (
        <table className="qb-table" aria-label={legend} style={{ maxWidth }}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.id} scope="col">{column.header}</th>
              ))}
              {readOnly ? null : (
                <th scope="col">
                  <span className="qb-visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key} data-testid={rowTestId}>
                {columns.map((column, i) => (
                  <td key={column.id} style={{ verticalAlign: "middle" }}>
                    {column.picker ? (
                      <ListPicker setting={column.picker.setting} id={`${idPrefix}-${row.key}-${column.id}`}
                        label={`QuickBooks ${column.picker.what}`} ariaLabel={`${column.header}, row ${index + 1}`}
                        placeholder={column.placeholder} value={row[sides[i]]} disabled={readOnly}
                        invalid={false} onChange={(value) => edit(row.key, sides[i], value)} style={cell} />
                    ) : (
                      <input type="text" id={`${idPrefix}-${row.key}-${column.id}`} value={row[sides[i]]}
                        aria-label={`${column.header}, row ${index + 1}`}
                        placeholder={column.placeholder} autoComplete="off" disabled={readOnly}
                        inputMode={column.inputMode} size={column.size}
                        onChange={(e) => edit(row.key, sides[i], column.upperCase ? e.target.value.toUpperCase() : e.target.value)}
                        style={cell} />
                    )}
                  </td>
                ))}
                {readOnly ? null : (
                  <td style={{ verticalAlign: "middle" }}>
                    <Button variant="tertiary" size="small" aria-label={removeLabel(index + 1)}
                      onClick={() => remove(row.key)}>
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ListProblems id={`qb-setting-${name}-lists`} problems={problems} />
      {readOnly ? null : (
        <Box>
          <Button variant="secondary" id={`${idPrefix}-add`} onClick={add}>
            {addLabel}
          </Button>
        </Box>
      )}
    </Fieldset>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box as="section" display="flex" flexDirection="column" gap={4}>
      <Heading level={3}>{title}</Heading>
      {children}
    </Box>
  );
}

/** When Web Connector last read QuickBooks' lists (the pickers' choices, what saving checks
 * names against), and a button to have the next update read them again. */
function ListsStatus() {
  const bridge = useBridge();
  const { locale } = useBridgeState();
  const query = useQuery(QUICKBOOKS_LISTS, {});
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const lists: QuickBooksLists | null = query.data?.qbQuickBooksLists ?? null;
  if (!lists) return null;
  const unread = lists.lists.filter((l) => !l.lastReadAt);
  const oldest = lists.lists.map((l) => l.lastReadAt).filter((at): at is string => Boolean(at)).sort()[0];
  const refresh = async () => {
    setAsking(true);
    setProblem(null);
    try {
      const result = payload((await graphql(bridge, LISTS_REFRESH, {})).qbQuickBooksListsRefresh);
      if (result.errors.length > 0) setProblem(result.errors.map((e) => e.message).join(" "));
      query.reload();
    } catch (error) {
      setProblem(asApiError(error).message);
    } finally {
      setAsking(false);
    }
  };
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="lists-status">
      <Text size={3}>
        {unread.length === lists.lists.length
          ? "Web Connector has not read QuickBooks' lists yet: the account, item and customer boxes offer nothing to pick, and names are checked only at the first export."
          : `The boxes offer QuickBooks' accounts, items, customers, classes and payment methods as Web Connector last read them (${oldest ? formatAgo(oldest, new Date(), locale) : ""}${unread.length ? `; not yet: ${unread.map((l) => l.label.toLowerCase()).join(", ")}` : ""}). Saving checks each name against them.`}
      </Text>
      <Box display="flex" gap={3} alignItems="center">
        <Button variant="secondary" onClick={refresh} disabled={asking || lists.refreshWaiting}>
          {asking ? "Asking…" : "Refresh QuickBooks lists"}
        </Button>
        {lists.refreshWaiting ? (
          <Text size={2} color="default2">A refresh waits for the next Web Connector update.</Text>
        ) : null}
      </Box>
      {problem ? <ErrorNotice title="Could not ask for a refresh" error={problem} /> : null}
    </Box>
  );
}

/** A saved name as our copy of QuickBooks' lists sees it: a problem, or what will happen. */
function ListProblems({ id, problems }: { id: string; problems: SettingProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <Box id={id} display="flex" flexDirection="column" gap={1} data-testid="list-problem">
      {problems.map((p) => (
        <Text key={`${p.code}-${p.value}`} size={2} color={p.severity === "ERROR" ? "critical1" : "default2"}>
          {p.severity === "ERROR" ? "QuickBooks: " : ""}
          {p.message}
        </Text>
      ))}
    </Box>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <Text id={id} size={3} color="critical1">
      {message}
    </Text>
  );
}

function Field({
  name,
  label,
  help,
  error,
  problems = [],
  children,
}: {
  name: string;
  label: string;
  help: string;
  error?: string;
  /** what our copy of QuickBooks' lists says of the saved value */
  problems?: SettingProblem[];
  children: (describedBy: string) => ReactNode;
}) {
  const helpId = `qb-setting-${name}-help`;
  const errorId = `qb-setting-${name}-error`;
  const problemsId = `qb-setting-${name}-lists`;
  const describedBy = [error ? errorId : "", problems.length ? problemsId : "", helpId].filter(Boolean).join(" ");
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <label htmlFor={`qb-setting-${name}`}>
        <Text size={3} fontWeight="medium">
          {label}
        </Text>
      </label>
      {children(describedBy)}
      <FieldError id={errorId} message={error} />
      <ListProblems id={problemsId} problems={problems} />
      <Text id={helpId} size={2} color="default2">
        {help}
      </Text>
    </Box>
  );
}

function Fieldset({
  legend,
  name,
  help,
  error,
  children,
}: {
  legend: string;
  name: string;
  help?: string;
  error?: string;
  children: ReactNode;
}) {
  const errorId = `qb-setting-${name}-error`;
  const helpId = `qb-setting-${name}-help`;
  return (
    <fieldset
      aria-describedby={[error ? errorId : "", help ? helpId : ""].filter(Boolean).join(" ") || undefined}
      aria-invalid={error ? true : undefined}
      style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 8 }}
    >
      <legend style={{ padding: 0, marginBottom: 4 }}>
        <Text size={3} fontWeight="medium">
          {legend}
        </Text>
      </legend>
      {children}
      <FieldError id={errorId} message={error} />
      {help ? (
        <Text id={helpId} size={2} color="default2">
          {help}
        </Text>
      ) : null}
    </fieldset>
  );
}

function Check({
  label,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label style={{ display: "flex", gap: 8, alignItems: "center" }}>
      <input type="checkbox" className="qb-checkbox" checked={checked} disabled={disabled}
        onChange={(e) => onChange(e.target.checked)} />
      <Text size={3}>{label}</Text>
    </label>
  );
}
