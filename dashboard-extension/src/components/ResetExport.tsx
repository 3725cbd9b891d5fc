/**
 * "Mark as not exported" (qbOrderExportReset): the confirmation and the call, shared by the order
 * popup and the History tab. QuickBooks is not changed; the plugin forgets that the order is in
 * QuickBooks, so the order is offered for transfer again.
 */
import { actions } from "@saleor/app-sdk/app-bridge";
import { useRef, useState } from "react";

import { asApiError, EXPORT_RESET, graphql, payload } from "../api";
import { useBridge } from "../bridge";
import { ConfirmPanel } from "./ConfirmPanel";
import { ErrorNotice, Notice } from "./ui";

export function ConfirmReset({
  orderNumber,
  busy,
  onConfirm,
  onCancel,
}: {
  orderNumber: number;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmPanel
      title={`Mark order #${orderNumber} as not exported?`}
      confirmLabel="Mark as not exported"
      busyLabel="Marking…"
      cancelLabel="Cancel"
      busy={busy}
      onConfirm={onConfirm}
      onCancel={() => {
        if (!busy) onCancel();
      }}
    >
      QuickBooks is not changed: the transaction already there stays. The order will be offered
      again for transfer (in automatic mode it goes at the next Web Connector update). With
      “Check QuickBooks for duplicates” on, it is then linked to the transaction QuickBooks
      already has instead of being added again.
    </ConfirmPanel>
  );
}

/** What a reset flow shows: its outcome, its error, and the confirmation while it is open. */
export function ResetExportStatus({ reset }: { reset: ReturnType<typeof useExportReset> }) {
  return (
    <>
      {reset.done ? <Notice tone="success">{reset.done}</Notice> : null}
      {reset.error ? (
        <ErrorNotice title="The order was not marked as not exported" error={reset.error} />
      ) : null}
      {reset.confirming ? (
        <ConfirmReset
          orderNumber={reset.confirming.orderNumber}
          busy={reset.busy}
          onConfirm={reset.confirm}
          onCancel={reset.cancel}
        />
      ) : null}
    </>
  );
}

export type ResetTarget = { orderId: string; orderNumber: number };

/**
 * The state of one "Mark as not exported" flow: which order is being confirmed, the call, and
 * what happened (`done` on success, `error` otherwise). `onDone` runs after a successful call.
 */
export function useExportReset(onDone: () => void) {
  const bridge = useBridge();
  const [confirming, setConfirming] = useState<ResetTarget | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // the button that opened the confirmation gets the focus back when it closes
  const opener = useRef<HTMLElement | null>(null);
  const close = () => {
    setConfirming(null);
    const element = opener.current;
    opener.current = null;
    if (element)
      setTimeout(() => {
        if (element.isConnected) element.focus();
      }, 0);
  };

  const ask = (target: ResetTarget) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDone(null);
    setError(null);
    setConfirming(target);
  };
  const cancel = close;
  const confirm = async () => {
    if (!confirming) return;
    const { orderId, orderNumber } = confirming;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const data = await graphql(bridge, EXPORT_RESET, { orderIds: [orderId] });
      const result = payload(data.qbOrderExportReset);
      if (result.errors.length > 0) {
        setError(result.errors.map((e) => e.message).join(" "));
      } else {
        setDone(
          result.resetCount > 0
            ? `Order #${orderNumber} is marked as not exported. QuickBooks was not changed; the order will be offered again for transfer.`
            : `Order #${orderNumber} was already marked as not exported; nothing changed.`,
        );
        bridge
          .dispatch(
            actions.Notification({
              status: "success",
              title: result.resetCount > 0 ? "Marked as not exported" : "Nothing changed",
              text: `Order #${orderNumber}`,
            }),
          )
          .catch(() => undefined);
        onDone();
      }
    } catch (caught) {
      setError(asApiError(caught).message);
    } finally {
      setBusy(false);
      close();
    }
  };
  return { confirming, busy, done, error, ask, cancel, confirm };
}
