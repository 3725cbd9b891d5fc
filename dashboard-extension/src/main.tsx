import "@saleor/macaw-ui/style";
import "./styles.css";

import { AppBridge } from "@saleor/app-sdk/app-bridge";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { BridgeProvider } from "./bridge";

// Created before React renders, once. In a non-secure context (plain http on a host other than
// localhost) crypto.randomUUID is missing and notifyReady would throw: rely on the Dashboard's
// on-load handshake there instead.
const bridge = new AppBridge({ autoNotifyReady: window.isSecureContext });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BridgeProvider bridge={bridge}>
      <App />
    </BridgeProvider>
  </StrictMode>,
);
