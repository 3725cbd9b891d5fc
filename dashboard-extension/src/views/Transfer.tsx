/**
 * Transfer orders: choose customer and dates, preview, tick orders, queue them for the next
 * Web Connector update. Choices survive paging: with everything selected the queue request is
 * `{filter, excludeOrderIds}` (so it covers orders on pages never opened), otherwise
 * `{orderIds}`.
 */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";

import {
  asApiError,
  type ApiError,
  FOLLOW_UPS_QUEUE,
  graphql,
  payload,
  PREVIEW,
  QUEUE,
  type SyncError,
  type SyncStatus,
  type TransferFilter,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { DryRunButton } from "../components/DryRun";
import { Badge, Empty, ErrorNotice, Heading, Loading, Notice, Pager } from "../components/ui";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatTime,
  plural,
  statusLabel,
  transactionLabel,
} from "../format";
import { usePagedQuery } from "../paging";
import { type CustomerChoice, CustomerPicker } from "./CustomerPicker";

export const PAGE_SIZE = 25;

type Selection = { mode: "all"; excluded: Set<string> } | { mode: "some"; included: Set<string> };

export function isSelected(selection: Selection, orderId: string): boolean {
  return selection.mode === "all"
    ? !selection.excluded.has(orderId)
    : selection.included.has(orderId);
}

export function selectedCount(selection: Selection, total: number): number {
  return selection.mode === "all" ? total - selection.excluded.size : selection.included.size;
}

export function queueInput(selection: Selection, filter: TransferFilter) {
  return selection.mode === "all"
    ? { filter, excludeOrderIds: [...selection.excluded] }
    : { orderIds: [...selection.included] };
}

function toggled(selection: Selection, orderId: string, on: boolean): Selection {
  if (selection.mode === "all") {
    const excluded = new Set(selection.excluded);
    if (on) excluded.delete(orderId);
    else excluded.add(orderId);
    return { mode: "all", excluded };
  }
  const included = new Set(selection.included);
  if (on) included.add(orderId);
  else included.delete(orderId);
  return { mode: "some", included };
}

type Queued = { orderCount: number; id: string; followUps?: boolean };

