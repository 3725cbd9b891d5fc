/** Pending operations: what is queued for Web Connector, by whom; delete with confirmation. */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import {
  asApiError,
  DELETE_PENDING,
  graphql,
  PENDING_OPERATIONS,
  type PendingOperation,
  payload,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { Badge, Empty, ErrorNotice, Heading, Loading, Notice, Pager } from "../components/ui";
import { formatDateTime, plural, statusLabel } from "../format";
import { usePagedQuery } from "../paging";

const PAGE_SIZE = 20;

const STATUS_TONE = {
  QUEUED: "info",
  IN_PROGRESS: "warning",
  DONE: "success",
  FAILED: "error",
  DELETED: "neutral",
} as const;

function ConfirmDelete({
  operation,
  busy,
  onConfirm,
  onCancel,
}: {
  operation: PendingOperation;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmPanel
      title="Delete this pending operation?"
      confirmLabel="Delete"
      busyLabel="Deleting…"
      cancelLabel="Keep it"
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {plural(operation.orderCount, "order", "orders")} queued by {operation.createdBy || "someone"}{" "}
      on {formatDateTime(operation.createdAt)} will not be transferred. The orders stay in Saleor
      and can be queued again.
    </ConfirmPanel>
  );
}

/** `onChanged`: an operation was deleted, so the shell refreshes its status line. */
export function PendingView({ onChanged }: { onChanged?: () => void } = {}) {
  const bridge = useBridge();
  const { locale } = useBridgeState();
  const [confirming, setConfirming] = useState<PendingOperation | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const list = usePagedQuery(PENDING_OPERATIONS, { first: PAGE_SIZE }, (data) => data.qbPendingOperations);

  const remove = async (operation: PendingOperation) => {
    setDeleting(true);
    setRefusal(null);
    setDeleted(null);
    try {
      const data = await graphql(bridge, DELETE_PENDING, { ids: [operation.id] });
      const errors = payload(data.qbPendingOperationDelete).errors;
      if (errors.length > 0) {
        setRefusal(errors.map((e) => e.message).join(" "));
      } else {
        setDeleted(`Deleted the pending operation of ${plural(operation.orderCount, "order", "orders")}.`);
        bridge
          .dispatch(actions.Notification({ status: "success", title: "Pending operation deleted" }))
          .catch(() => undefined);
      }
    } catch (error) {
      setRefusal(asApiError(error).message);
    } finally {
      setDeleting(false);
      setConfirming(null);
      list.reload();
      onChanged?.();
    }
  };

  const connection = list.connection;
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Heading>Pending operations</Heading>
        <Button variant="secondary" onClick={list.reload} disabled={list.loading}>
          Refresh
        </Button>
      </Box>
      <Text size={3} color="default2">
        Orders queued for QuickBooks wait here until Web Connector's next update picks them up.
        An operation can be deleted until then.
      </Text>
      {refusal ? (
        <ErrorNotice title="The pending operation was not deleted" error={refusal} />
      ) : null}
      {deleted ? <Notice tone="success">{deleted}</Notice> : null}
      {confirming ? (
        <ConfirmDelete
          operation={confirming}
          busy={deleting}
          onConfirm={() => remove(confirming)}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      {list.loading && !connection ? (
        <Loading label="Loading pending operations…" />
      ) : list.error ? (
        <ErrorNotice title="Could not load pending operations" error={list.error} onRetry={list.reload} />
      ) : connection && connection.edges.length === 0 ? (
        <Empty title="Nothing is waiting">
          No orders are queued for QuickBooks. Queue some on the Transfer orders tab.
        </Empty>
      ) : connection ? (
        <>
          <Box overflowX="auto">
            <table className="qb-table" aria-label="Pending operations" aria-busy={list.loading}>
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">By</th>
                  <th scope="col">Orders</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col">
                    <span className="qb-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.nodes.map((node) => (
                  <tr key={node.id} data-testid="pending-row">
                    <td className="qb-nowrap">{formatDateTime(node.createdAt, locale)}</td>
                    <td className="qb-wrap">{node.createdBy || "—"}</td>
                    <td>
                      {node.kind === "FOLLOW_UPS"
                        ? `Payments, refunds and voids of ${plural(node.orderCount, "order", "orders")}`
                        : plural(node.orderCount, "order", "orders")}
                      {node.orders.length > 0 ? (
                        <>
                          <br />
                          <Text size={2} color="default2">
                            #{node.orders.join(", #")}
                            {node.orderCount > node.orders.length ? ", …" : ""}
                          </Text>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <Badge tone={STATUS_TONE[node.status] ?? "neutral"}>{statusLabel(node.status)}</Badge>
                    </td>
                    <td>
                      {node.summary ||
                        `${node.doneCount} done, ${node.failedCount} failed of ${node.orderCount}`}
                      {node.pickedUpAt ? (
                        <>
                          <br />
                          <Text size={2} color="default2">
                            Picked up {formatDateTime(node.pickedUpAt, locale)}
                          </Text>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {node.status === "QUEUED" ? (
                        <Button
                          variant="tertiary"
                          size="small"
                          aria-label={`Delete the pending operation of ${plural(node.orderCount, "order", "orders")} queued ${formatDateTime(node.createdAt, locale)}`}
                          onClick={() => {
                            setRefusal(null);
                            setDeleted(null);
                            setConfirming(node);
                          }}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Box>
          <Pager
            label="Pending operation pages"
            pages={list}
            summary={plural(connection.totalCount, "operation", "operations")}
          />
        </>
      ) : null}
    </Box>
  );
}
