/**
 * On an order's page (ORDER_DETAILS_MORE_ACTIONS, a POPUP): queue this one order and show its
 * export history and the QuickBooks documents that followed its transaction (payments received,
 * credit memos, refunds, voids, updates). An order edited in Saleor since its export (its
 * addresses) says what changed, with "Update in QuickBooks". The Dashboard passes the order's
 * ID as `?orderId=`.
 */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import {
  asApiError,
  type DocumentKind,
  graphql,
  HISTORY,
  ORDER_EXPORT,
  type OrderExport,
  ORDER_UPDATE,
  type Payment,
  type QuickBooksDocument,
  nodesOf,
  payload,
  QUEUE,
  type SyncStatus,
  useQuery,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { ResetExportStatus, useExportReset } from "../components/ResetExport";
import { TransactionPreview } from "../components/TransactionPreview";
import { Badge, Empty, ErrorNotice, Heading, Loading, Notice } from "../components/ui";
import { formatDateTime, formatMoney, statusLabel } from "../format";
import { HistoryTable, STATE_TONE } from "./History";

export function OrderPanel({
  orderId,
  status,
  onChanged,
}: {
  orderId: string | null;
  status: SyncStatus;
  /** the order was queued or reset: the shell refreshes its status line */
  onChanged?: () => void;
}) {
  const bridge = useBridge();
  const [queueing, setQueueing] = useState(false);
  const [errors, setErrors] = useState<string | null>(null);
  const state = useQuery(
    ORDER_EXPORT,
    { orderId: orderId ?? "" },
    { skip: !orderId },
  );
  const history = useQuery(
    HISTORY,
    { filter: { orderId: orderId ?? "" }, first: 20 },
    { skip: !orderId },
  );
  const reload = () => {
    state.reload();
    history.reload();
    onChanged?.();
  };
  const reset = useExportReset(reload);

  if (!orderId) {
    return (
      <ErrorNotice
        title="No order"
        error="Open this from an order's page in the Dashboard: the order to transfer was not given."
      />
    );
  }
  if (state.loading && !state.data) {
    return <Loading label="Loading the order…" />;
  }
  if (state.error || !state.data) {
    return (
      <ErrorNotice title="Could not load this order" error={state.error ?? "No answer."} onRetry={state.reload} />
    );
  }
  const order = state.data.qbOrderExport;
  const records = nodesOf(history.data?.qbTransferHistory);
  // the history is newest first: the order is exported now when its latest attempt is DONE
  const latest = records[0];
  const exportedNow = order.order.exported;

  const queue = async () => {
    setQueueing(true);
    setErrors(null);
    try {
      const data = await graphql(bridge, QUEUE, {
        input: { orderIds: [orderId] },
      });
      const result = payload(data.qbOrderTransferQueue);
      if (result.errors.length > 0) {
        setErrors(result.errors.map((e) => e.message).join(" "));
      } else {
        reload();
        bridge
          .dispatch(
            actions.Notification({
              status: "success",
              title: "Queued for QuickBooks",
              text: `Order #${order.order.number} will be transferred at the next Web Connector update.`,
            }),
          )
          .catch(() => undefined);
      }
    } catch (error) {
      setErrors(asApiError(error).message);
    } finally {
      setQueueing(false);
    }
  };

  const next = order.reason ? (
    <Notice tone="warning" title="This order does not go to QuickBooks">
      {order.reason}
    </Notice>
  ) : order.queued ? (
    <Notice tone="success" title="Queued for QuickBooks">
      The order goes to QuickBooks at the next Web Connector update.
    </Notice>
  ) : order.automatic ? (
    <Notice tone="info" title="Exported automatically">
      This order goes to QuickBooks at the next Web Connector update without being queued.
    </Notice>
  ) : (
    <Box display="flex" flexDirection="column" gap={2}>
      <Text size={3}>
        {order.automaticNote
          ? order.automaticNote
          : exportedNow
            ? "This order is already in QuickBooks. Queue it again only if it was removed there."
            : status.exportMode === "AUTOMATIC"
              ? "Queue this order to send it at the next Web Connector update."
              : "Queue this order; it goes to QuickBooks at the next Web Connector update."}
      </Text>
      <Box display="flex" gap={2}>
        <Button variant="primary" onClick={queue} disabled={queueing || !order.canQueue}>
          {queueing ? "Queueing…" : "Queue this order for QuickBooks"}
        </Button>
      </Box>
    </Box>
  );

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      {/* the Dashboard titles the popup with the extension's label ("QuickBooks export…") */}
      <Heading>Order #{order.order.number}</Heading>
      <ChangedSinceExport order={order} orderId={orderId} onUpdated={reload} />
      {next}
      {errors ? <ErrorNotice title="The order was not queued" error={errors} /> : null}
      <ResetExportStatus reset={reset} />
      {!reset.confirming && exportedNow && latest ? (
        <Box display="flex" flexDirection="column" gap={2}>
          <Text size={3}>
            If the transaction was removed from QuickBooks, or the order should be transferred
            again, mark it as not exported. QuickBooks itself is not changed.
          </Text>
          <Box display="flex" gap={2}>
            <Button
              variant="secondary"
              onClick={() => reset.ask({ orderId, orderNumber: latest.orderNumber })}
              disabled={history.loading}
            >
              Mark as not exported
            </Button>
          </Box>
        </Box>
      ) : null}
      <Text as="h3" size={5} fontWeight="bold">
        Export history
      </Text>
      {history.loading && !history.data ? (
        <Loading label="Loading the export history…" />
      ) : history.error ? (
        <ErrorNotice title="Could not load the export history" error={history.error} onRetry={history.reload} />
      ) : records.length === 0 ? (
        <Empty title="Not exported yet">This order has not been sent to QuickBooks.</Empty>
      ) : (
        <HistoryTable records={records} showOrder={false} />
      )}
      {!order.order.exported && order.quickbooksDocument ? (
        <TransactionPreview preview={order.quickbooksDocument} />
      ) : null}
      {order.documents.length > 0 ? (
        <>
          <Text as="h3" size={5} fontWeight="bold">
            QuickBooks documents
          </Text>
          <DocumentsTable documents={order.documents} payments={order.payments} />
        </>
      ) : null}
      <Box>
        <Button
          variant="secondary"
          onClick={() => bridge.dispatch(actions.PopupClose()).catch(() => undefined)}
        >
          Close
        </Button>
      </Box>
    </Box>
  );
}