export function TransferView({
  status,
  onShowPending,
  onChanged,
}: {
  status: SyncStatus;
  onShowPending?: () => void;
  /** something was queued: the shell refreshes its status line */
  onChanged?: () => void;
}) {
  const bridge = useBridge();
  const { locale } = useBridgeState();
  const [customer, setCustomer] = useState<CustomerChoice>(null);
  const [dateFrom, setDateFrom] = useState("");
  const [dateTo, setDateTo] = useState("");
  const [includeExported, setIncludeExported] = useState(false);
  // the filter of the last Preview: what the table shows and what Transfer queues
  const [applied, setApplied] = useState<TransferFilter | null>(null);
  const [selection, setSelection] = useState<Selection>({ mode: "all", excluded: new Set() });
  const [queueing, setQueueing] = useState(false);
  const [queueErrors, setQueueErrors] = useState<(SyncError | ApiError)[]>([]);
  const [queued, setQueued] = useState<Queued | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const preview = usePagedQuery(
    PREVIEW,
    { filter: applied ?? {}, first: PAGE_SIZE },
    (data) => data.qbOrderTransferPreview,
    { skip: applied === null },
  );
  const connection = preview.data?.qbOrderTransferPreview;
  const total = connection?.totalCount ?? 0;
  const count = selectedCount(selection, total);

  const badRange = dateFrom !== "" && dateTo !== "" && dateFrom > dateTo;

  const runPreview = () => {
    setApplied({
      customer: customer?.value ?? null,
      dateFrom: dateFrom || null,
      dateTo: dateTo || null,
      includeExported,
    });
    preview.reset();
    setSelection({ mode: "all", excluded: new Set() });
    setQueueErrors([]);
    setQueued(null);
  };

  useEffect(() => {
    if (queued) resultHeading.current?.focus();
  }, [queued]);

  const transfer = async () => {
    if (!applied || count === 0) return;
    setQueueing(true);
    setQueueErrors([]);
    try {
      const data = await graphql(bridge, QUEUE, { input: queueInput(selection, applied) });
      const result = payload(data.qbOrderTransferQueue);
      if (result.errors.length > 0 || !result.pendingOperation) {
        setQueueErrors(result.errors);
      } else {
        setQueued({ id: result.pendingOperation.id, orderCount: result.pendingOperation.orderCount });
        setApplied(null);
        onChanged?.();
        bridge
          .dispatch(
            actions.Notification({
              status: "success",
              title: "Queued for QuickBooks",
              text: `${plural(result.pendingOperation.orderCount, "order", "orders")} will be transferred at the next Web Connector update.`,
            }),
          )
          .catch(() => undefined);
      }
    } catch (error) {
      setQueueErrors([asApiError(error)]);
    } finally {
      setQueueing(false);
    }
  };

  const queueFollowUps = async (orderIds: string[]) => {
    if (orderIds.length === 0) return;
    setQueueing(true);
    setQueueErrors([]);
    try {
      const data = await graphql(bridge, FOLLOW_UPS_QUEUE, { ids: orderIds });
      const result = payload(data.qbFollowUpsQueue);
      if (result.errors.length > 0 || !result.pendingOperation) {
        setQueueErrors(result.errors);
      } else {
        setQueued({ id: result.pendingOperation.id, orderCount: result.pendingOperation.orderCount, followUps: true });
        setApplied(null);
        onChanged?.();
      }
    } catch (error) {
      setQueueErrors([asApiError(error)]);
    } finally {
      setQueueing(false);
    }
  };

  if (status.exportMode === "AUTOMATIC") {
    return (
      <Box display="flex" flexDirection="column" gap={4}>
        <Heading>Transfer orders</Heading>
        <Notice tone="info" title="Orders are exported automatically">
          QuickBooks sync is in automatic mode: every eligible order is exported at each Web
          Connector update, so on-demand transfer is not needed. Check the History tab to see what
          was exported.
        </Notice>
      </Box>
    );
  }

  const rows = preview.nodes;
  const pageAllOn = rows.length > 0 && rows.every((r) => isSelected(selection, r.orderId));
  const pageSomeOn = rows.some((r) => isSelected(selection, r.orderId));
  // on this page, the chosen orders in QuickBooks that lack a payment, refund or void there
  const followUpIds = rows
    .filter((r) => r.exported && r.followUpsDue.length > 0 && isSelected(selection, r.orderId))
    .map((r) => r.orderId);

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Heading>Transfer orders</Heading>
      <Box
        as="form"
        aria-label="Which orders"
        display="flex"
        flexDirection="column"
        gap={4}
        onSubmit={(event) => {
          event.preventDefault();
          if (!badRange) runPreview();
        }}
      >
        <CustomerPicker value={customer} onChange={setCustomer} />
        <Box display="flex" gap={4} flexWrap="wrap" alignItems="flex-end">
          <label className="qb-field">
            <span>Placed from</span>
            <input type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
          </label>
          <label className="qb-field">
            <span>Placed until</span>
            <input type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
          </label>
          <label>
            <Box display="flex" alignItems="center" gap={2}>
              <input
                type="checkbox"
                className="qb-checkbox"
                checked={includeExported}
                onChange={(e) => setIncludeExported(e.target.checked)}
              />
              <Text size={3}>Include previously exported orders</Text>
            </Box>
          </label>
        </Box>
        {badRange ? (
          <Text size={3} color="critical1" role="alert">
            The start date is after the end date.
          </Text>
        ) : null}
        <Box>
          <Button type="submit" variant="primary" disabled={badRange}>
            Preview
          </Button>
        </Box>
      </Box>

      {queued ? (
        <Box role="status" className="qb-notice qb-notice--success" padding={4} borderRadius={3} display="flex" flexDirection="column" gap={2}>
          <Text as="h3" size={5} fontWeight="bold" ref={resultHeading} tabIndex={-1}>
            {queued.followUps
              ? `Payments, refunds and voids of ${plural(queued.orderCount, "order", "orders")} queued for QuickBooks`
              : `${plural(queued.orderCount, "order", "orders")} queued for QuickBooks`}
          </Text>
          <Text size={3}>
            Nothing has been sent yet. {queued.followUps ? "They go" : "The orders go"} to
            QuickBooks at the next Web Connector update (when Web Connector runs on its schedule,
            or when someone clicks “Update Selected” in it).
          </Text>
          {onShowPending ? (
            <Box>
              <button type="button" className="qb-link" onClick={onShowPending}>
                See pending operations
              </button>
            </Box>
          ) : null}
        </Box>
      ) : null}

      {applied === null ? null : preview.loading && !connection ? (
        <Loading label="Loading the preview…" />
      ) : preview.error ? (
        <ErrorNotice title="Could not load the preview" error={preview.error} onRetry={preview.reload} />
      ) : connection && connection.totalCount === 0 ? (
        <Box display="flex" flexDirection="column" gap={3}>
          <Empty title="No orders to transfer">
            No order matches these choices
            {applied.includeExported ? "" : " (orders already in QuickBooks are left out)"}.
          </Empty>
          <AlreadyQueued count={connection.queuedCount} onShowPending={onShowPending} />
        </Box>
      ) : connection ? (
        <Box display="flex" flexDirection="column" gap={3}>
          <AlreadyQueued count={connection.queuedCount} onShowPending={onShowPending} />
          <Box display="flex" alignItems="center" gap={3} flexWrap="wrap">
            <Text size={4} role="status" data-testid="selection-summary">
              {formatNumber(count, locale)} of {plural(total, "order", "orders")} selected
            </Text>
            <Button
              variant="secondary"
              size="small"
              onClick={() => setSelection({ mode: "all", excluded: new Set() })}
            >
              Select all {formatNumber(total, locale)}
            </Button>
            <Button
              variant="secondary"
              size="small"
              onClick={() => setSelection({ mode: "some", included: new Set() })}
            >
              Select none
            </Button>
          </Box>
          <Box overflowX="auto">
            <table className="qb-table" aria-label="Orders to transfer" aria-busy={preview.loading}>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      className="qb-checkbox"
                      aria-label="Select the orders on this page"
                      checked={pageAllOn}
                      ref={(el) => {
                        if (el) el.indeterminate = pageSomeOn && !pageAllOn;
                      }}
                      onChange={(e) =>
                        setSelection((s) =>
                          rows.reduce((acc, r) => toggled(acc, r.orderId, e.target.checked), s),
                        )
                      }
                    />
                  </th>
                  <th scope="col">Order</th>
                  <th scope="col">Customer</th>
                  <th scope="col">Total</th>
                  <th scope="col">Status</th>
                  <th scope="col">QuickBooks</th>
                  <th scope="col">Warnings</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const on = isSelected(selection, row.orderId);
                  return (
                    <tr key={row.orderId} className={on ? undefined : "qb-row--off"}>
                      <td>
                        <input
                          type="checkbox"
                          className="qb-checkbox"
                          aria-label={`Transfer order #${row.number}`}
                          checked={on}
                          onChange={(e) =>
                            setSelection((s) => toggled(s, row.orderId, e.target.checked))
                          }
                        />
                      </td>
                      <td>
                        <span className="qb-nowrap">#{row.number}</span>
                        <br />
                        {/* the day and the time may wrap apart in a narrow frame */}
                        <Text size={2} color="default2" data-testid="order-date">
                          <span className="qb-nowrap">{formatDate(row.createdAt, locale)}</span>{" "}
                          <span className="qb-nowrap">{formatTime(row.createdAt, locale)}</span>
                        </Text>
                      </td>
                      <td className="qb-wrap qb-customer">
                        {row.customerName || "—"}
                        <br />
                        <Text size={2} color="default2">
                          <BreakableEmail email={row.customerEmail} />
                        </Text>
                      </td>
                      <td className="qb-num">
                        {formatMoney(row.total.amount, row.total.currency, locale)}
                      </td>
                      <td>
                        {statusLabel(row.status)}
                        <br />
                        <Text size={2} color="default2">
                          Paid: {statusLabel(row.chargeStatus)}
                        </Text>
                      </td>
                      <td>
                        {row.exported ? (
                          <>
                            <Badge tone="success">Exported</Badge>
                            {row.lastExport ? (
                              <Text as="p" size={2} color="default2">
                                {formatDateTime(row.lastExport.at, locale)} as{" "}
                                {transactionLabel(row.lastExport.transactionType)}{" "}
                                {row.lastExport.refNumber}
                              </Text>
                            ) : null}
                            {row.followUpsDue.length > 0 ? (
                              <Box data-testid="follow-ups-due">
                                <Text size={2} fontWeight="bold">
                                  QuickBooks lacks:
                                </Text>
                                <ul className="qb-due">
                                  {row.followUpsDue.map((due) => (
                                    <li key={due.description}>
                                      <Text size={2}>
                                        {due.description}
                                        {Number(due.amount.amount) !== 0
                                          ? `, ${formatMoney(due.amount.amount, due.amount.currency, locale)}`
                                          : ""}
                                      </Text>
                                    </li>
                                  ))}
                                </ul>
                              </Box>
                            ) : null}
                          </>
                        ) : row.plannedTransactionType ? (
                          <>
                            Will become
                            <br />
                            <span className="qb-nowrap">{transactionLabel(row.plannedTransactionType)}</span>
                          </>
                        ) : (
                          <Badge tone="error">Cannot be exported</Badge>
                        )}
                      </td>
                      <td className="qb-wrap qb-warnings">
                        {row.warnings.length > 0 ? (
                          <ul>
                            {row.warnings.map((w) => (
                              <li key={w}>{w}</li>
                            ))}
                          </ul>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Box>
          <Pager label="Preview pages" pages={preview} summary={plural(total, "order", "orders")} />
          {queueErrors.length > 0 ? (
            <ErrorNotice
              title="The orders were not queued"
              error={queueErrors.map((e) => e.message).join(" ")}
            />
          ) : null}
          <Box display="flex" alignItems="center" gap={3}>
            <Button
              variant="primary"
              onClick={transfer}
              disabled={count === 0 || queueing}
              aria-describedby="qb-transfer-help"
            >
              {queueing ? "Queueing…" : `Transfer ${plural(count, "order", "orders")}`}
            </Button>
            <Text size={3} color="default2" id="qb-transfer-help">
              Transfer queues the orders; they go to QuickBooks at the next Web Connector update.
            </Text>
          </Box>
          {applied ? (
            <DryRunButton input={queueInput(selection, applied)} count={count} disabled={queueing} />
          ) : null}
          {rows.some((r) => r.followUpsDue.length > 0) ? (
            <Box display="flex" alignItems="center" gap={3}>
              <Button
                variant="secondary"
                onClick={() => queueFollowUps(followUpIds)}
                disabled={followUpIds.length === 0 || queueing}
                aria-describedby="qb-follow-ups-help"
              >
                {`Queue payments and refunds of ${plural(followUpIds.length, "order", "orders")}`}
              </Button>
              <Text size={3} color="default2" id="qb-follow-ups-help">
                For the chosen orders on this page that are in QuickBooks: what Saleor did since
                (payments, refunds, cancellations) goes at the next update, without exporting the
                order again.
              </Text>
            </Box>
          ) : null}
        </Box>
      ) : null}
    </Box>
  );
}

/** Orders the filter matches that already wait in a pending operation (not listed). */
function AlreadyQueued({ count, onShowPending }: { count: number; onShowPending?: () => void }) {
  if (count <= 0) return null;
  return (
    <Text size={3} color="default2" data-testid="already-queued">
      {count === 1
        ? "1 matching order is already waiting for the next Web Connector update and is not listed."
        : `${formatNumber(count)} matching orders are already waiting for the next Web Connector update and are not listed.`}{" "}
      {onShowPending ? (
        <button type="button" className="qb-link" onClick={onShowPending}>
          See pending operations
        </button>
      ) : null}
    </Text>
  );
}

/** An e-mail address that may wrap before its "@" (and nowhere else), so narrow tables stay
 * readable: "kristen.miles" / "@example.com", not "kristen.miles@example.c" / "om". */
function BreakableEmail({ email }: { email: string }) {
  const at = email.indexOf("@");
  if (at <= 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}
