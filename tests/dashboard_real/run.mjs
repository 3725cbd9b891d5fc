// The real-Dashboard tier: our app inside the real Saleor Dashboard, in headless Chromium.
// Started by tests/dashboard_real/run, which builds and serves the Dashboard, starts Saleor,
// activates the plugin and installs our app (setup_saleor.py), then runs this with:
//
//   SETUP_JSON      setup_saleor.py's last line: {appId, appUrl, manifestUrl, qbwcUser, ...}
//   API_URL         Saleor's GraphQL URL; DASHBOARD_URL the Dashboard's
//   SALEOR_ADMIN_EMAIL / SALEOR_ADMIN_PASSWORD, CHROMIUM_PATH, SALEOR_PYTHON (Saleor venv python)
//   QBXML_SCHEMA_DIR, QBWC_WSDL   for the Web Connector emulator run that fills the history
//
//   node run.mjs [--only screen,screen] [--list]
//
// Each screen is one async function in SCREENS below: it gets the shared context `t` (page,
// helpers, state that earlier screens left) and makes checks with t.check / t.must. A screen
// that throws is one failure, gets a <name>-FAILED.png screenshot, and the next screen runs
// unless the failed one is `required`. Screenshots: dashboard-extension/screenshots/real-dashboard/.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const extensionDir = path.join(repo, "dashboard-extension");
const require = createRequire(path.join(extensionDir, "package.json"));
const playwright = await import(pathToFileURL(require.resolve("playwright-core")).href);
const chromium = playwright.chromium ?? playwright.default.chromium;

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set (run tests/dashboard_real/run)`);
  return value;
};
const setup = JSON.parse(env("SETUP_JSON"));
const apiUrl = env("API_URL");
const saleorBase = apiUrl.replace(/\/graphql\/$/, "");
const dashboardUrl = env("DASHBOARD_URL").replace(/\/$/, "");
const adminEmail = env("SALEOR_ADMIN_EMAIL", "admin@example.com");
const adminPassword = env("SALEOR_ADMIN_PASSWORD", "admin");
const chromiumPath = env("CHROMIUM_PATH", "/usr/bin/chromium");
const shots = path.join(extensionDir, "screenshots", "real-dashboard");
const APP_NAME = setup.appName ?? "QuickBooks Desktop Sync";
const ROUTE = "/plugins/global/saleor_qb_sync/";
const appUrl = setup.appUrl; // http://127.0.0.1:<port>/plugins/global/saleor_qb_sync/app/
const shared = path.resolve(repo, "..", "shared");

// --- checks -----------------------------------------------------------------------------------
let failures = 0;
const warnings = [];
const log = (...args) => console.log("[dashboard-real]", ...args);
function check(condition, message) {
  if (condition) log(`ok   ${message}`);
  else {
    failures += 1;
    console.log(`[dashboard-real] FAIL ${message}`);
  }
  return condition;
}
function must(condition, message) {
  if (!check(condition, message)) throw new CheckFailed(message);
}
/** A known defect being fixed elsewhere: printed, never fails the run. */
function warn(condition, message) {
  if (condition) log(`ok   ${message}`);
  else {
    warnings.push(message);
    console.log(`[dashboard-real] WARN ${message}`);
  }
  return condition;
}
class CheckFailed extends Error {}
/** "#12" as a whole order number (not the start of "#123"). */
const orderNo = (n) => new RegExp(`#${n}(?!\\d)`);

