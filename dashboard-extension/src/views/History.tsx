/** Transfer history: every attempt to put an order into QuickBooks, with QuickBooks' answer. */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { type ExportRecord, type ExportState, FAILED_COUNT, HISTORY, type TransferHistoryFilter, useQuery } from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { type ResetTarget, ResetExportStatus, useExportReset } from "../components/ResetExport";
import { RetryFailedOrders } from "../components/RetryFailed";
import { Badge, Empty, ErrorNotice, Heading, Loading, Pager } from "../components/ui";
import { formatDateTime, statusLabel, transactionLabel } from "../format";
import { usePagedQuery } from "../paging";

const PAGE_SIZE = 25;

export const STATE_TONE: Record<ExportState, "success" | "warning" | "error" | "info" | "neutral"> = {
  QUEUED: "info",
  SENT: "info",
  DONE: "success",
  FAILED: "error",
  NEEDS_RECONCILING: "warning",
  RESET: "neutral",
};

/** Open the order in the Dashboard (the app runs in an iframe: app-bridge redirects the parent). */
export function useOpenOrder() {
  const bridge = useBridge();
  return (orderId: string) => {
    bridge
      .dispatch(actions.Redirect({ to: `/orders/${encodeURIComponent(orderId)}` }))
      .catch(() => undefined);
  };
}

