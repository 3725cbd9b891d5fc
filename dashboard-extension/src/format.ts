/** Dates and money in the Dashboard's locale (`localeChanged` from app-bridge). */

function safeLocale(locale: string | undefined): string {
  if (!locale) return "en";
  const tag = locale.replace(/_/g, "-");
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "en";
  } catch {
    return "en";
  }
}

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(safeLocale(locale), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

export function formatDate(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: "medium" }).format(date);
}

export function formatTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(safeLocale(locale), { timeStyle: "short" }).format(date);
}

export function formatMoney(amount: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(safeLocale(locale), { style: "currency", currency }).format(
      amount,
    );
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function formatNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(safeLocale(locale)).format(value);
}

/** "3 hours ago"-style, for the last Web Connector check-in. */
export function formatAgo(iso: string, now: Date, locale?: string): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  const format = new Intl.RelativeTimeFormat(safeLocale(locale), { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

const STATUS_LABELS: Record<string, string> = {
  QUEUED: "Queued",
  IN_PROGRESS: "In progress",
  DONE: "Done",
  FAILED: "Failed",
  DELETED: "Deleted",
  SENT: "Sent to QuickBooks",
  NEEDS_RECONCILING: "Checking QuickBooks",
  RESET: "Marked as not exported",
  UNFULFILLED: "Unfulfilled",
  PARTIALLY_FULFILLED: "Partially fulfilled",
  FULFILLED: "Fulfilled",
  CANCELED: "Canceled",
  RETURNED: "Returned",
  PARTIALLY_RETURNED: "Partially returned",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");
}

/** Split "Invoice" / "SalesReceipt" / "SalesOrder" into words. */
export function transactionLabel(type: string | null | undefined): string {
  if (!type) return "—";
  return type.replace(/([a-z])([A-Z])/g, "$1 $2");
}
