/**
 * "Mark as not exported" (qbOrderExportReset): the confirmation and the call, shared by the order
 * popup and the History tab. QuickBooks is not changed; the plugin forgets that the order is in
 * QuickBooks, so the order is offered for transfer again.
 */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useRef, useState } from "react";

import { asApiError, EXPORT_RESET, type ExportResetResult, graphql } from "../api";
import { useBridge } from "../bridge";

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
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <Box
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      className="qb-notice qb-notice--warning"
      padding={4}
      borderRadius={3}
      display="flex"
      flexDirection="column"
      gap={3}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !busy) onCancel();
      }}
    >
      <Text as="h3" size={5} fontWeight="bold" id={`${id}-title`}>
        Mark order #{orderNumber} as not exported?
      </Text>
      <Text size={3} id={`${id}-text`}>
        QuickBooks is not changed: the transaction already there stays. The order will be offered
        again for transfer (in automatic mode it goes at the next Web Connector update). With
        “Check QuickBooks for duplicates” on, it is then linked to the transaction QuickBooks
        already has instead of being added again.
      </Text>
      <Box display="flex" gap={2}>
        <Button variant="error" onClick={onConfirm} disabled={busy}>
          {busy ? "Marking…" : "Mark as not exported"}
        </Button>
        <Button variant="secondary" onClick={onCancel} ref={cancelRef} disabled={busy}>
          Cancel
        </Button>
      </Box>
    </Box>
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
      const data = await graphql<{ qbOrderExportReset: ExportResetResult }>(bridge, EXPORT_RESET, {
        orderIds: [orderId],
      });
      const result = data.qbOrderExportReset;
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