// --- Saleor and our API, outside the browser ---------------------------------------------------
let staffToken = "";
async function saleorGql(query, variables = {}) {
  const response = await fetch(apiUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(staffToken ? { Authorization: `Bearer ${staffToken}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`Saleor GraphQL: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}
/** Saleor's API as a storefront calls it: no token (a checkout of a guest customer). */
async function publicGql(query, variables = {}) {
  const response = await fetch(apiUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`Saleor GraphQL (storefront): ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}
async function qbGql(query, variables = {}) {
  const response = await fetch(`${saleorBase}${ROUTE}graphql/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Authorization-Bearer": staffToken },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`our GraphQL: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}
async function staffLogIn() {
  const data = await saleorGql(
    `mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { message } } }`,
    { e: adminEmail, p: adminPassword },
  );
  staffToken = data.tokenCreate.token;
}

/** Saleor's own list of the orders our preview should offer: placed in [from, to] (UTC) with a
 * status setup_saleor.py made eligible (unfulfilled, partially fulfilled, fulfilled). */
const ELIGIBLE = ["UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED"];
async function saleorOrdersIn(from, to) {
  const numbers = [];
  let after = null;
  for (;;) {
    const data = await saleorGql(
      `query($after: String, $f: OrderFilterInput) { orders(first: 100, after: $after, filter: $f) {
        pageInfo { hasNextPage endCursor } edges { node { number status created } } } }`,
      { after, f: { created: { gte: from, lte: to } } },
    );
    for (const { node } of data.orders.edges) {
      if (ELIGIBLE.includes(node.status)) numbers.push(node.number);
    }
    if (!data.orders.pageInfo.hasNextPage) return numbers;
    after = data.orders.pageInfo.endCursor;
  }
}

// --- the browser --------------------------------------------------------------------------------
function appFrameSelector() {
  return `iframe[src*="${ROUTE}app"]`;
}

/** The context every screen gets. */
function makeContext(page, context) {
  const t = {
    page,
    context,
    setup,
    apiUrl,
    saleorBase,
    dashboardUrl,
    appUrl,
    state: {},
    check,
    must,
    warn,
    log,
    saleorGql,
    qbGql,
    /** A Dashboard element by its data-test-id (our app uses data-testid: getByTestId). */
    dash: (id) => page.locator(`[data-test-id="${id}"]`),
    /** Our app's iframe (the only one, or the one inside the open popup). */
    app: () => page.frameLocator(appFrameSelector()).first(),
    /** The Frame of our app, for evaluate(). */
    appFrame: () => page.frames().find((f) => f.url().startsWith(saleorBase + ROUTE + "app")),
    async shot(name) {
      await page.waitForTimeout(300); // let transitions end
      await page.screenshot({ path: path.join(shots, `${name}.png`) });
      log(`     screenshot screenshots/real-dashboard/${name}.png`);
    },
    async goto(dashboardPath) {
      await page.goto(dashboardUrl + dashboardPath);
    },
    /** Wait until our app has rendered inside its iframe; explain a blank frame. */
    async appReady(what, { timeout = 30000, ready = (app) => app.getByRole("tab", { name: "Transfer orders" }) } = {}) {
      const iframe = page.locator(appFrameSelector()).first();
      await iframe.waitFor({ timeout });
      const src = await iframe.getAttribute("src");
      t.state.lastIframeSrc = src;
      try {
        await ready(t.app()).waitFor({ timeout });
      } catch (error) {
        const frame = t.appFrame();
        const body = frame ? (await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "?")) : "(no frame)";
        t.must(false, `${what}: our app renders in its iframe (src ${src}; frame text ${JSON.stringify(body.slice(0, 200))})`);
      }
      return src;
    },
    /** The Dashboard's iframe URL for an app mount: our appUrl with the context parameters.
     * (Dashboard 3.23 joins it with url-join 4, which drops appUrl's final "/" before "?": our
     * index.html then finds its assets through its <base href>; issue 12.) */
    checkIframeSrc(src, what) {
      const url = new URL(src);
      const base = appUrl.replace(/\/$/, "");
      const path = src.slice(0, src.indexOf("?") < 0 ? undefined : src.indexOf("?"));
      t.check((path === base || path.startsWith(`${base}/`)) && url.searchParams.get("saleorApiUrl") === apiUrl &&
        url.searchParams.get("id") === setup.appId && url.searchParams.get("domain") === new URL(apiUrl).host,
        `${what}: the iframe loads our app (${path}) with domain, saleorApiUrl and the app id`);
    },
  };
  return t;
}

// --- screens ------------------------------------------------------------------------------------
// Each: { name, required?, run: async (t) => {} }. They run in this order and share t.state.

async function login(t) {
  await t.goto("/");
  await t.dash("email").fill(adminEmail);
  await t.dash("password").fill(adminPassword);
  await t.dash("submit").click();
  await t.dash("userMenu").waitFor({ timeout: 30000 });
  t.check(true, `logged in to the Dashboard as ${adminEmail}`);
  // the Dashboard's announcement card ("Saleor Pulse") covers the sidebar's bottom (user menu)
  const dismiss = t.dash("ripple-video-announcement-dismiss");
  if (await dismiss.isVisible({ timeout: 3000 }).catch(() => false)) await dismiss.click();
  await t.shot("00-dashboard-home");
}

async function appsPage(t) {
  // the Apps page: Extensions → Installed, reached from the sidebar
  // the sidebar is complete once the user's permissions are in (Fulfillment needs MANAGE_ORDERS)
  await t.dash("menu-item-label-orders").first().waitFor();
  // Extensions (group label, id installed-extensions) → the Installed list
  await t.dash("menu-item-label-installed-extensions").first().click();
  await t.page.waitForURL(/\/extensions\/installed/);
  // our app's row links to /extensions/app/<app id> (failed installations have no link)
  const link = t.page.locator(`a[href*="/extensions/app/${encodeURIComponent(setup.appId)}"]`);
  const row = t.dash("installed-extension-row").filter({ has: link });
  await row.first().waitFor({ timeout: 30000 });
  t.check((await row.count()) === 1 && (await row.innerText()).includes(APP_NAME),
    `the installed extensions list shows ${APP_NAME}, installed (its row opens /extensions/app/${setup.appId})`);
  await t.shot("01-apps-page");
  await link.first().click();
  await t.page.waitForURL(/\/extensions\/app\//, { timeout: 30000 });
  const src = await t.page.locator(appFrameSelector()).first().getAttribute("src", { timeout: 30000 });
  t.checkIframeSrc(src, "opened from the Apps page");
  await t.appReady("opened from the Apps page");
  t.check(decodeURIComponent(t.page.url()).includes(setup.appId), `the Dashboard shows the app at ${new URL(t.page.url()).pathname}`);
  await t.shot("02-app-from-apps-page");
}

async function transferPreview(t) {
  const app = t.app();
  await app.getByRole("tab", { name: "Transfer orders" }).click();
  // a date range holding a few of Saleor's orders: the day of the newest orders
  // (not the order the preview-matches-quickbooks screen makes: it is kept out of the other
  // screens' choices, so they do the same whether an earlier run left it or not)
  const recent = await t.saleorGql(`{ orders(first: 30, sortBy: {field: CREATED_AT, direction: DESC}) {
    edges { node { number created status metadata { key } } } } }`);
  const isPreviewOrder = (o) => o.metadata.some((m) => m.key === PREVIEW_ORDER_MARK);
  const marked = await t.saleorGql(`query($m: [MetadataFilter!]) { orders(first: 20, filter: {metadata: $m}) {
    edges { node { number } } } }`, { m: [{ key: PREVIEW_ORDER_MARK }] });
  t.state.previewOrders = marked.orders.edges.map((e) => e.node.number);
  const exportable = recent.orders.edges.map((e) => e.node).filter((o) => ELIGIBLE.includes(o.status) && !isPreviewOrder(o));
  t.must(exportable.length >= 2, `Saleor has orders to preview (${exportable.length} recent ones)`);
  const day = exportable[0].created.slice(0, 10);
  const expected = await saleorOrdersIn(day, day);
  t.state.range = { from: day, to: day, numbers: expected };
  const fields = app.getByRole("form", { name: "Which orders" });
  // a range with no orders first: the dates really filter
  await fields.getByLabel("Placed from").fill("2001-01-01");
  await fields.getByLabel("Placed until").fill("2001-01-31");
  await fields.getByRole("button", { name: "Preview" }).click();
  await app.getByText("No orders to transfer").waitFor({ timeout: 30000 });
  t.check(true, "a preview of January 2001 finds no orders to transfer");
  await fields.getByLabel("Placed from").fill(day);
  await fields.getByLabel("Placed until").fill(day);
  await fields.getByRole("button", { name: "Preview" }).click();
  const table = app.getByRole("table", { name: "Orders to transfer" });
  await table.waitFor({ timeout: 30000 });
  const summary = app.getByTestId("selection-summary");
  const summaryText = (await summary.innerText()).trim();
  const total = Number(/of ([\d,]+) orders?/.exec(summaryText)?.[1]?.replace(/,/g, ""));
  t.check(total === expected.length,
    `the preview for ${day} counts ${total} orders, as Saleor has ${expected.length} placed that day (${summaryText})`);
  const rows = table.locator("tbody tr");
  const shown = await rows.count();
  const numbers = [];
  for (let i = 0; i < shown; i += 1) numbers.push(/#(\d+)/.exec(await rows.nth(i).locator("td").nth(1).innerText())?.[1]);
  t.check(numbers.length > 0 && numbers.every((n) => expected.includes(n)),
    `every previewed order (#${numbers.slice(0, 5).join(", #")}${numbers.length > 5 ? ", …" : ""}) is one of Saleor's orders of ${day}`);
  t.check((await table.locator("tbody input[type=checkbox]:checked").count()) === shown, `all ${shown} rows are ticked`);
  await t.shot("03-transfer-preview");

  const first = rows.first();
  t.state.uncheckedNumber = numbers[0];
  await first.getByRole("checkbox").uncheck();
  t.check((await summary.innerText()).trim().startsWith(`${total - 1} of ${total}`),
    `unchecking #${numbers[0]} leaves ${total - 1} of ${total} selected`);
  t.state.queuedCount = total - 1;
  await app.getByRole("button", { name: new RegExp(`^Transfer ${total - 1} orders?$`) }).click();
  await app.getByText(new RegExp(`${total - 1} orders? queued for QuickBooks`)).waitFor({ timeout: 30000 });
  t.check(true, `Transfer queued ${total - 1} orders`);
  // the app's app-bridge notification is shown by the Dashboard itself, outside the iframe
  const toast = t.page.getByText("Queued for QuickBooks", { exact: true }).first();
  t.check(await toast.waitFor({ timeout: 10000 }).then(() => true, () => false),
    "the Dashboard shows the app's notification (Queued for QuickBooks)");
  await t.shot("04-transfer-queued");
  // the same preview again: only the unchecked order is still to be transferred
  await fields.getByRole("button", { name: "Preview" }).click();
  await table.waitFor();
  await t.page.waitForTimeout(500);
  const ticked = await table.locator("tbody tr").filter({ has: t.app().locator("input[type=checkbox]:checked") }).allInnerTexts();
  t.check(ticked.length === 1 && ticked[0].includes(`#${numbers[0]}`),
    `previewing again ticks only #${numbers[0]}, not the ${total - 1} queued orders (ticked: ${ticked.map((x) => /#\d+/.exec(x)?.[0]).join(", ") || "none"})`);
  await t.shot("04b-transfer-preview-after-queue");
}

const QUEUED_OPS = `{ qbPendingOperations(first: 100) { edges { node { id status orderCount orders } } } }`;
async function queuedOperations(t) {
  return (await t.qbGql(QUEUED_OPS)).qbPendingOperations.edges.map((e) => e.node).filter((o) => o.status === "QUEUED");
}

async function pendingOperations(t) {
  const app = t.app();
  await app.getByRole("tab", { name: "Pending operations" }).click();
  // operations Web Connector already ran stay listed (Done); ours is the one Queued
  const rows = app.getByTestId("pending-row").filter({ hasText: "Queued" });
  await rows.first().waitFor({ timeout: 30000 });
  t.check((await rows.count()) === 1, `one queued operation in the list (${await rows.count()})`);
  const text = await rows.first().innerText();
  t.check(new RegExp(`\\b${t.state.queuedCount} orders?\\b`).test(text) && text.includes(adminEmail),
    `it covers ${t.state.queuedCount} orders and was queued by ${adminEmail}`);
  const [op] = await queuedOperations(t);
  t.check(op && op.orderCount === t.state.queuedCount && !op.orders.map(String).includes(t.state.uncheckedNumber),
    `our API agrees: ${op?.orderCount} orders, without the unchecked #${t.state.uncheckedNumber}`);
  await t.shot("05-pending");
  await rows.first().getByRole("button", { name: /Delete/ }).click();
  const dialog = app.getByRole("alertdialog");
  await dialog.waitFor();
  await t.shot("06-pending-confirm-delete");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await app.getByText(/Deleted the pending operation/).waitFor({ timeout: 30000 });
  await t.page.waitForTimeout(500);
  t.check((await rows.count()) === 0 && (await queuedOperations(t)).length === 0,
    "after Delete the operation is gone from the list and from our API");
  await t.shot("07-pending-deleted");
}

/** Queue two orders and run one Web Connector update (emulator + QuickBooks simulator), so the
 * history has real rows; they are marked as not exported again at the end (cleanup). */
async function history(t) {
  const app = t.app();
  const wsdl = process.env.QBWC_WSDL ?? path.join(shared, "qbwc-wsdl", "QBWebConnectorSvc.wsdl");
  const python = env("SALEOR_PYTHON");
  const [a, b] = t.state.range.numbers.filter((n) => !(t.state.previewOrders ?? []).includes(n));
  // queue two orders from the app, by ticking just them
  await app.getByRole("tab", { name: "Transfer orders" }).click();
  await app.getByRole("form", { name: "Which orders" }).getByRole("button", { name: "Preview" }).click();
  const table = app.getByRole("table", { name: "Orders to transfer" });
  await table.waitFor();
  await app.getByRole("button", { name: "Select none" }).click();
  for (const n of [a, b]) await table.getByRole("checkbox", { name: `Transfer order #${n}` }).check();
  await app.getByRole("button", { name: /^Transfer 2 orders$/ }).click();
  await app.getByText(/2 orders queued for QuickBooks/).waitFor({ timeout: 30000 });
  t.state.exported = [a, b];

  const result = spawnSync(python, [path.join(extensionDir, "e2e", "run_web_connector.py"), `${t.saleorBase}${ROUTE}qbwc`], {
    env: { ...process.env, QBWC_PASSWORD: setup.qbwcPassword, QBWC_WSDL: wsdl }, encoding: "utf-8",
  });
  t.must(result.status === 0, `one Web Connector update against Saleor's /qbwc ran${result.status ? `: ${result.stderr.slice(-600)}` : ""}`);
  const wc = JSON.parse(result.stdout.trim().split("\n").at(-1));
  t.check(wc.transactions === 2, `it put the 2 queued orders into the QuickBooks simulator (${JSON.stringify(wc)})`);

  await app.getByRole("tab", { name: "History" }).click();
  const rows = app.getByTestId("history-row");
  await rows.first().waitFor({ timeout: 30000 });
  const texts = await rows.allInnerTexts();
  for (const n of [a, b]) {
    const row = texts.find((x) => orderNo(n).test(x)); // newest first
    t.check(row && /Done/.test(row) && /TxnID/.test(row),
      `the history's latest attempt for order #${n} is Done with a TxnID${row ? ` (${row.replace(/\s+/g, " ").slice(0, 120)})` : ""}`);
  }
  await t.shot("08-history");
  // the order-number search shows just that order's attempts
  await app.getByRole("searchbox", { name: "Order number" }).fill(String(b));
  await app.getByRole("button", { name: "Find" }).click();
  await rows.filter({ hasText: orderNo(a) }).first().waitFor({ state: "detached", timeout: 30000 });
  const found = await rows.allInnerTexts();
  t.check(found.length > 0 && found.every((x) => orderNo(b).test(x)),
    `searching order number ${b} shows only its ${found.length} attempt(s)`);
  await app.getByRole("searchbox", { name: "Order number" }).fill("");
  await app.getByRole("button", { name: "Find" }).click();
  // the order link asks the Dashboard to open the order page
  await rows.first().waitFor();
  const first = rows.filter({ hasText: orderNo(a) }).first();
  await first.getByRole("button", { name: new RegExp(`Open order #${a} in Saleor`) }).click();
  await t.page.waitForURL(/\/orders\/[^/?]+/, { timeout: 30000 });
  const orderPage = t.page.url();
  t.state.orderPageUrl = orderPage;
  t.check(/\/orders\//.test(orderPage), `the order link opens the order in the Dashboard (${new URL(orderPage).pathname})`);
  t.state.orderNumberOnPage = String(a);
}

/** The Settings tab's pickers: QuickBooks' lists as the history's Web Connector update read
 * them (from the QuickBooks simulator's company); a deposit account and a payment-method
 * mapping chosen from them are saved through the plugin configuration, and Saleor's own plugin
 * page shows both. The settings are put back at the end. */
async function settingsPickers(t) {
  const lists = await t.qbGql(`{ qbQuickBooksLists { lists { key count lastReadAt } } }`);
  const accounts = lists.qbQuickBooksLists.lists.find((l) => l.key === "accounts");
  t.must(accounts?.lastReadAt, `Web Connector read QuickBooks' lists in the history's update (${JSON.stringify(lists.qbQuickBooksLists.lists.map((l) => [l.key, l.count]))})`);
  const before = (await t.qbGql(`{ qbSettings { depositToAccount paymentMethods } }`)).qbSettings;
  await t.goto(`/extensions/app/${encodeURIComponent(setup.appId)}`);
  await t.appReady("the app page");
  const app = t.app();
  await app.getByRole("tab", { name: "Settings" }).click();
  await app.getByTestId("lists-status").waitFor({ timeout: 30000 });
  t.check(/as Web Connector last read them/.test(await app.getByTestId("lists-status").innerText()),
    "the Settings tab says when QuickBooks' lists were read");

  // the deposit account: only bank and other current asset accounts are offered
  const deposit = app.getByRole("combobox", { name: "Deposit to account" });
  await deposit.click();
  await deposit.fill("");
  const offered = app.getByRole("listbox", { name: "QuickBooks accounts for Deposit to account" });
  await offered.getByRole("option").first().waitFor({ timeout: 30000 });
  const names = (await offered.getByRole("option").allInnerTexts()).map((x) => x.split("\n")[0].trim());
  t.check(names.includes("Checking") && names.includes("Undeposited Funds") && !names.includes("Sales"),
    `the deposit account box offers QuickBooks' bank and other current asset accounts, not its income accounts (${names.join(", ")})`);
  await deposit.pressSequentially("Chec");
  await offered.getByRole("option", { name: /^Checking/ }).click();
  t.check((await deposit.inputValue()) === "Checking", "picking Checking fills the box");

  // a payment-method mapping: Saleor's "card" → QuickBooks' Visa, picked from QuickBooks' list
  await app.getByRole("button", { name: "Add payment method" }).click();
  const rows = app.getByTestId("payment-method-row");
  const row = (await rows.count());
  await app.getByRole("textbox", { name: `Saleor payment (method type or gateway), row ${row}` }).fill("card");
  const method = app.getByRole("combobox", { name: `QuickBooks payment method, row ${row}` });
  await method.click();
  await method.pressSequentially("Vi");
  await app.getByRole("listbox", { name: "QuickBooks payment methods" }).getByRole("option", { name: /^Visa/ }).click();
  await t.shot("24-settings-pickers");
  await app.getByRole("button", { name: "Save" }).click();
  await app.getByText("Settings saved.").waitFor({ timeout: 30000 });
  t.check(true, "Save saves the picked names");

  // Saleor's own plugin page shows them: one source of truth
  await t.goto(`/extensions/plugin/${encodeURIComponent("saleor_qb_sync")}`);
  const field = t.page.locator('input[name="deposit_to_account"]');
  await field.waitFor({ timeout: 30000 });
  const shown = await field.inputValue();
  const methods = await t.page.locator('input[name="payment_methods"]').inputValue();
  t.check(shown === "Checking", `Saleor's plugin page shows the deposit account picked in the app (${shown})`);
  t.check(methods.split(",").map((x) => x.trim()).includes("card=Visa"),
    `Saleor's plugin page shows the payment method mapping picked in the app (${methods})`);
  await t.shot("25-plugin-page-after-app-settings");

  const restored = await t.qbGql(`mutation($input: QbSettingsInput!) { qbSettingsUpdate(input: $input) { errors { field message } } }`,
    { input: { depositToAccount: before.depositToAccount, paymentMethods: before.paymentMethods } });
  t.check(restored.qbSettingsUpdate.errors.length === 0, "cleanup: the deposit account and payment methods are put back");
}

/** The Transfer screen's dry run and the Mappings tab, against QuickBooks' lists as the
 * history's Web Connector update read them: a dry run of two orders says what would land and
 * leaves no pending operation and no export; a SKU QuickBooks has no item for is mapped to an
 * item picked from QuickBooks' list, shown as mapped, and the mapping removed again. */
async function dryRunAndMappings(t) {
  await t.goto(`/extensions/app/${encodeURIComponent(setup.appId)}`);
  await t.appReady("the app page");
  const app = t.app();
  const pendingBefore = (await queuedOperations(t)).length;
  await app.getByRole("tab", { name: "Transfer orders" }).click();
  const fields = app.getByRole("form", { name: "Which orders" });
  await fields.getByLabel("Placed from").fill(t.state.range.from);
  await fields.getByLabel("Placed until").fill(t.state.range.to);
  await fields.getByRole("button", { name: "Preview" }).click();
  const table = app.getByRole("table", { name: "Orders to transfer" });
  await table.waitFor({ timeout: 30000 });
  // up to two of the orders the preview offers (not the preview-matches-quickbooks order)
  const offered = (await table.getByRole("checkbox", { name: /^Transfer order #\d+$/ }).evaluateAll(
    (boxes) => boxes.map((b) => b.getAttribute("aria-label") ?? ""))).map((x) => Number(/#(\d+)/.exec(x)?.[1]))
    .filter((n) => n && !(t.state.previewOrders ?? []).map(Number).includes(n));
  const chosen = offered.slice(0, 2);
  t.must(chosen.length >= 1, `the preview offers orders to try (${offered.join(", ")})`);
  await app.getByRole("button", { name: "Select none" }).click();
  for (const n of chosen) await table.getByRole("checkbox", { name: `Transfer order #${n}` }).check();
  const label = chosen.length === 1 ? "1 order" : `${chosen.length} orders`;
  await app.getByRole("button", { name: `Dry run ${label}` }).click();
  const result = app.getByRole("region", { name: "Dry run result" });
  await result.waitFor({ timeout: 60000 });
  const summary = await result.getByTestId("dry-run-summary").innerText();
  const rows = await result.getByRole("table", { name: "Dry run by order" }).locator("tbody tr").allInnerTexts();
  const landing = chosen.length === 1 ? "1 order would land" : `${chosen.length} orders would land`;
  t.check(summary.includes(`Dry run: ${landing}, 0 would fail`),
    `a dry run of order(s) #${chosen.join(", #")} says they would land (${summary.replace(/\s+/g, " ")})`);
  t.check(chosen.every((n) => rows.some((r) => orderNo(n).test(r) && /Would land/.test(r))),
    `each order's row says it would land (${rows.map((r) => r.replace(/\s+/g, " ").slice(0, 60)).join(" | ")})`);
  await t.shot("26-dry-run");
  const pendingAfter = (await queuedOperations(t)).length;
  const found = await t.saleorGql(`query($n: [String!]) { orders(first: 2, filter: {numbers: $n}) { edges { node { id } } } }`, { n: chosen.map(String) });
  const states = [];
  for (const edge of found.orders.edges) {
    const exp = await t.qbGql(`query($id: ID!) { qbOrderExport(orderId: $id) { order { exported } queued } }`, { id: edge.node.id });
    states.push(exp.qbOrderExport.order.exported || exp.qbOrderExport.queued ? "exported or queued" : "not exported");
  }
  t.check(pendingAfter === pendingBefore && states.every((s) => s === "not exported"),
    `the dry run queued nothing and exported nothing (pending ${pendingBefore} → ${pendingAfter}; states ${states.join(", ")})`);

  await app.getByRole("tab", { name: "Mappings" }).click();
  const unmapped = app.getByRole("table", { name: "SKUs without a QuickBooks item" });
  await unmapped.waitFor({ timeout: 30000 });
  const row = unmapped.getByTestId("unmapped-sku").first();
  const sku = (await row.locator("td").first().innerText()).trim();
  t.check(Boolean(sku), `the Mappings tab lists Saleor SKUs QuickBooks has no item for (first: ${sku})`);
  await row.getByRole("button", { name: `Map SKU ${sku} to a QuickBooks item` }).click();
  const box = app.getByRole("combobox", { name: `QuickBooks item for SKU ${sku}` });
  await box.click();
  const option = app.getByRole("listbox", { name: `QuickBooks item for SKU ${sku}` }).getByRole("option").first();
  await option.waitFor({ timeout: 30000 });
  const item = (await option.locator("span").first().innerText()).trim();
  await option.click();
  await app.getByRole("button", { name: "Map", exact: true }).click();
  const mapped = app.getByRole("table", { name: "Mapped SKUs" }).getByTestId("item-mapping").filter({ hasText: sku });
  await mapped.first().waitFor({ timeout: 30000 });
  t.check((await mapped.first().innerText()).includes(item), `SKU ${sku} is mapped to the QuickBooks item picked from the list (${item})`);
  const api = await t.qbGql(`{ qbItemMappings(first: 100) { edges { node { sku itemFullName } } } }`);
  t.check(api.qbItemMappings.edges.some((e) => e.node.sku === sku && e.node.itemFullName === item),
    "the API lists the mapping the tab saved");
  await t.shot("27-mappings");
  await app.getByRole("button", { name: `Remove the mapping of SKU ${sku}` }).click();
  await app.getByRole("button", { name: "Remove", exact: true }).click();
  await mapped.first().waitFor({ state: "detached", timeout: 30000 });
  t.check(true, `the mapping of SKU ${sku} is removed again`);
}

async function webConnectorSetup(t) {
  await t.goto(`/extensions/app/${encodeURIComponent(setup.appId)}`);
  await t.appReady("the app page");
  const app = t.app();
  await app.getByRole("tab", { name: "Web Connector set-up" }).click();
  await app.getByTestId("qbwc-username").waitFor({ timeout: 30000 });
  t.check((await app.getByTestId("qbwc-username").innerText()).trim() === setup.qbwcUser,
    `the set-up shows the Web Connector user name ${setup.qbwcUser}`);
  if (t.state.exported) {
    await app.getByTestId("last-check-in").waitFor();
    t.check(!/never/i.test(await app.getByTestId("last-check-in").innerText()), "the set-up shows the last check-in");
  }
  const [download] = await Promise.all([
    t.page.waitForEvent("download", { timeout: 30000 }),
    app.getByRole("button", { name: /Download .*\.qwc/ }).click(),
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "qb-qwc-"));
  const saved = path.join(dir, download.suggestedFilename());
  await download.saveAs(saved);
  const qwc = readFileSync(saved, "utf-8");
  rmSync(dir, { recursive: true, force: true });
  t.check(download.suggestedFilename().endsWith(".qwc"), `the download is a .qwc file (${download.suggestedFilename()})`);
  t.check(/^<\?xml[^>]*\?>\s*<QBWCXML>/.test(qwc.replace(/^\uFEFF/, "")) && qwc.includes("</QBWCXML>"), "it is Web Connector XML (<QBWCXML>)");
  const appUrlTag = /<AppURL>([^<]*)<\/AppURL>/.exec(qwc)?.[1];
  t.check(appUrlTag === `${t.saleorBase}${ROUTE}qbwc`, `its AppURL is our SOAP endpoint on this Saleor (${appUrlTag})`);
  t.check((/<UserName>([^<]*)<\/UserName>/.exec(qwc)?.[1] ?? "") === setup.qbwcUser, `its UserName is ${setup.qbwcUser}`);
  await t.shot("09-setup");
}

async function darkTheme(t) {
  const before = await t.appFrame().evaluate(() => document.documentElement.dataset.theme);
  await t.dash("userMenu").click();
  await t.dash("theme-switch").click();
  await t.appFrame().waitForFunction(() => document.documentElement.dataset.theme === "dark", null, { timeout: 15000 });
  const state = await t.appFrame().evaluate(() => {
    const rgb = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return { theme: document.documentElement.dataset.theme, rgb, scheme: document.documentElement.style.colorScheme };
  });
  state.dashboard = await t.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = state.rgb.length >= 3 && state.rgb.slice(0, 3).reduce((s, v) => s + v, 0) / 3 < 80;
  const same = state.dashboard === `rgb(${state.rgb.slice(0, 3).join(", ")})`;
  t.check(before === "light" && state.theme === "dark" && dark && same,
    `switching the Dashboard to dark mode turns our app dark, in the Dashboard's colour (${before} → ${JSON.stringify(state)})`);
  await t.app().getByRole("tab", { name: "Transfer orders" }).click();
  await t.shot("10-dark-transfer");
  await t.app().getByRole("tab", { name: "History" }).click();
  await t.app().getByTestId("history-row").first().waitFor().catch(() => undefined);
  await t.shot("11-dark-history");
  await t.dash("userMenu").click();
  await t.dash("theme-switch").click();
  await t.appFrame().waitForFunction(() => document.documentElement.dataset.theme === "light", null, { timeout: 15000 });
  t.check(true, "switching back to light mode turns our app light again");
}

async function navigationOrders(t) {
  await t.goto("/");
  await t.dash("userMenu").waitFor();
  await t.dash("menu-item-label-orders").click();
  const item = t.page.getByRole("link", { name: "QuickBooks", exact: true })
    .or(t.dash("menu-list").getByText("QuickBooks", { exact: true })).first();
  await item.waitFor({ timeout: 15000 });
  await t.shot("12-nav-orders-menu");
  await item.click();
  const src = await t.appReady("Orders → QuickBooks");
  t.checkIframeSrc(src, "Orders → QuickBooks (NAVIGATION_ORDERS)");
  await t.shot("13-nav-orders-app");
}

async function orderListMenu(t) {
  await t.goto("/orders/");
  const more = t.dash("show-more-button").first();
  await more.waitFor({ timeout: 30000 });
  await more.click();
  const item = t.page.getByText("Transfer to QuickBooks…", { exact: true });
  await item.waitFor();
  await t.shot("14-order-list-menu");
  await item.click();
  const src = await t.appReady("the order list's menu → Transfer to QuickBooks…");
  t.checkIframeSrc(src, "order list menu (ORDER_OVERVIEW_MORE_ACTIONS)");
  await t.shot("15-order-list-menu-app");
}

/** The Dashboard at 1024 px: our app inside it must not scroll sideways. */
async function narrow(t) {
  // what scrolls sideways in our frame: the page itself, or a table's scroll box
  const overflow = () => t.appFrame().evaluate(() => {
    const doc = document.documentElement;
    const boxes = [...document.querySelectorAll("table")].map((table) => table.parentElement)
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => `${box.querySelector("table").getAttribute("aria-label")} ${box.scrollWidth}/${box.clientWidth} px`);
    return { page: doc.scrollWidth > doc.clientWidth + 1 ? `page ${doc.scrollWidth}/${doc.clientWidth} px` : "", boxes };
  });
  await t.page.setViewportSize({ width: 1024, height: 800 });
  try {
    await t.goto(`/extensions/app/${encodeURIComponent(setup.appId)}`);
    await t.appReady("the app page at 1024 px");
    const app = t.app();
    const fields = app.getByRole("form", { name: "Which orders" });
    await fields.getByLabel("Placed from").fill(t.state.range.from);
    await fields.getByLabel("Placed until").fill(t.state.range.to);
    await fields.getByRole("button", { name: "Preview" }).click();
    await app.getByRole("table", { name: "Orders to transfer" }).waitFor();
    await t.shot("20-transfer-preview-1024");
    const screens = { "Transfer orders": await overflow() };
    for (const tab of ["Pending operations", "History", "Web Connector set-up"]) {
      await app.getByRole("tab", { name: tab }).click();
      await t.page.waitForTimeout(1000);
      if (tab === "History") await t.shot("21-history-1024");
      screens[tab] = await overflow();
    }
    for (const [tab, o] of Object.entries(screens)) {
      const what = [o.page, ...o.boxes].filter(Boolean).join(", ");
      t.check(!what, `at 1024 px ${tab} fits without sideways scrolling${what ? ` (scrolls: ${what})` : ""}`);
    }
  } finally {
    await t.page.setViewportSize({ width: 1440, height: 1000 });
  }
}

/** Open an order page, its "more actions" menu, our "QuickBooks export…" item (POPUP). */
async function openOrderPopup(t, number, shot) {
  const found = await t.saleorGql(`query($n: [String!]) { orders(first: 1, filter: {numbers: $n}) { edges { node { id number } } } }`, { n: [number] });
  const order = found.orders.edges[0].node;
  await t.goto(`/orders/${encodeURIComponent(order.id)}`);
  // the menu of the page before may still be there: its items carry that order's id (seen
  // once on Dashboard 3.22 under load: the popup opened without an orderId), so wait for
  // this order's own page
  await t.page.getByText(new RegExp(`#${number}(?!\\d)`)).first().waitFor({ timeout: 30000 });
  const more = t.dash("show-more-button").first();
  await more.waitFor({ timeout: 30000 });
  await more.click();
  const item = t.page.getByText("QuickBooks export…", { exact: true });
  await item.waitFor();
  if (shot) await t.shot(shot);
  await item.click();
  const src = await t.appReady(`order #${number}'s QuickBooks export… popup`, {
    ready: (app) => app.getByRole("button", { name: "Close" }),
  });
  const url = new URL(src);
  t.check(url.searchParams.get("view") === "order" && url.searchParams.get("orderId") === order.id,
    `the popup loads our order view for order #${number} (view=order, orderId=${url.searchParams.get("orderId")})`);
  t.check(await t.app().getByText(`#${number}`).first().isVisible(), `the popup names order #${number}`);
  return order;
}

async function closePopup(t) {
  await t.app().getByRole("button", { name: "Close" }).click();
  await t.page.locator(appFrameSelector()).waitFor({ state: "detached", timeout: 15000 });
  t.check(true, "Close closes the Dashboard's popup");
}

async function orderPopup(t) {
  // an order the history screen exported: its export is shown
  const exported = t.state.exported?.[0];
  if (exported) {
    await openOrderPopup(t, exported, "16-order-page-menu");
    const row = t.app().getByTestId("history-row").first();
    await row.waitFor({ timeout: 30000 });
    const text = await row.innerText();
    t.check(/Done/.test(text) && /TxnID/.test(text), `the popup shows order #${exported}'s export (${text.replace(/\s+/g, " ").slice(0, 100)})`);
    await t.shot("17-order-popup-exported");
    await closePopup(t);
  }
  // an order never exported: queue it from the popup
  const fresh = t.state.range.numbers.find((n) => ![...(t.state.exported ?? []), ...(t.state.previewOrders ?? [])].includes(n));
  const order = await openOrderPopup(t, fresh, exported ? null : "16-order-page-menu");
  await t.shot("18-order-popup");
  await t.app().getByRole("button", { name: "Queue this order for QuickBooks" }).click();
  await t.app().getByText(/Queued for QuickBooks/).first().waitFor({ timeout: 30000 });
  const pending = await t.qbGql(`{ qbPendingOperations(first: 10) { edges { node { id orderCount orders } } } }`);
  const op = pending.qbPendingOperations.edges.map((e) => e.node).find((o) => o.orders.map(String).includes(String(order.number)));
  t.check(op && op.orderCount === 1, `the popup queued just order #${order.number} (a pending operation of ${op?.orderCount} order)`);
  await t.shot("19-order-popup-queued");
  if (op) await t.qbGql(`mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) { errors { message } } }`, { ids: [op.id] });
  await closePopup(t);
}

// --- an order with a discount, shipping, a gift card and tax ------------------------------------
/** The order the preview-matches-quickbooks screen checks carries this metadata key (set at
 * checkoutComplete), and its guest customer this e-mail: a later run on the same database
 * (SALEOR_DB_COPY=0) finds and reuses it. */
const PREVIEW_ORDER_MARK = "qb-sync-preview-check";
const PREVIEW_EMAIL = "qb-sync-preview@example.com";
const PREVIEW_VOUCHER = "QB-SYNC-PREVIEW-10";
const PREVIEW_TAX_RATE = 8.25; // set as the US flat rate only while the checkout is made, if none is set
const PREVIEW_GIFT_CARD = 10; // in the channel's currency; the order's total stays above it
const PREVIEW_ADDRESS = {
  firstName: "Pat", lastName: "Preview", streetAddress1: "350 Fifth Avenue", city: "New York",
  postalCode: "10118", country: "US", countryArea: "NY", phone: "+12125551234",
};
const ORDER_FIELDS = `id number status userEmail created metadata { key value }
  total { gross { amount currency } net { amount } tax { amount } }
  shippingPrice { gross { amount } } shippingMethodName discounts { type name amount { amount } }
  voucherCode giftCards { id last4CodeChars }`;

function mutationErrors(result, what) {
  const errors = result?.errors ?? [];
  if (errors.length) throw new Error(`${what}: ${JSON.stringify(errors).slice(0, 400)}`);
  return result;
}

/** The order for the preview check, made through Saleor's public API the first time: a staff
 * voucher (10 % off the entire order, voucherCreate + voucherChannelListingUpdate), a new
 * $10 gift card (giftCardCreate), the US flat tax rate if the channel has none
 * (taxCountryConfigurationUpdate; the channel's tax configuration switched to flat rates with
 * taxConfigurationUpdate if needed), then a guest checkout in the USD channel as a storefront
 * makes it: checkoutCreate with two of a shippable product and US addresses,
 * checkoutDeliveryMethodUpdate with a priced shipping method, checkoutAddPromoCode for the
 * voucher and for the gift card (Saleor's legacy gift card flow, which takes the card off the
 * total), and checkoutComplete with the marker metadata. The remaining total is left unpaid:
 * the channel allows unpaid orders (channelUpdate orderSettings.allowUnpaidOrders) only while
 * checkoutComplete runs. The tax and channel settings are put back afterwards. */
async function previewOrder(t) {
  const found = await t.saleorGql(`query($m: [MetadataFilter!]) { orders(first: 5, filter: {metadata: $m}) {
    edges { node { ${ORDER_FIELDS} } } } }`, { m: [{ key: PREVIEW_ORDER_MARK }] });
  const existing = found.orders.edges.map((e) => e.node).find((o) => ELIGIBLE.includes(o.status) || o.status === "UNCONFIRMED");
  if (existing) {
    t.log(`     reusing order #${existing.number} made by an earlier run (metadata ${PREVIEW_ORDER_MARK})`);
    return confirmed(t, existing);
  }
  const { channels } = await t.saleorGql(`{ channels { id slug currencyCode defaultCountry { code }
    orderSettings { allowUnpaidOrders } } }`);
  const channel = channels.find((c) => c.slug === "default-channel") ?? channels.find((c) => c.currencyCode === "USD");
  t.must(channel, `Saleor has a USD channel for the preview order (${channels.map((c) => c.slug).join(", ")})`);
  const restore = [];
  try {
    // tax: flat rates, charged, with a US rate
    const configs = await t.saleorGql(`{ taxConfigurations(first: 50) { edges { node { id channel { slug }
      chargeTaxes taxCalculationStrategy } } } }`);
    const config = configs.taxConfigurations.edges.map((e) => e.node).find((c) => c.channel.slug === channel.slug);
    if (config && (!config.chargeTaxes || config.taxCalculationStrategy !== "FLAT_RATES")) {
      const update = (input) => t.saleorGql(`mutation($id: ID!, $input: TaxConfigurationUpdateInput!) {
        taxConfigurationUpdate(id: $id, input: $input) { errors { field code message } } }`, { id: config.id, input });
      mutationErrors((await update({ chargeTaxes: true, taxCalculationStrategy: "FLAT_RATES" })).taxConfigurationUpdate, "taxConfigurationUpdate");
      restore.push(() => update({ chargeTaxes: config.chargeTaxes, taxCalculationStrategy: config.taxCalculationStrategy }));
    }
    const country = await t.saleorGql(`{ taxCountryConfiguration(countryCode: US) { taxClassCountryRates { rate taxClass { id } } } }`);
    const rates = country.taxCountryConfiguration?.taxClassCountryRates ?? [];
    const defaultRate = rates.find((r) => !r.taxClass)?.rate;
    if (!defaultRate) {
      const setRate = (rate) => t.saleorGql(`mutation($rates: [TaxClassRateInput!]!) {
        taxCountryConfigurationUpdate(countryCode: US, updateTaxClassRates: $rates) { errors { field code message } } }`,
      { rates: [{ rate }] });
      mutationErrors((await setRate(PREVIEW_TAX_RATE)).taxCountryConfigurationUpdate, "taxCountryConfigurationUpdate");
      restore.push(() => rates.length
        ? setRate(defaultRate ?? 0)
        : t.saleorGql(`mutation { taxCountryConfigurationDelete(countryCode: US) { errors { field code message } } }`));
      t.log(`     US flat tax rate ${PREVIEW_TAX_RATE} % while the checkout is made (the channel had ${defaultRate ?? "none"})`);
    }
    // a voucher: 10 % off the entire order
    const vouchers = await t.saleorGql(`query($s: String) { vouchers(first: 5, filter: {search: $s}) {
      edges { node { id code } } } }`, { s: PREVIEW_VOUCHER });
    let voucherId = vouchers.vouchers.edges.map((e) => e.node).find((v) => v.code === PREVIEW_VOUCHER)?.id;
    if (!voucherId) {
      const created = await t.saleorGql(`mutation($input: VoucherInput!) { voucherCreate(input: $input) {
        voucher { id } errors { field code message } } }`, { input: {
        name: "QuickBooks preview check (10 % off)", type: "ENTIRE_ORDER", discountValueType: "PERCENTAGE",
        addCodes: [PREVIEW_VOUCHER] } });
      voucherId = mutationErrors(created.voucherCreate, "voucherCreate").voucher.id;
    }
    mutationErrors((await t.saleorGql(`mutation($id: ID!, $input: VoucherChannelListingInput!) {
      voucherChannelListingUpdate(id: $id, input: $input) { errors { field code message } } }`,
    { id: voucherId, input: { addChannels: [{ channelId: channel.id, discountValue: 10, minAmountSpent: 0 }] } })).voucherChannelListingUpdate,
    "voucherChannelListingUpdate");
    // a gift card
    const card = await t.saleorGql(`mutation($input: GiftCardCreateInput!) { giftCardCreate(input: $input) {
      giftCard { id code } errors { field code message } } }`, { input: {
      balance: { amount: PREVIEW_GIFT_CARD, currency: channel.currencyCode }, isActive: true,
      note: "for the real-Dashboard tier's preview check" } });
    const giftCard = mutationErrors(card.giftCardCreate, "giftCardCreate").giftCard;
    // a shippable product in stock for the US
    const products = await t.saleorGql(`query($c: String) { products(first: 40, channel: $c, filter: {giftCard: false, isPublished: true}) {
      edges { node { name isAvailableForPurchase productType { isShippingRequired }
        variants { id name quantityAvailable(countryCode: US) pricing { price { gross { amount } } } } } } } }`, { c: channel.slug });
    const variant = products.products.edges.map((e) => e.node)
      .filter((p) => p.productType.isShippingRequired && p.isAvailableForPurchase !== false)
      .flatMap((p) => p.variants.map((v) => ({ ...v, product: p.name })))
      .find((v) => (v.quantityAvailable ?? 0) >= 2 && (v.pricing?.price?.gross?.amount ?? 0) >= 15);
    t.must(variant, "Saleor has a shippable product in stock for the US, at $15 or more");
    // the storefront's checkout, as a guest
    const checkoutFields = `id totalPrice { gross { amount } tax { amount } } subtotalPrice { gross { amount } }
      shippingPrice { gross { amount } } discount { amount } giftCards { last4CodeChars }`;
    const made = await publicGql(`mutation($input: CheckoutCreateInput!) { checkoutCreate(input: $input) {
      checkout { id shippingMethods { id name active price { amount } } } errors { field code message } } }`,
    { input: { channel: channel.slug, email: PREVIEW_EMAIL, lines: [{ variantId: variant.id, quantity: 2 }],
      shippingAddress: PREVIEW_ADDRESS, billingAddress: PREVIEW_ADDRESS } });
    const checkout = mutationErrors(made.checkoutCreate, "checkoutCreate").checkout;
    const method = checkout.shippingMethods.find((m) => m.active !== false && m.price.amount > 0);
    t.must(method, `the checkout offers a priced shipping method (${checkout.shippingMethods.map((m) => `${m.name} ${m.price.amount}`).join(", ")})`);
    mutationErrors((await publicGql(`mutation($id: ID!, $m: ID!) { checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $m) {
      errors { field code message } } }`, { id: checkout.id, m: method.id })).checkoutDeliveryMethodUpdate, "checkoutDeliveryMethodUpdate");
    let totals;
    for (const code of [PREVIEW_VOUCHER, giftCard.code]) {
      const added = await publicGql(`mutation($id: ID!, $code: String!) { checkoutAddPromoCode(id: $id, promoCode: $code) {
        checkout { ${checkoutFields} } errors { field code message } } }`, { id: checkout.id, code });
      totals = mutationErrors(added.checkoutAddPromoCode, `checkoutAddPromoCode(${code === PREVIEW_VOUCHER ? code : "the gift card"})`).checkout;
    }
    t.must(totals.discount.amount > 0 && totals.giftCards.length === 1 && totals.totalPrice.tax.amount > 0 &&
      totals.totalPrice.gross.amount > 0,
    `the checkout has a discount, shipping, a gift card and tax, with something left to pay (${JSON.stringify(totals)})`);
    if (!channel.orderSettings.allowUnpaidOrders) {
      const allow = (value) => t.saleorGql(`mutation($id: ID!, $input: ChannelUpdateInput!) { channelUpdate(id: $id, input: $input) {
        errors { field code message } } }`, { id: channel.id, input: { orderSettings: { allowUnpaidOrders: value } } });
      mutationErrors((await allow(true)).channelUpdate, "channelUpdate(allowUnpaidOrders)");
      restore.push(() => allow(false));
    }
    const completed = await publicGql(`mutation($id: ID!, $m: [MetadataInput!]) { checkoutComplete(id: $id, metadata: $m) {
      order { id number } errors { field code message } } }`,
    { id: checkout.id, m: [{ key: PREVIEW_ORDER_MARK, value: "discount, shipping, gift card, tax" }] });
    const { order } = mutationErrors(completed.checkoutComplete, "checkoutComplete");
    t.log(`     made order #${order.number}: 2 × ${variant.product} ${variant.name}, ${method.name}, voucher ${PREVIEW_VOUCHER}, a ${PREVIEW_GIFT_CARD} gift card`);
    const again = await t.saleorGql(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: order.id });
    return confirmed(t, again.order);
  } finally {
    for (const undo of restore.reverse()) await undo().catch((error) => t.log(`     could not restore a setting: ${error.message}`));
  }
}

/** The order, confirmed by staff (orderConfirm) if the channel left it unconfirmed (populatedb's
 * channels do not confirm new orders automatically): unconfirmed orders are never exported. */
async function confirmed(t, order) {
  if (order.status !== "UNCONFIRMED") return order;
  const result = await t.saleorGql(`mutation($id: ID!) { orderConfirm(id: $id) { order { ${ORDER_FIELDS} }
    errors { field code message } } }`, { id: order.id });
  const { order: done } = mutationErrors(result.orderConfirm, "orderConfirm");
  t.log(`     confirmed order #${done.number} (orderConfirm): ${done.status}`);
  return done;
}

/** "$1,234.56", "-$10.00", "($10.00)", "1 234,56 zł" → a number (the Dashboard's locale). */
function moneyValue(text) {
  const negative = /[-−(]/.test(text);
  const digits = text.replace(/[^\d.,]/g, "");
  // the last separator followed by one or two digits is the decimal one
  const match = /^(.*?)(?:[.,](\d{1,2}))?$/.exec(digits);
  const value = Number(`${match[1].replace(/[.,]/g, "")}.${match[2] ?? "0"}`);
  return negative ? -value : value;
}
const numberOrNull = (text) => (text === "—" || text === "" || text == null ? null : Number(text));
const cents = (x) => Math.round(Number(x) * 100);

/** The document preview of an order with a discount, shipping, a gift card and tax matches what
 * the QuickBooks simulator records for it, line by line (issue 15). */
async function previewMatchesQuickBooks(t) {
  const order = await previewOrder(t);
  t.must(order.total.tax.amount > 0 && order.discounts.length > 0 && order.giftCards.length > 0 && order.shippingPrice.gross.amount > 0,
    `order #${order.number} has a discount (${order.discounts.map((d) => `${d.type} ${d.amount.amount}`).join(", ")}), shipping (${order.shippingMethodName} ${order.shippingPrice.gross.amount}), a gift card and tax (${order.total.tax.amount}); total ${order.total.gross.amount} ${order.total.gross.currency}`);
  await openOrderPopup(t, order.number);
  const app = t.app();
  const table = app.getByRole("table", { name: "Lines as QuickBooks will receive them" });
  await table.waitFor({ timeout: 30000 });
  const facts = Object.fromEntries(await app.getByTestId("transaction-preview").locator("dl > div").evaluateAll((divs) =>
    divs.map((d) => [d.querySelector("dt")?.textContent?.trim(), d.querySelector("dd")?.textContent?.trim()])));
  const rows = await table.getByTestId("preview-line").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
  const preview = rows.map(([item, description, quantity, rate, amount, tax]) => ({ item, description, quantity, rate, amount, tax }));
  const totalText = (await app.getByTestId("preview-total").innerText()).trim();
  await t.shot("22-order-preview-lines");
  t.check(cents(moneyValue(totalText)) === cents(order.total.gross.amount),
    `the preview's total ${totalText} is Saleor's order total ${order.total.gross.amount}`);

  // queue it from the popup, alone (an earlier screen's operation would go along otherwise,
  // e.g. transfer-preview's when pending-operations is left out with --only), and let one Web
  // Connector update take it to QuickBooks
  const others = (await queuedOperations(t)).map((o) => o.id);
  if (others.length) {
    await t.qbGql(`mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) { errors { message } } }`, { ids: others });
    t.log(`     deleted ${others.length} queued operation(s) left by earlier screens`);
  }
  await app.getByRole("button", { name: "Queue this order for QuickBooks" }).click();
  await app.getByText(/Queued for QuickBooks/).first().waitFor({ timeout: 30000 });
  t.state.previewExported = order.number;
  const queued = await queuedOperations(t);
  t.check(queued.length === 1 && queued[0].orderCount === 1 && queued[0].orders.map(String).includes(String(order.number)),
    `the popup queued order #${order.number}, the only order waiting for QuickBooks`);
  await t.shot("23-order-preview-queued");
  await closePopup(t);
  const wsdl = process.env.QBWC_WSDL ?? path.join(shared, "qbwc-wsdl", "QBWebConnectorSvc.wsdl");
  const result = spawnSync(env("SALEOR_PYTHON"), [path.join(extensionDir, "e2e", "run_web_connector.py"), `${t.saleorBase}${ROUTE}qbwc`], {
    env: { ...process.env, QBWC_PASSWORD: setup.qbwcPassword, QBWC_WSDL: wsdl }, encoding: "utf-8",
  });
  t.must(result.status === 0, `one Web Connector update ran${result.status ? `: ${result.stderr.slice(-600)}` : ""}`);
  const wc = JSON.parse(result.stdout.trim().split("\n").at(-1));
  const recorded = wc.recorded.find((x) => x.ref_number === facts.Number);
  t.must(recorded && wc.transactions === 1,
    `the update put order #${order.number} into the QuickBooks simulator, with RefNumber ${facts.Number} (it holds ${wc.recorded.map((x) => `${x.type} ${x.ref_number}`).join(", ") || "nothing"}; errors ${JSON.stringify(wc.errors)})`);

  // the comparison, line by line
  t.check(recorded.type === (facts.Type ?? "").replace(/\s+/g, "") && recorded.customer === facts.Customer?.replace(/ \(in .*\)$/, ""),
    `QuickBooks recorded a ${recorded.type} ${recorded.ref_number} for ${recorded.customer}, as the preview said (${facts.Type} ${facts.Number} for ${facts.Customer})`);
  t.check(recorded.lines.length === preview.length, `QuickBooks has ${recorded.lines.length} lines, the preview ${preview.length}`);
  const table_ = [];
  preview.forEach((p, i) => {
    const r = recorded.lines[i] ?? {};
    const qty = numberOrNull(p.quantity);
    const rate = numberOrNull(p.rate);
    const derived = r.quantity != null && r.rate != null && cents(Number(r.rate) * Number(r.quantity)) === cents(r.amount);
    const same = {
      item: p.item === r.item,
      description: (p.description === "—" ? "" : p.description) === (r.description ?? ""),
      quantity: qty === (r.quantity == null ? null : Number(r.quantity)),
      // no Rate sent: QuickBooks works it out from the quantity and the amount
      rate: rate === null ? r.rate == null || derived : Number(r.rate) === rate,
      amount: cents(moneyValue(p.amount)) === cents(r.amount),
      // "item's own": the line leaves QuickBooks the item's own code
      tax: p.tax === "item's own" ? true : p.tax === r.sales_tax_code,
    };
    const bad = Object.entries(same).filter(([, ok]) => !ok).map(([k]) => k);
    table_.push(`${i + 1}. ${p.item} | ${p.description} | ${p.quantity} | ${p.rate} | ${p.amount} | ${p.tax}  ⇔  ` +
      `${r.item} | ${r.description} | ${r.quantity} | ${r.rate} | ${r.amount} | ${r.sales_tax_code}`);
    t.check(bad.length === 0, `line ${i + 1} (${p.item}, ${p.amount}) is the same in QuickBooks${bad.length ? `; differs in ${bad.join(", ")}: ${table_.at(-1)}` : ""}`);
  });
  t.log("     preview ⇔ QuickBooks (item | description | qty | rate | amount | tax):");
  for (const line of table_) t.log(`       ${line}`);
  t.check(cents(moneyValue(totalText)) === cents(recorded.total_amount),
    `the preview's total ${totalText} is QuickBooks' total ${recorded.total_amount} (subtotal ${recorded.subtotal}, sales tax ${recorded.sales_tax_total})`);
  // the kinds of line the order needs
  const amounts = preview.map((p) => moneyValue(p.amount));
  const discount = preview.findIndex((p, i) => amounts[i] < 0 && /discount/i.test(`${p.item} ${p.description}`));
  const gift = preview.findIndex((p, i) => amounts[i] < 0 && /gift card/i.test(`${p.item} ${p.description}`));
  const shipping = preview.findIndex((p) => p.description === order.shippingMethodName || /shipping/i.test(p.item));
  const taxLine = preview.findIndex((p, i) => amounts[i] > 0 && /tax/i.test(`${p.item} ${p.description}`) && p.quantity === "—");
  const quickbooksTax = Number(recorded.sales_tax_total) > 0 && recorded.lines.some((l) => l.sales_tax_code === "Tax");
  t.check(discount >= 0 && gift >= 0 && shipping >= 0 && (taxLine >= 0 || quickbooksTax),
    `the lines include a discount (line ${discount + 1}), shipping (line ${shipping + 1}), a gift card (line ${gift + 1}) and ` +
    (taxLine >= 0 ? `a tax line (line ${taxLine + 1})` : `QuickBooks' sales tax on the taxable lines (${recorded.sales_tax_total})`));
  t.check(gift >= 0 && cents(-amounts[gift]) === cents(PREVIEW_GIFT_CARD),
    `the gift card line takes off the card's ${PREVIEW_GIFT_CARD} (${preview[gift]?.amount})`);
}

/** Put the lab back: the orders this run exported are offered for transfer again. */
async function cleanup(t) {
  const numbers = [...(t.state.exported ?? []), ...(t.state.previewExported ? [t.state.previewExported] : [])];
  if (numbers.length) {
    const found = await t.saleorGql(`query($n: [String!]) { orders(first: 10, filter: {numbers: $n}) { edges { node { id } } } }`, { n: numbers });
    const ids = found.orders.edges.map((e) => e.node.id);
    const reset = await t.qbGql(`mutation($ids: [ID!]!) { qbOrderExportReset(orderIds: $ids) { errors { message } } }`, { ids });
    t.check(reset.qbOrderExportReset.errors.length === 0, `cleanup: orders #${numbers.join(", #")} marked as not exported again`);
  }
  const ids = (await queuedOperations(t)).map((o) => o.id);
  if (ids.length) await t.qbGql(`mutation($ids: [ID!]!) { qbPendingOperationDelete(ids: $ids) { errors { message } } }`, { ids });
  t.check(true, "cleanup: nothing left pending");
  // the app points at this run's Saleor port, which stops with the run
  if (process.env.KEEP_RUNNING !== "1") {
    const removed = await t.saleorGql(`mutation($id: ID!) { appDelete(id: $id) { errors { message } } }`, { id: setup.appId });
    t.check(removed.appDelete.errors.length === 0, `cleanup: the app installed for this run is removed from Saleor (KEEP_RUNNING=1 keeps it)`);
  }
}

const SCREENS = [
  { name: "login", required: true, run: login },
  { name: "apps-page", required: true, run: appsPage },
  { name: "transfer-preview", required: true, run: transferPreview },
  { name: "pending-operations", run: pendingOperations },
  { name: "history", run: history },
  { name: "settings-pickers", run: settingsPickers },
  { name: "dry-run-and-mappings", run: dryRunAndMappings },
  { name: "web-connector-setup", run: webConnectorSetup },
  { name: "dark-theme", run: darkTheme },
  { name: "navigation-orders", run: navigationOrders },
  { name: "order-list-menu", run: orderListMenu },
  { name: "order-popup", run: orderPopup },
  { name: "narrow-1024", run: narrow },
  { name: "preview-matches-quickbooks", run: previewMatchesQuickBooks },
  { name: "cleanup", always: true, run: cleanup },
];

// --- main ---------------------------------------------------------------------------------------
async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--list")) {
    for (const s of SCREENS) console.log(s.name);
    return;
  }
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;
  mkdirSync(shots, { recursive: true });
  await staffLogIn();
  log(`${process.env.VERSIONS ?? ""}; Dashboard ${dashboardUrl}, API ${apiUrl}, app ${setup.appId}`);

  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "qb-real-dashboard-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20000);
  const appProblems = [];
  page.on("response", (r) => {
    if (r.url().startsWith(saleorBase + ROUTE) && r.status() >= 400) appProblems.push(`${r.status()} ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error" && (m.location()?.url ?? "").startsWith(saleorBase + ROUTE)) appProblems.push(m.text());
  });
  const t = makeContext(page, context);
  let stop = false;
  try {
    for (const screen of SCREENS) {
      if (stop && !screen.always) continue;
      if (only && !only.includes(screen.name) && !screen.required && !screen.always) continue;
      log(`--- ${screen.name}`);
      const before = failures;
      try {
        await screen.run(t);
      } catch (error) {
        if (!(error instanceof CheckFailed)) {
          failures += 1;
          console.log(`[dashboard-real] FAIL ${screen.name}: ${String(error.message ?? error).split("\n")[0]}`);
        }
        await page.screenshot({ path: path.join(shots, `${screen.name}-FAILED.png`) }).catch(() => undefined);
        log(`     screenshot screenshots/real-dashboard/${screen.name}-FAILED.png`);
        if (screen.required) stop = true;
      }
      if (failures > before && screen.required) stop = true;
    }
    check(appProblems.length === 0,
      `our app's requests and console had no errors${appProblems.length ? `: ${[...new Set(appProblems)].slice(0, 8).join(" | ")}` : ""}`);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => {
    if (warnings.length) log(`${warnings.length} known issue(s) seen (WARN lines above)`);
    if (failures > 0) {
      console.log(`[dashboard-real] ${failures} check(s) failed`);
      process.exit(1);
    }
    log("all checks passed");
  })
  .catch((error) => {
    console.log("[dashboard-real] aborted:", error);
    process.exit(1);
  });
