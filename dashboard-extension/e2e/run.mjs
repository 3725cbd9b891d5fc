// End-to-end test in headless Chromium (Debian's /usr/bin/chromium via playwright-core; no
// browser download). It starts the standalone server on a fresh database with 30 sample orders,
// a host page that plays the Saleor Dashboard (app-bridge handshake, theme, locale, token
// refresh, answers to actions), and drives the extension: preview, uncheck one, queue, see and
// delete the pending operation, queue again, run the Web Connector emulator against the live
// server, read the history, the set-up and the order panel. Screenshots go to screenshots/.
//
//   npm run e2e         (env: PYTHON, CHROMIUM_PATH, E2E_DATABASE_URL, QBXML_SCHEMA_DIR, QBWC_WSDL)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.resolve(here, "..");
const repo = path.resolve(extensionDir, "..");
const shared = path.resolve(repo, "..", "shared");
const python = process.env.PYTHON ?? path.join(repo, ".venv", "bin", "python");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const databaseUrl =
  process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/qb_dashboard_e2e";
const shots = path.join(extensionDir, "screenshots");
mkdirSync(shots, { recursive: true });

const log = (...args) => console.log("[e2e]", ...args);
let failures = 0;
function check(condition, message) {
  if (condition) {
    log(`ok   ${message}`);
  } else {
    failures += 1;
    console.error(`[e2e] FAIL ${message}`);
  }
}
function must(condition, message) {
  check(condition, message);
  if (!condition) throw new Error(message);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A JWT-shaped token (app-bridge decodes the payload; the standalone server compares it whole). */
function token(name, apiUrl) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return [
    b64({ alg: "RS256", typ: "JWT", kid: "e2e" }),
    b64({
      iat: now,
      exp: now + 3600,
      iss: apiUrl,
      owner: "saleor",
      type: "thirdparty",
      token: name,
      email: "staff@example.com",
      user_id: "VXNlcjox",
      is_staff: true,
      app: "QXBwOjE=",
      permissions: ["MANAGE_ORDERS"],
      user_permissions: ["MANAGE_ORDERS"],
    }),
    Buffer.from(`e2e-unsigned-${name}`).toString("base64url"),
  ].join(".");
}

