/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The build ships inside the Python package; OUT_DIR lets `check-build` build elsewhere.
const outDir =
  process.env.OUT_DIR ??
  fileURLToPath(new URL("../saleor_qb_sync/static/dashboard/", import.meta.url));

export default defineConfig({
  plugins: [react()],
  // relative asset URLs: the same build works under any …/<plugin>/app/ prefix
  base: "./",
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    testTimeout: 15000,
  },
});