const DOCUMENT_KINDS: Record<DocumentKind, string> = {
  PAYMENT: "Payment received",
  CREDIT_MEMO: "Credit memo",
  REFUND: "Refund",
  VOID: "Void",
  MODIFICATION: "Update",
};

/** What changed in Saleor since the order went to QuickBooks, and "Update in QuickBooks". */
function ChangedSinceExport({
  order,
  orderId,
  onUpdated,
}: {
  order: OrderExport;
  orderId: string;
  onUpdated: () => void;
}) {
  const bridge = useBridge();
  const { locale } = useBridgeState();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (order.changesProblem) {
    return (
      <Notice tone="warning" title="Cannot compare with QuickBooks">
        {order.changesProblem}
      </Notice>
    );
  }
  if (!order.changedSinceExport) return null;

  const update = async () => {
    setSending(true);
    setError(null);
    try {
      const data = await graphql(bridge, ORDER_UPDATE, {
        orderId,
      });
      const result = payload(data.qbOrderUpdateInQuickbooks);
      if (result.errors.length > 0) {
        setError(result.errors.map((e) => e.message).join(" "));
      } else {
        onUpdated();
        bridge
          .dispatch(
            actions.Notification({
              status: "success",
              title: "Update queued for QuickBooks",
              text: `Order #${order.order.number}'s QuickBooks transaction is updated at the next Web Connector update.`,
            }),
          )
          .catch(() => undefined);
      }
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <Notice tone="warning" title="Changed since export">
      <Box display="flex" flexDirection="column" gap={2}>
        <Text size={3}>
          This order was changed in Saleor after it went to QuickBooks
          {order.changesNoticedAt ? ` (noticed ${formatDateTime(order.changesNoticedAt, locale)})` : ""}:
        </Text>
        <Box overflowX="auto">
          <table className="qb-table" aria-label="Changed since export">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">In QuickBooks</th>
                <th scope="col">In Saleor now</th>
              </tr>
            </thead>
            <tbody>
              {order.changesSinceExport.map((change) => (
                <tr key={change.field} data-testid="change-row">
                  <td>{change.label}</td>
                  <td className="qb-wrap">{change.before || "None"}</td>
                  <td className="qb-wrap">{change.after || "None"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Box>
        {order.updateRequestedAt ? (
          <Text size={3}>
            Update in QuickBooks asked for
            {order.updateRequestedBy ? ` by ${order.updateRequestedBy}` : ""} on{" "}
            {formatDateTime(order.updateRequestedAt, locale)}: the next Web Connector update changes the QuickBooks
            transaction.
          </Text>
        ) : order.editUpdates === "AUTOMATIC" ? (
          <Text size={3}>The next Web Connector update changes the QuickBooks transaction to match.</Text>
        ) : (
          <Box display="flex" gap={2}>
            <Button variant="primary" onClick={update} disabled={sending}>
              {sending ? "Asking…" : "Update in QuickBooks"}
            </Button>
          </Box>
        )}
        {error ? <ErrorNotice title="The update was not queued" error={error} /> : null}
      </Box>
    </Notice>
  );
}

/** The payment method of a PAYMENT document: `payments` are the PAYMENT documents, in the same
 * order, with their method; matched by RefNumber and time, else by position. */
function paymentMethods(documents: QuickBooksDocument[], payments: Payment[]): Map<QuickBooksDocument, string> {
  const methods = new Map<QuickBooksDocument, string>();
  const unused = [...payments];
  documents
    .filter((d) => d.kind === "PAYMENT")
    .forEach((d, index) => {
      const same = (p: Payment) => p.refNumber === d.refNumber && p.at === d.at;
      const match = payments[index] && same(payments[index]) ? payments[index] : unused.find(same);
      if (match) {
        methods.set(d, match.paymentMethod);
        unused.splice(unused.indexOf(match), 1);
      }
    });
  return methods;
}

/** Every attempt at a QuickBooks document that followed the order's transaction, newest first. */
function DocumentsTable({ documents, payments }: { documents: QuickBooksDocument[]; payments: Payment[] }) {
  const { locale } = useBridgeState();
  const methods = paymentMethods(documents, payments);
  return (
    <Box overflowX="auto">
      <table className="qb-table" aria-label="QuickBooks documents">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Document</th>
            <th scope="col">Amount</th>
            <th scope="col">Result</th>
            <th scope="col">QuickBooks says</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d, index) => (
            <tr key={`${d.kind}-${d.refNumber}-${d.at}-${index}`} data-testid="document-row">
              <td className="qb-nowrap">{formatDateTime(d.at, locale)}</td>
              <td>
                {DOCUMENT_KINDS[d.kind] ?? statusLabel(d.kind)}
                {d.refNumber ? ` ${d.refNumber}` : null}
                {d.kind === "PAYMENT" ? (
                  <>
                    <br />
                    <Text size={2} color="default2">
                      {methods.get(d) || "No payment method"}
                    </Text>
                  </>
                ) : null}
                {d.txnId ? (
                  <>
                    <br />
                    <span className="qb-mono">TxnID {d.txnId}</span>
                  </>
                ) : null}
              </td>
              {/* a void has no amount of its own (QuickBooks sets the voided one to zero), nor
                  an update of the transaction's addresses */}
              <td className="qb-num">
                {d.kind === "VOID" || d.kind === "MODIFICATION"
                  ? null
                  : formatMoney(d.amount.amount, d.amount.currency, locale)}
              </td>
              <td>
                <Badge tone={STATE_TONE[d.state] ?? "neutral"}>{statusLabel(d.state)}</Badge>
              </td>
              <td className="qb-wrap">
                {d.message || "—"}
                {d.action ? (
                  <>
                    <br />
                    <Text size={2} fontWeight="medium">
                      What to do: {d.action}
                    </Text>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}
