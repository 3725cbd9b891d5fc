/**
 * "Dry run" (qbOrdersDryRun): the chosen orders through the export against a simulated
 * QuickBooks company seeded from QuickBooks' lists as last read, without QuickBooks and without
 * queueing anything. The result lists each order: would land (as what, numbered how, for what
 * total), would fail (the reason a real run would record and what to do), or is in QuickBooks
 * already; then the customers and items the update would create, and what to know to read it.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type Ref, useEffect, useRef, useState } from "react";

import {
  type ApiError,
  asApiError,
  type DryRun,
  type DryRunInput,
  type DryRunOrder,
  graphql,
  ORDERS_DRY_RUN,
  payload,
  type SyncError,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { formatDateTime, formatMoney, plural, transactionLabel } from "../format";
import { Badge, ErrorNotice, Notice } from "./ui";

/** The most orders one dry run takes (the server refuses more, saying so). */
export const MAX_DRY_RUN_ORDERS = 500;

const OUTCOME: Record<DryRunOrder["outcome"], { label: string; tone: "success" | "error" | "info" }> = {
  WOULD_LAND: { label: "Would land", tone: "success" },
  WOULD_FAIL: { label: "Would fail", tone: "error" },
  ALREADY_IN_QUICKBOOKS: { label: "Already in QuickBooks", tone: "info" },
};

export function DryRunButton({ input, count, disabled }: { input: DryRunInput; count: number; disabled?: boolean }) {
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DryRun | null>(null);
  const [errors, setErrors] = useState<(SyncError | ApiError)[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const key = JSON.stringify(input);
  // another choice of orders: the last result is not about them
  useEffect(() => {
    setResult(null);
    setErrors([]);
  }, [key]);
  useEffect(() => {
    if (result) heading.current?.focus();
  }, [result]);

  const tooMany = count > MAX_DRY_RUN_ORDERS;
  const run = async () => {
    setBusy(true);
    setErrors([]);
    setResult(null);
    try {
      const data = await graphql(bridge, ORDERS_DRY_RUN, { input });
      const answer = payload(data.qbOrdersDryRun);
      if (answer.errors.length > 0 || !answer.dryRun) setErrors(answer.errors);
      else setResult(answer.dryRun);
    } catch (error) {
      setErrors([asApiError(error)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={3}>
      <Box display="flex" alignItems="center" gap={3}>
        <Button
          variant="secondary"
          onClick={run}
          disabled={disabled || busy || count === 0 || tooMany}
          aria-describedby="qb-dry-run-help"
        >
          {busy ? "Trying…" : `Dry run ${plural(count, "order", "orders")}`}
        </Button>
        <Text size={3} color="default2" id="qb-dry-run-help">
          {tooMany
            ? `A dry run takes at most ${MAX_DRY_RUN_ORDERS} orders; narrow the dates or choose fewer.`
            : "Tries the chosen orders against a copy of your QuickBooks company, without QuickBooks and without queueing anything."}
        </Text>
      </Box>
      {errors.length > 0 ? (
        <ErrorNotice title="The dry run did not run" error={errors.map((e) => e.message).join(" ")} />
      ) : null}
      {result ? <DryRunResult result={result} heading={heading} /> : null}
    </Box>
  );
}

export function DryRunResult({
  result,
  heading,
}: {
  result: DryRun;
  heading?: Ref<HTMLHeadingElement>;
}) {
  const { locale } = useBridgeState();
  const { summary } = result;
  return (
    <Box
      as="section"
      aria-label="Dry run result"
      display="flex"
      flexDirection="column"
      gap={3}
      padding={4}
      borderRadius={3}
      className="qb-notice"
    >
      <Text as="h3" size={5} fontWeight="bold" ref={heading} tabIndex={-1} data-testid="dry-run-summary">
        Dry run: {plural(summary.wouldLand, "order would land", "orders would land")},{" "}
        {plural(summary.wouldFail, "would fail", "would fail")}
        {summary.alreadyInQuickbooks > 0 ? `, ${summary.alreadyInQuickbooks} already in QuickBooks` : ""}
      </Text>
      <Text size={3}>
        Nothing was sent or queued.{" "}
        {summary.listsRead && summary.listsReadAt
          ? `QuickBooks as its lists were read on ${formatDateTime(summary.listsReadAt, locale)}.`
          : ""}
      </Text>
      {summary.notes.map((note) => (
        <Notice key={note} tone={summary.listsRead ? "info" : "warning"}>
          {note}
        </Notice>
      ))}
      <Created label="Customers it would create" names={summary.customersCreated} />
      <Created label="Items it would create" names={summary.itemsCreated} />
      <Box overflowX="auto">
        <table className="qb-table" aria-label="Dry run by order">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Outcome</th>
              <th scope="col">QuickBooks</th>
              <th scope="col">Total</th>
              <th scope="col">Why, and what to do</th>
            </tr>
          </thead>
          <tbody>
            {result.orders.map((order) => {
              const outcome = OUTCOME[order.outcome];
              return (
                <tr key={order.orderId}>
                  <td className="qb-nowrap">#{order.orderNumber}</td>
                  <td>
                    <Badge tone={outcome.tone}>{outcome.label}</Badge>
                    {order.queued ? (
                      <Text as="p" size={2} color="default2">
                        Already queued
                      </Text>
                    ) : null}
                  </td>
                  <td>
                    {order.transactionType ? (
                      <>
                        <span className="qb-nowrap">
                          {transactionLabel(order.transactionType)} {order.refNumber}
                        </span>
                        {order.customer ? (
                          <Text as="p" size={2} color="default2">
                            for {order.customer}
                          </Text>
                        ) : null}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="qb-num">
                    {order.total ? formatMoney(order.total.amount, order.total.currency, locale) : "—"}
                  </td>
                  <td className="qb-wrap">
                    {order.reason || order.action || order.settingLabel ? (
                      <>
                        {order.reason ? <Text as="p" size={3}>{order.reason}</Text> : null}
                        {order.action ? (
                          <Text as="p" size={2} color="default2">
                            {order.action}
                          </Text>
                        ) : null}
                        {order.settingLabel ? (
                          <Text as="p" size={2} color="default2">
                            Setting to change: {order.settingLabel}
                          </Text>
                        ) : null}
                      </>
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
    </Box>
  );
}

function Created({ label, names }: { label: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <Box>
      <Text size={3} fontWeight="bold">
        {label} ({names.length}):
      </Text>{" "}
      <Text size={3}>{names.join(", ")}</Text>
    </Box>
  );
}