export function HistoryTable({
  records,
  showOrder = true,
  onReset,
}: {
  records: ExportRecord[];
  showOrder?: boolean;
  /** When given, rows with state DONE offer "Mark as not exported". */
  onReset?: (target: ResetTarget) => void;
}) {
  const { locale } = useBridgeState();
  const openOrder = useOpenOrder();
  return (
    <Box overflowX="auto">
      <table className="qb-table" aria-label="Transfer history">
        <thead>
          <tr>
            {showOrder ? <th scope="col">Order</th> : null}
            <th scope="col">When</th>
            <th scope="col">Result</th>
            <th scope="col">QuickBooks transaction</th>
            <th scope="col">QuickBooks says</th>
            {onReset ? (
              <th scope="col">
                <span className="qb-visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} data-testid="history-row">
              {showOrder ? (
                <td>
                  <button
                    type="button"
                    className="qb-link"
                    onClick={() => openOrder(r.orderId)}
                    aria-label={`Open order #${r.orderNumber} in Saleor`}
                  >
                    #{r.orderNumber}
                  </button>
                </td>
              ) : null}
              <td className="qb-nowrap">
                {formatDateTime(r.updatedAt, locale)}
                {r.automatic ? (
                  <>
                    <br />
                    <Text size={2} color="default2">
                      Automatic
                    </Text>
                  </>
                ) : null}
              </td>
              <td>
                <Badge tone={STATE_TONE[r.state] ?? "neutral"}>{statusLabel(r.state)}</Badge>
                {r.linkedExisting ? (
                  <>
                    <br />
                    <Text size={2} color="default2">
                      Already in QuickBooks; linked
                    </Text>
                  </>
                ) : null}
                {r.changedSinceExport ? (
                  <>
                    <br />
                    <Badge tone="warning">Changed since export</Badge>
                  </>
                ) : null}
              </td>
              <td>
                {transactionLabel(r.transactionType)} {r.refNumber}
                {r.txnId ? (
                  <>
                    <br />
                    <span className="qb-mono">TxnID {r.txnId}</span>
                  </>
                ) : null}
              </td>
              <td className="qb-wrap">
                {r.statusMessage || "—"}
                {r.statusCode !== null && r.statusCode !== 0 ? (
                  <Text size={2} color="default2">
                    {" "}
                    (code {r.statusCode})
                  </Text>
                ) : null}
                {r.action ? (
                  <>
                    <br />
                    <Text size={2} fontWeight="medium">
                      What to do: {r.action}
                    </Text>
                  </>
                ) : null}
              </td>
              {onReset ? (
                <td>
                  {r.state === "DONE" ? (
                    <Button
                      variant="tertiary"
                      size="small"
                      aria-label={`Mark order #${r.orderNumber} as not exported`}
                      onClick={() => onReset({ orderId: r.orderId, orderNumber: r.orderNumber })}
                    >
                      Mark as not exported
                    </Button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}

export function HistoryView() {
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [changedOnly, setChangedOnly] = useState(false);
  const [orderNumber, setOrderNumber] = useState("");
  const [appliedNumber, setAppliedNumber] = useState<number | null>(null);
  const filter: TransferHistoryFilter = {};
  if (failuresOnly) filter.state = "FAILED";
  if (changedOnly) filter.changedSinceExport = true;
  if (appliedNumber !== null) filter.orderNumber = appliedNumber;
  // a new filter starts at page 1
  const history = usePagedQuery(HISTORY, { filter, first: PAGE_SIZE }, (data) => data.qbTransferHistory);
  const failed = useQuery(FAILED_COUNT, {});
  const reload = () => {
    history.reload();
    failed.reload();
  };
  const anyFailed = (failed.data?.qbTransferHistory.totalCount ?? 0) > 0;
  const connection = history.connection;
  const reset = useExportReset(reload);

  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Heading>History</Heading>
        <Box display="flex" gap={2}>
          <Button variant="secondary" onClick={reload} disabled={history.loading}>
            Refresh
          </Button>
        </Box>
      </Box>
      <Box display="flex" flexDirection="column" gap={2} alignItems="flex-start">
        {anyFailed ? <RetryFailedOrders onDone={reload} /> : null}
      </Box>
      <Box display="flex" gap={4} alignItems="flex-end" flexWrap="wrap">
        <FilterCheckbox
          label="Failures only"
          checked={failuresOnly}
          onChange={(checked) => {
            setFailuresOnly(checked);
          }}
        />
        <FilterCheckbox
          label="Changed since export only"
          checked={changedOnly}
          onChange={(checked) => {
            setChangedOnly(checked);
          }}
        />
        <Box
          as="form"
          display="flex"
          gap={2}
          alignItems="flex-end"
          onSubmit={(event) => {
            event.preventDefault();
            const n = Number.parseInt(orderNumber.replace(/^#/, ""), 10);
            setAppliedNumber(Number.isFinite(n) ? n : null);
            history.reset();
          }}
        >
          <label className="qb-field">
            <span>Order number</span>
            <input
              type="search"
              inputMode="numeric"
              value={orderNumber}
              onChange={(e) => setOrderNumber(e.target.value)}
            />
          </label>
          <Button type="submit" variant="secondary">
            Find
          </Button>
        </Box>
      </Box>
      <ResetExportStatus reset={reset} />
      {history.loading && !connection ? (
        <Loading label="Loading the history…" />
      ) : history.error ? (
        <ErrorNotice title="Could not load the history" error={history.error} onRetry={history.reload} />
      ) : connection && connection.edges.length === 0 ? (
        <Empty title={failuresOnly ? "No failures" : changedOnly ? "No changed orders" : "No transfers yet"}>
          {failuresOnly
            ? "Every transfer so far went into QuickBooks."
            : changedOnly
              ? "No order in QuickBooks was changed in Saleor since its export (as last compared)."
              : "Orders appear here once Web Connector has taken them to QuickBooks."}
        </Empty>
      ) : connection ? (
        <>
          <HistoryTable records={history.nodes} onReset={reset.ask} />
          <Pager label="History pages" pages={history} summary={`${connection.totalCount} attempts`} />
        </>
      ) : null}
    </Box>
  );
}

function FilterCheckbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label>
      <Box display="flex" alignItems="center" gap={2}>
        <input
          type="checkbox"
          className="qb-checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
        />
        <Text size={3}>{label}</Text>
      </Box>
    </label>
  );
}