function runPython(args, env) {
  const result = spawnSync(python, args, { cwd: repo, env, encoding: "utf-8" });
  if (result.status !== 0) {
    throw new Error(`${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function recreateDatabase() {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const psql = (sql) =>
    spawnSync(
      "psql",
      ["-h", url.hostname, "-p", url.port || "5432", "-U", url.username || "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql],
      { encoding: "utf-8" },
    );
  psql(`drop database if exists ${name} with (force)`);
  const created = psql(`create database ${name}`);
  if (created.status !== 0) throw new Error(`create database ${name}: ${created.stderr}`);
}

async function waitForHttp(url, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

async function main() {
  const appPort = await freePort();
  const hostPort = await freePort();
  const base = `http://localhost:${appPort}`;
  const apiUrl = `${base}/graphql/`;
  const tokens = [token("first", apiUrl), token("refreshed", apiUrl)];
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    DJANGO_SETTINGS_MODULE: "e2e_settings",
    PYTHONPATH: [here, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    E2E_TOKENS: tokens.join(","),
    QBWC_PASSWORD: process.env.QBWC_PASSWORD ?? "development-password",
    QBXML_SCHEMA_DIR: process.env.QBXML_SCHEMA_DIR ?? path.join(shared, "qbxml-schema", "13.0"),
    QBWC_WSDL: process.env.QBWC_WSDL ?? path.join(shared, "qbwc-wsdl", "QBWebConnectorSvc.wsdl"),
    PYTHONUNBUFFERED: "1",
  };

  log(`database ${databaseUrl}`);
  recreateDatabase();
  runPython(["-m", "saleor_qb_sync.standalone.manage", "migrate", "--noinput"], env);
  log(runPython([path.join(here, "setup_orders.py")], env).trim());

  const server = spawn(
    python,
    ["-m", "saleor_qb_sync.standalone.manage", "runserver", "--noreload", `127.0.0.1:${appPort}`],
    { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let serverLog = "";
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));

  const hostHtml = readFileSync(path.join(here, "host.html"));
  // the url-join the real Dashboard pins (saleor-dashboard package.json: url-join 4.0.1)
  const urlJoinJs = readFileSync(path.join(extensionDir, "node_modules", "url-join", "lib", "url-join.js"));
  const host = createServer((req, res) => {
    if (req.url.startsWith("/host.html")) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(hostHtml);
    } else if (req.url === "/url-join.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" });
      res.end(urlJoinJs);
    } else if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => host.listen(hostPort, "127.0.0.1", resolve));

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    await waitForHttp(`${base}/plugins/global/saleor_qb_sync/app/manifest.json`);
    const manifest = await (await fetch(`${base}/plugins/global/saleor_qb_sync/app/manifest.json`)).json();
    check(manifest.id === "saleor-qb-sync" && manifest.appUrl === `${base}/plugins/global/saleor_qb_sync/app/`,
      "the manifest names the app and its URL on this host");

    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    page.on("response", (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    const apiCalls = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/plugins/global/saleor_qb_sync/graphql/")) {
        apiCalls.push({ token: r.headers()["authorization-bearer"], body: r.postData() ?? "" });
      }
    });

    const popupUrl = manifest.extensions.find((e) => e.target === "POPUP").url;
    const hostUrl = (extra = {}) => {
      const q = new URLSearchParams({
        app: manifest.appUrl,
        api: apiUrl,
        token: tokens[0],
        ...extra,
      });
      return `http://127.0.0.1:${hostPort}/host.html?${q}`;
    };
    const shot = async (name) => {
      await page.screenshot({ path: path.join(shots, `${name}.png`) });
      log(`screenshot screenshots/${name}.png`);
    };
    const received = () => page.evaluate(() => window.received);

    // --- 1. Transfer orders ------------------------------------------------------------------
    await page.goto(hostUrl());
    const app = page.frameLocator("#app");
    await app.getByRole("tab", { name: "Transfer orders" }).waitFor();
    const iframeSrc = await page.evaluate(() => window.iframeSrc);
    check(iframeSrc.startsWith(`${base}/plugins/global/saleor_qb_sync/app?domain=`),
      `the app loads at the URL the Dashboard builds (${iframeSrc.split("&")[0]}…)`);
    check(apiCalls.length > 0 && apiCalls.every((c) => c.token === tokens[0]),
      "the app calls the plugin's GraphQL with the Dashboard's token");
    await shot("01-transfer");
    await app.getByRole("button", { name: "Choose a customer" }).click();
    await app.getByRole("list", { name: "Customers" }).waitFor();
    check((await app.getByRole("list", { name: "Customers" }).getByRole("button").count()) > 1,
      "the customer picker lists customers from qbCustomers");
    await shot("01b-transfer-customer-picker");
    await app.getByRole("list", { name: "Customers" }).getByRole("button", { name: "All customers" }).click();

    await app.getByRole("button", { name: "Preview" }).click();
    const table = app.getByRole("table", { name: "Orders to transfer" });
    await table.waitFor();
    const summary = app.getByTestId("selection-summary");
    const summaryText = await summary.innerText();
    const total = Number(/of (\d+) orders/.exec(summaryText)?.[1]);
    must(total > 1, `the preview lists the sample orders (${summaryText})`);
    check((await table.getByRole("checkbox").count()) > 1, "every row has a checkbox");
    await shot("02-transfer-preview");

    const firstRow = table.getByRole("row").nth(1);
    const orderCell = async (row) => (await row.getByRole("cell").nth(1).innerText()).split("\n")[0].trim();
    const firstNumber = await orderCell(firstRow);
    await firstRow.getByRole("checkbox").uncheck();
    check((await summary.innerText()).startsWith(`${total - 1} of ${total}`), "unchecking one order updates the count");
    await app.getByRole("button", { name: `Transfer ${total - 1} orders` }).click();
    await app.getByText(`${total - 1} orders queued for QuickBooks`).waitFor();
    check(await app.getByText(/at the next Web Connector\s+update/).first().isVisible(),
      "after queueing the app says it runs at the next Web Connector update");
    await app.getByTestId("status-line").getByText(`${total - 1} orders waiting`).waitFor();
    check(true, "the status line under the title counts the orders just queued");
    const queueCall = apiCalls.find((c) => c.body.includes("QbOrderTransferQueue"));
    check(queueCall && JSON.parse(queueCall.body).variables.input.excludeOrderIds.length === 1,
      "the queue request sends the filter and the one unchecked order as excludeOrderIds");
    check((await received()).some((a) => a.type === "notification"), "the app asked the Dashboard to show a notification");
    await shot("03-transfer-queued");

    // --- 2. Pending operations: see it, delete it ---------------------------------------------
    await app.getByRole("button", { name: "See pending operations" }).click();
    const pendingRow = app.getByTestId("pending-row");
    await pendingRow.first().waitFor();
    const pendingText = await pendingRow.first().innerText();
    check(pendingText.includes(`${total - 1} orders`) && pendingText.includes("staff@example.com"),
      "the pending operation shows its order count and who queued it");
    await shot("04-pending");
    await pendingRow.first().getByRole("button", { name: /Delete/ }).click();
    await app.getByRole("alertdialog").waitFor();
    await shot("05-pending-confirm-delete");
    await app.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await app.getByText("Nothing is waiting").waitFor();
    await app.getByTestId("status-line").getByText("nothing waiting").waitFor();
    check(true, "the pending operation was deleted and the status line says nothing waits");

    // --- token refresh, then queue again ------------------------------------------------------
    await page.evaluate((t) => window.refreshToken(t), tokens[1]);
    await app.getByRole("tab", { name: "Transfer orders" }).click();
    await app.getByRole("button", { name: "Preview" }).click();
    await table.waitFor();
    const again = table.getByRole("row").nth(1);
    must((await orderCell(again)) === firstNumber,
      `the same order ${firstNumber} heads the preview again`);
    await again.getByRole("checkbox").uncheck();
    await app.getByRole("button", { name: `Transfer ${total - 1} orders` }).click();
    await app.getByText(`${total - 1} orders queued for QuickBooks`).waitFor();
    // the queued orders do not come back ticked: the preview leaves them out and says so
    await app.getByRole("button", { name: "Preview" }).click();
    await app.getByTestId("already-queued").waitFor();
    check((await table.getByRole("row").count()) === 2 &&
      (await table.getByRole("row").nth(1).getByRole("cell").nth(1).innerText()).includes(firstNumber) &&
      (await app.getByTestId("already-queued").innerText()).startsWith(`${total - 1} matching orders are already waiting`),
      "a second preview lists only the order left out, and counts the queued ones");
    // at 1,024 px the real Dashboard leaves the frame about 764 px (its menu is 260 px): nothing scrolls sideways, with room to spare
    await page.setViewportSize({ width: 740, height: 1000 });
    const overflow = await page.frames().find((f) => f.url().startsWith(base)).evaluate(() => {
      const doc = document.documentElement;
      const tableBox = document.querySelector("table")?.parentElement;
      return { page: doc.scrollWidth - doc.clientWidth, table: tableBox ? tableBox.scrollWidth - tableBox.clientWidth : 0 };
    });
    check(overflow.page <= 0 && overflow.table <= 0, `the preview fits a 740 px frame (${JSON.stringify(overflow)})`);
    await shot("02c-transfer-preview-740px");
    await page.setViewportSize({ width: 1360, height: 1000 });
    check(apiCalls.at(-1).token === tokens[1], "after tokenRefresh the app uses the new token");

    // --- 3. Web Connector set-up, before the update ---------------------------------------------
    await app.getByRole("tab", { name: "Web Connector set-up" }).click();
    await app.getByTestId("qbwc-username").waitFor();
    check((await app.getByTestId("qbwc-username").innerText()) === "quickbooks", "the set-up shows the user name to type");
    check(await app.getByText("Web Connector has not checked in", { exact: true }).isVisible(),
      "the set-up warns that Web Connector never checked in while orders wait");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      app.getByRole("button", { name: "Download .qwc file" }).click(),
    ]);
    const qwcPath = path.join(shots, "..", "node_modules", ".e2e-download.qwc");
    await download.saveAs(qwcPath);
    const qwc = readFileSync(qwcPath, "utf-8");
    check(download.suggestedFilename() === "saleor-quickbooks.qwc" && qwc.includes("<QBWCXML>") &&
      qwc.includes(`${base}/plugins/global/saleor_qb_sync/qbwc`), "the .qwc file downloads and points at this server");
    await shot("06-setup-waiting");

    // --- 4. the Web Connector update ----------------------------------------------------------
    const wc = JSON.parse(
      runPython([path.join(here, "run_web_connector.py"), `${base}/plugins/global/saleor_qb_sync/qbwc`], env).trim().split("\n").at(-1),
    );
    const { recorded, ...shown } = wc; // the transactions themselves are for the real-Dashboard tier
    log(`Web Connector update: ${JSON.stringify({ ...shown, recorded: recorded?.length })}`);
    must(wc.transactions > 0, "the Web Connector emulator put orders into the QuickBooks simulator");

    // --- 5. History ---------------------------------------------------------------------------
    await app.getByRole("tab", { name: "History" }).click();
    const historyRows = app.getByTestId("history-row");
    await historyRows.first().waitFor();
    const historyCount = await historyRows.count();
    check(historyCount > 1, `the history lists the transfers (${historyCount} on the first page)`);
    await shot("07-history");
    await app.getByRole("checkbox", { name: "Failures only" }).check();
    await app.getByText(/Failed/).first().waitFor();
    const failed = await historyRows.count();
    const failedText = failed > 0 ? await historyRows.first().innerText() : "";
    check(failed > 0 && failedText.includes("Failed"), `failures only shows the failed transfers (${failed}) with QuickBooks' message`);
    await shot("08-history-failures");
    const link = historyRows.first().getByRole("button", { name: /Open order #\d+ in Saleor/ });
    await link.click();
    await page.waitForFunction(() => window.received.some((a) => a.type === "redirect"));
    const redirect = (await received()).find((a) => a.type === "redirect");
    check(/^\/orders\/[^/]+$/.test(redirect.payload.to), `the order link asks the Dashboard to open ${redirect.payload.to}`);
    await app.getByRole("checkbox", { name: "Failures only" }).uncheck();
    // the order left unchecked (the newest, first row) never went to QuickBooks
    await app.getByRole("searchbox", { name: "Order number" }).fill(firstNumber);
    await app.getByRole("button", { name: "Find" }).click();
    await app.getByText("No transfers yet").waitFor();
    check(true, `the unchecked order ${firstNumber} was not transferred`);
    await app.getByRole("searchbox", { name: "Order number" }).fill("");
    await app.getByRole("button", { name: "Find" }).click();
    await historyRows.first().waitFor();

    // --- dark theme and locale from the Dashboard ---------------------------------------------
    await page.evaluate(() => window.setTheme("dark"));
    await page.evaluate(() => window.setLocale("de"));
    await page.waitForTimeout(300);
    const frame = page.frames().find((f) => f.url().startsWith(base));
    const themeState = await frame.evaluate(() => ({
      theme: document.documentElement.dataset.theme,
      lang: document.documentElement.lang,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    check(themeState.theme === "dark" && themeState.lang === "de", `the app follows the Dashboard's theme and locale (${JSON.stringify(themeState)})`);
    await shot("09-history-dark-de");
    await page.evaluate(() => window.setTheme("light"));
    await page.evaluate(() => window.setLocale("en"));

    // --- 6. set-up after the update -----------------------------------------------------------
    await app.getByRole("tab", { name: "Web Connector set-up" }).click();
    await app.getByTestId("last-check-in").waitFor();
    check(!(await app.getByText("Web Connector has not checked in", { exact: true }).isVisible()),
      "after the update the stale warning is gone");
    await shot("10-setup-after-update");

    // --- 7. the order page (ORDER_DETAILS_MORE_ACTIONS popup) ---------------------------------
    const historyCall = apiCalls.filter((c) => c.body.includes("QbTransferHistory")).length;
    check(historyCall > 0, "history requests were made");
    const orderId = decodeURIComponent(redirect.payload.to.split("/").pop());
    await page.goto(hostUrl({ app: popupUrl, orderId }));
    check((await page.evaluate(() => window.iframeSrc)).includes("/app?view=order&domain="),
      "the popup loads at the URL the Dashboard builds from the manifest's POPUP url");
    await app.getByRole("heading", { name: /^Order #\d+$/ }).waitFor();
    check(!(await app.getByRole("heading", { name: /QuickBooks export/ }).count()),
      "the popup does not repeat the title the Dashboard gives it");
    await app.getByTestId("history-row").first().waitFor();
    check((await app.getByTestId("history-row").count()) >= 1, "the order panel shows the order's export history");
    await shot("11-order-panel");
    await app.getByRole("button", { name: "Queue this order for QuickBooks" }).click();
    await app.getByText("Queued for QuickBooks").first().waitFor();
    const lastQueue = apiCalls.filter((c) => c.body.includes("QbOrderTransferQueue")).at(-1);
    check(JSON.stringify(JSON.parse(lastQueue.body).variables.input) === JSON.stringify({ orderIds: [orderId] }),
      "the order panel queues just this order");
    await shot("12-order-panel-queued");
    await app.getByRole("button", { name: "Close" }).click();
    await page.waitForFunction(() => window.received.some((a) => a.type === "popupClose"));
    check(true, "Close asks the Dashboard to close the popup");

    // --- 8. keyboard: tabs with arrow keys ----------------------------------------------------
    await page.goto(hostUrl());
    await app.getByRole("tab", { name: "Transfer orders" }).focus();
    await page.keyboard.press("ArrowRight");
    check((await app.getByRole("tab", { name: "Pending operations" }).getAttribute("aria-selected")) === "true",
      "the tabs work with the arrow keys");
    await app.getByTestId("pending-row").first().waitFor();
    await shot("13-pending-after-update");

    const unexpected = consoleErrors;
    check(unexpected.length === 0, `no errors in the browser console${unexpected.length ? `: ${unexpected.join(" | ")}` : ""}`);
    await context.close();
  } finally {
    await browser.close();
    host.close();
    server.kill("SIGTERM");
    if (failures > 0 || process.env.E2E_SERVER_LOG) {
      console.error(serverLog.split("\n").slice(-40).join("\n"));
    }
  }
}

main()
  .then(() => {
    if (failures > 0) {
      console.error(`[e2e] ${failures} check(s) failed`);
      process.exit(1);
    }
    log("all checks passed");
  })
  .catch((error) => {
    console.error("[e2e] aborted:", error);
    process.exit(1);
  });
