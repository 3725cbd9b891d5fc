/** The app shell: waits for the Dashboard's handshake, follows its theme and locale, and shows
 * either the order panel (`?view=order`) or the tabs. */
import { Box, Text, ThemeProvider, useTheme } from "@saleor/macaw-ui";
import { type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";

import { SYNC_STATUS, type SyncStatus, useQuery } from "./api";
import { useBridgeState } from "./bridge";
import { ErrorNotice, Loading } from "./components/ui";
import { plural } from "./format";
import { HistoryView } from "./views/History";
import { MappingsView } from "./views/Mappings";
import { OrderPanel } from "./views/OrderPanel";
import { PendingView } from "./views/Pending";
import { SettingsView } from "./views/Settings";
import { SetupView } from "./views/Setup";
import { TransferView } from "./views/Transfer";

export const TABS = [
  { id: "transfer", label: "Transfer orders" },
  { id: "pending", label: "Pending operations" },
  { id: "history", label: "History" },
  { id: "setup", label: "Web Connector set-up" },
  { id: "mappings", label: "Mappings" },
  { id: "settings", label: "Settings" },
] as const;
export type TabId = (typeof TABS)[number]["id"];

function ThemeSync() {
  const { theme, locale } = useBridgeState();
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
    document.documentElement.style.colorScheme = theme === "dark" ? "dark" : "light";
    document.documentElement.dataset.theme = theme;
  }, [theme, setTheme]);
  useEffect(() => {
    if (locale) document.documentElement.lang = String(locale).replace(/_/g, "-");
  }, [locale]);
  return null;
}

function Tabs({ current, onChange }: { current: TabId; onChange: (tab: TabId) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const last = TABS.length - 1;
    const next =
      event.key === "ArrowRight" ? (index === last ? 0 : index + 1)
      : event.key === "ArrowLeft" ? (index === 0 ? last : index - 1)
      : event.key === "Home" ? 0
      : event.key === "End" ? last
      : null;
    if (next === null) return;
    event.preventDefault();
    onChange(TABS[next].id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="QuickBooks sync" className="qb-tabs">
      {TABS.map((tab, index) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="tab"
          id={`qb-tab-${tab.id}`}
          aria-selected={current === tab.id}
          aria-controls={`qb-panel-${tab.id}`}
          tabIndex={current === tab.id ? 0 : -1}
          className="qb-tab"
          onClick={() => onChange(tab.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** How often the status line under the title asks again (queue and delete refresh it at once). */
export const STATUS_REFRESH_MS = 30_000;

function initialTab(search: string): TabId {
  const tab = new URLSearchParams(search).get("tab");
  return TABS.some((t) => t.id === tab) ? (tab as TabId) : "transfer";
}

function StatusLine({ status }: { status: SyncStatus }) {
  return (
    <Text size={3} color="default2" data-testid="status-line">
      {status.exportMode === "AUTOMATIC" ? "Automatic export" : "On-demand export"} ·{" "}
      {status.queuedOrders > 0
        ? `${plural(status.queuedOrders, "order", "orders")} waiting for Web Connector`
        : "nothing waiting"}
      {status.configurationComplete ? "" : " · configuration incomplete"}
    </Text>
  );
}

export function Screens({ search = window.location.search }: { search?: string }) {
  const state = useBridgeState();
  const params = new URLSearchParams(search);
  const [tab, setTab] = useState<TabId>(() => initialTab(search));
  const status = useQuery(SYNC_STATUS, {}, { skip: !state.token });

  // Web Connector changes what waits while the page is open: keep the status line current
  const reloadStatus = status.reload;
  useEffect(() => {
    const timer = window.setInterval(reloadStatus, STATUS_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadStatus]);

  const changeTab = (next: TabId) => {
    setTab(next);
    status.reload();
    try {
      const url = new URL(window.location.href);
      url.searchParams.set("tab", next);
      window.history.replaceState(null, "", url);
    } catch {
      // not essential (sandboxed or opaque URL)
    }
  };

  if (!state.token) {
    return <Connecting />;
  }
  if (status.loading && !status.data) {
    return <Loading label="Loading QuickBooks sync…" />;
  }
  if (status.error || !status.data) {
    return (
      <ErrorNotice
        title="Could not reach QuickBooks sync"
        error={status.error ?? "No answer."}
        onRetry={status.reload}
      />
    );
  }
  const sync = status.data.qbSyncStatus;

  if (params.get("view") === "order") {
    return <OrderPanel orderId={params.get("orderId")} status={sync} onChanged={status.reload} />;
  }

  const panels: Record<TabId, ReactNode> = {
    transfer: (
      <TransferView
        status={sync}
        onShowPending={() => changeTab("pending")}
        onChanged={status.reload}
      />
    ),
    pending: <PendingView onChanged={status.reload} />,
    history: <HistoryView />,
    setup: <SetupView status={sync} onReload={status.reload} />,
    mappings: <MappingsView />,
    settings: (
      <SettingsView
        onSaved={status.reload}
        multicurrency={sync.quickbooksMulticurrency ? sync.quickbooksCurrencies ?? [] : null}
      />
    ),
  };
  return (
    <Box display="flex" flexDirection="column" gap={4}>
      <Box display="flex" flexDirection="column" gap={1}>
        <Text as="h1" size={8} fontWeight="bold">
          QuickBooks Desktop
        </Text>
        <StatusLine status={sync} />
      </Box>
      <Tabs current={tab} onChange={changeTab} />
      <div role="tabpanel" id={`qb-panel-${tab}`} aria-labelledby={`qb-tab-${tab}`}>
        {panels[tab]}
      </div>
    </Box>
  );
}

function Connecting() {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setSlow(true), 8000);
    return () => window.clearTimeout(timer);
  }, []);
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Loading label="Connecting to the Saleor Dashboard…" />
      {slow ? (
        <Text size={3} color="default2" paddingX={4}>
          This page works inside the Saleor Dashboard: open it from Orders → QuickBooks, or from
          Apps.
        </Text>
      ) : null}
    </Box>
  );
}

export function App() {
  const { theme } = useBridgeState();
  return (
    <ThemeProvider defaultTheme={theme === "dark" ? "defaultDark" : "defaultLight"}>
      <ThemeSync />
      <Box padding={6} minHeight="100%" backgroundColor="default1" color="default1">
        <Screens />
      </Box>
    </ThemeProvider>
  );
}
