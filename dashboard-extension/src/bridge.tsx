/**
 * The Dashboard connection: the app-bridge instance, its state as React state, and actions.
 *
 * `useAppBridge()` from the SDK subscribes only to some events and after the first render, so
 * a handshake landing in between is missed; `useBridgeState()` subscribes to every event and
 * reads the state once after subscribing.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import type { AppBridge, AppBridgeState } from "@saleor/app-sdk/app-bridge";

/** The part of `AppBridge` the app uses; tests pass a fake. */
export type Bridge = Pick<AppBridge, "getState" | "subscribe" | "dispatch">;

const BRIDGE_EVENTS = [
  "handshake",
  "theme",
  "localeChanged",
  "tokenRefresh",
  "redirect",
] as const;

const BridgeContext = createContext<Bridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) {
    throw new Error("useBridge() needs a <BridgeProvider>");
  }
  return bridge;
}

export function useBridgeState(): AppBridgeState {
  const bridge = useBridge();
  const [state, setState] = useState<AppBridgeState>(() => bridge.getState());
  useEffect(() => {
    const update = () => setState({ ...bridge.getState() });
    const unsubscribes = BRIDGE_EVENTS.map((type) => bridge.subscribe(type, update));
    update(); // anything that arrived before we subscribed
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }, [bridge]);
  return state;
}

/** The plugin's GraphQL endpoint next to Saleor's: `<api>/graphql/` → `<api>/plugins/global/saleor_qb_sync/graphql/`. */
export const PLUGIN_GRAPHQL_PATH = "plugins/global/saleor_qb_sync/graphql/";

export function pluginGraphqlUrl(saleorApiUrl: string | undefined, pageUrl: string): string {
  if (saleorApiUrl) {
    try {
      const api = new URL(saleorApiUrl);
      const path = api.pathname.replace(/\/graphql\/?$/, "/");
      return new URL(PLUGIN_GRAPHQL_PATH, `${api.origin}${path.endsWith("/") ? path : `${path}/`}`).toString();
    } catch {
      // fall through to the page's own location
    }
  }
  // the app is served from …/plugins/global/saleor_qb_sync/app/: the API is its sibling
  return new URL("../graphql/", pageUrl).toString();
}
