/**
 * "Retry failed orders" (qbFailedOrdersRetry): queue every failed order again as one pending
 * operation, after a confirmation. Orders already waiting, in QuickBooks, or no longer
 * exportable are left out by the server.
 */
import { Button } from "@saleor/macaw-ui";
import { useRef, useState } from "react";

import { asApiError, FAILED_ORDERS_RETRY, graphql, payload } from "../api";
import { useBridge } from "../bridge";
import { plural } from "../format";
import { ConfirmPanel } from "./ConfirmPanel";
import { ErrorNotice, Notice } from "./ui";

export function RetryFailedOrders({ onDone }: { onDone: () => void }) {
  const bridge = useBridge();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setConfirming(false);
    setTimeout(() => opener.current?.focus(), 0);
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const data = await graphql(bridge, FAILED_ORDERS_RETRY, {});
      const result = payload(data.qbFailedOrdersRetry);
      if (result.errors.length > 0 || !result.pendingOperation) {
        setError(result.errors.map((e) => e.message).join(" ") || "Nothing was queued.");
      } else {
        setDone(
          `${plural(result.pendingOperation.orderCount, "failed order is", "failed orders are")} queued again; they go to QuickBooks at the next Web Connector update (see Pending operations).`,
        );
        onDone();
      }
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setBusy(false);
      close();
    }
  };
  return (
    <>
      <Button
        ref={opener}
        variant="secondary"
        onClick={() => {
          setDone(null);
          setError(null);
          setConfirming(true);
        }}
        disabled={busy}
      >
        Retry failed orders
      </Button>
      {done ? <Notice tone="success">{done}</Notice> : null}
      {error ? <ErrorNotice title="The failed orders were not queued again" error={error} /> : null}
      {confirming ? (
        <ConfirmPanel
          title="Retry every failed order?"
          confirmLabel="Retry failed orders"
          busyLabel="Queueing…"
          cancelLabel="Cancel"
          busy={busy}
          onConfirm={confirm}
          onCancel={() => {
            if (!busy) close();
          }}
        >
          Every order whose last transfer failed is queued again as one pending operation and sent
          at the next Web Connector update. Fix the cause first (the history says what to do for
          each), or the orders fail again. Orders already waiting or in QuickBooks are left out.
        </ConfirmPanel>
      ) : null}
    </>
  );
}
