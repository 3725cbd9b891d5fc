/**
 * An inline confirmation: title, explanation, a confirm button and a cancel button that gets the
 * focus; Escape cancels. Shared by deleting a pending operation and marking an order as not
 * exported.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type ReactNode, useEffect, useId, useRef } from "react";

export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  busyLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  cancelLabel: string;
  busy: boolean;
  onConfirm: () => void;
  /** also called on Escape */
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
        if (event.key === "Escape") onCancel();
      }}
    >
      <Text as="h3" size={5} fontWeight="bold" id={`${id}-title`}>
        {title}
      </Text>
      <Text size={3} id={`${id}-text`}>
        {children}
      </Text>
      <Box display="flex" gap={2}>
        <Button variant="error" onClick={onConfirm} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onCancel} ref={cancelRef} disabled={busy}>
          {cancelLabel}
        </Button>
      </Box>
    </Box>
  );
}
