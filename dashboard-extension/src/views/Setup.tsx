/** Web Connector set-up: the .qwc file, the user name, the last check-in, what is missing. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { asApiError, graphql, type SyncStatus, WEB_CONNECTOR_FILE } from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { ErrorNotice, Heading, Notice } from "../components/ui";
import { formatAgo, formatDateTime, plural } from "../format";

export const QWC_FILENAME = "saleor-quickbooks.qwc";

const SETTING_LABELS: Record<string, string> = {
  web_connector_username: "Web Connector user name",
  web_connector_password: "Web Connector password",
};

function settingLabel(name: string): string {
  return SETTING_LABELS[name] ?? name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Web Connector is late when it missed a few runs of its own schedule (the server decides:
 * three times RunEveryNMinutes, at least 15 minutes, and e-mails staff once per outage). */
export function isOverdue(status: SyncStatus): boolean {
  return status.checkInOverdue;
}

/** Orders wait for a Web Connector that has never connected: set-up is not finished. */
export function neverCheckedIn(status: SyncStatus): boolean {
  return !status.lastCheckIn && status.queuedOrders > 0;
}

function saveFile(content: string) {
  const blob = new Blob([content], { type: "application/xml" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = QWC_FILENAME;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function SetupView({
  status,
  onReload,
  now = () => new Date(),
}: {
  status: SyncStatus;
  onReload?: () => void;
  now?: () => Date;
}) {
  const bridge = useBridge();
  const { locale } = useBridgeState();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const current = now();
  const last = status.lastCheckIn;

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      const data = await graphql(bridge, WEB_CONNECTOR_FILE, {});
      saveFile(data.qbWebConnectorFile);
      setDownloaded(true);
    } catch (error) {
      setDownloadError(asApiError(error).message);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Heading>Web Connector set-up</Heading>
        {onReload ? (
          <Button variant="secondary" onClick={onReload}>
            Refresh
          </Button>
        ) : null}
      </Box>

      {status.missingConfiguration.length > 0 ? (
        <Box role="region" aria-label="Configuration to complete" className="qb-notice qb-notice--warning" padding={4} borderRadius={3} display="flex" flexDirection="column" gap={2}>
          <Text as="h3" size={5} fontWeight="bold">
            Finish the configuration first
          </Text>
          <Text size={3}>
            Web Connector cannot connect until these are set in Saleor (Configuration → Plugins →
            QuickBooks Desktop Sync):
          </Text>
          <ul aria-label="Missing settings" className="qb-list">
            {status.missingConfiguration.map((name) => (
              <li key={name}>
                <label>
                  <input type="checkbox" className="qb-checkbox" disabled checked={false} readOnly />{" "}
                  {settingLabel(name)}
                </label>
              </li>
            ))}
          </ul>
        </Box>
      ) : (
        <Notice tone="success">The configuration is complete: Web Connector can connect.</Notice>
      )}

      {neverCheckedIn(status) && !isOverdue(status) ? (
        <Notice role="alert" tone="warning" title="Web Connector has not checked in">
          {plural(status.queuedOrders, "order is", "orders are")} waiting, but Web Connector has
          never checked in. Add the .qwc file below to Web Connector on the QuickBooks computer and
          turn on its scheduled update.
        </Notice>
      ) : null}

      {isOverdue(status) ? (
        <Notice role="alert" tone="warning" title="Web Connector has stopped checking in">
          Web Connector is scheduled to connect every{" "}
          {plural(status.runEveryMinutes, "minute", "minutes")}, but it{" "}
          {last
            ? `last checked in ${formatAgo(last.at, current, locale)} (${formatDateTime(last.at, locale)})`
            : "has not checked in since"}
          {status.queuedOrders > 0
            ? `, and ${plural(status.queuedOrders, "order is", "orders are")} waiting`
            : ""}
          . Make sure QuickBooks and Web Connector are running on the QuickBooks computer, that
          this application is added to Web Connector and that its “Auto-Run” or scheduled update is
          on. Staff who manage orders were sent one e-mail about it.
        </Notice>
      ) : null}

      {status.quickbooksProblems.length > 0 ? (
        <Notice role="alert" tone="warning" title="The QuickBooks company lacks what the settings name">
          <ul aria-label="QuickBooks problems" className="qb-list">
            {status.quickbooksProblems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
          Orders that need them are not sent; once fixed, the next Web Connector update tries them
          again (automatic mode) or use “Retry failed orders” in the history.
        </Notice>
      ) : null}

      <Box as="section" aria-labelledby="qb-steps" display="flex" flexDirection="column" gap={3}>
        <Text as="h3" size={5} fontWeight="bold" id="qb-steps">
          Connect QuickBooks Desktop
        </Text>
        <ol className="qb-steps">
          <li>
            <Text size={3}>Download the Web Connector file (.qwc) for this store.</Text>
            <Box paddingY={2} display="flex" gap={3} alignItems="center">
              <Button variant="primary" onClick={download} disabled={downloading}>
                {downloading ? "Preparing…" : "Download .qwc file"}
              </Button>
              {downloaded ? (
                <Text size={3} role="status">
                  Saved as {QWC_FILENAME}.
                </Text>
              ) : null}
            </Box>
            {downloadError ? (
              <ErrorNotice title="Could not download the .qwc file" error={downloadError} />
            ) : null}
          </li>
          <li>
            <Text size={3}>
              On the computer with QuickBooks Desktop, open the company file, open Web Connector and
              choose “Add an application” with that file. Allow access in QuickBooks when it asks.
            </Text>
          </li>
          <li>
            <Text size={3}>
              When Web Connector asks for it, the user name is{" "}
              <strong className="qb-mono" data-testid="qbwc-username">
                {status.webConnectorUsername || "(not set)"}
              </strong>
              ; type the Web Connector password from the plugin's configuration into the Password
              column.
            </Text>
          </li>
        </ol>
      </Box>

      <Box as="section" aria-labelledby="qb-last" display="flex" flexDirection="column" gap={2}>
        <Text as="h3" size={5} fontWeight="bold" id="qb-last">
          Last check-in
        </Text>
        {last ? (
          <dl className="qb-facts">
            <dt>
              <Text size={3} color="default2">
                When
              </Text>
            </dt>
            <dd data-testid="last-check-in">
              {formatDateTime(last.at, locale)} ({formatAgo(last.at, current, locale)})
            </dd>
            <dt>
              <Text size={3} color="default2">
                What happened
              </Text>
            </dt>
            <dd>
              {last.summary}
              {last.lastError ? (
                <>
                  <br />
                  <Text size={3} color="critical1">
                    Last error: {last.lastError}
                  </Text>
                </>
              ) : null}
            </dd>
          </dl>
        ) : (
          <Text size={3}>Web Connector has not checked in yet.</Text>
        )}
        <Text size={3} color="default2">
          {status.queuedOrders > 0
            ? `${plural(status.queuedOrders, "order", "orders")} in ${plural(status.queuedOperations, "pending operation", "pending operations")} waiting for the next update.`
            : "Nothing is waiting for Web Connector."}
        </Text>
      </Box>
    </Box>
  );
}
