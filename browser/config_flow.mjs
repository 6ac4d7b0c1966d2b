// Screenshots of what a user sees when adding an SMS Gateway account, in headless Chromium.
//
//   node config_flow.mjs URL [LEG]
//
// URL is the running `make demo`'s Home Assistant (http://127.0.0.1:PORT/...; only its origin is
// used), LEG a name for the screenshots (default: "floor"). It logs in as demo/demo, opens
// Settings > Devices & services, adds "SMS Gateway", picks SMSLink and then Plasgate in the menu,
// and shoots each account form with its "Service address" section folded and unfolded. It closes
// each dialog without submitting. PNGs go to screenshots/LEG-*.png beside this file.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const [rawUrl, leg = "floor"] = process.argv.slice(2);
if (!rawUrl) {
  console.error("usage: node config_flow.mjs URL [LEG]");
  process.exit(2);
}
const origin = new URL(rawUrl).origin;
const outDir = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
const TIMEOUT = 60_000;
const PROVIDERS = [
  { option: "SMSLink", slug: "smslink", field: "Connection ID" },
  { option: "Plasgate", slug: "plasgate", field: "Private key" },
];

const shots = [];
async function shoot(page, name) {
  const path = join(outDir, `${leg}-${name}.png`);
  await page.screenshot({ path });
  shots.push(path);
  console.log(`screenshot ${path}`);
}

async function logIn(page) {
  await page.goto(`${origin}/`, { waitUntil: "domcontentloaded" });
  await page.waitForURL(/\/auth\/authorize/, { timeout: TIMEOUT });
  await page.getByRole("textbox", { name: "Username" }).fill("demo");
  await page.getByRole("textbox", { name: "Password" }).fill("demo");
  await page.getByRole("button", { name: /log in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/"), { timeout: TIMEOUT });
  // The frontend trades the login's code for tokens after the redirect: leaving the page before
  // they are stored would land on the login page again.
  await page.waitForFunction(() => localStorage.getItem("hassTokens"), null, { timeout: TIMEOUT });
}

// Home Assistant 2026 asks to confirm the demo's http: server_host (else it reverts it after a
// few minutes). The dialog cannot be dismissed: shot, then removed from this page only; the
// script neither confirms nor reverts anything.
async function setAsideHttpPending(page) {
  const title = page.getByText("Confirm new HTTP server configuration");
  if (!(await title.isVisible())) return;
  await shoot(page, "http-pending");
  await page.evaluate(() => {
    const find = (root) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.localName === "dialog-http-pending-config") return el;
        const inner = el.shadowRoot && find(el.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    find(document)?.remove();
  });
  await title.waitFor({ state: "hidden", timeout: 10_000 });
}

async function openIntegrations(page) {
  await page.goto(`${origin}/config/integrations/dashboard`, { waitUntil: "domcontentloaded" });
  await page.getByText("SMS Gateway", { exact: true }).first().waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(1500);
  await setAsideHttpPending(page);
  // Let the brand images load (or fail to) before the shot.
  await page.waitForLoadState("networkidle", { timeout: TIMEOUT }).catch(() => {});
  await page.waitForTimeout(1500);
}

// Opens Add integration, searches "SMS Gateway", picks it; returns once the menu shows.
async function startFlow(page, shotName) {
  await page.getByRole("button", { name: /add integration/i }).click();
  // The dialog's own search field, not the dashboard's filter behind it.
  // Labelled in 2025, a placeholder in 2026.
  const search = page
    .getByRole("textbox", { name: /brand name/i })
    .or(page.getByPlaceholder(/brand name/i))
    .first();
  await search.waitFor({ timeout: TIMEOUT });
  await search.fill("SMS Gateway");
  // The result row: the last "SMS Gateway" text, after the dashboard's card heading. (The
  // dialog's rows are slotted into its shadow root: a locator scoped to the dialog misses them.)
  const item = page.getByText("SMS Gateway", { exact: true }).last();
  await item.waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(1500); // the result's brand icon
  if (shotName) await shoot(page, shotName);
  await item.click();
  await page.getByText("Dinstar GSM gateway").first().waitFor({ timeout: TIMEOUT });
  await page.waitForTimeout(500);
}

async function closeDialog(page) {
  const close = page.getByRole("button", { name: /^(close|dismiss dialog)$/i }).last();
  await close.click({ timeout: TIMEOUT });
  // A flow closed half-way may ask nothing; wait until no form field is left.
  await page.getByText("Service address").first().waitFor({ state: "detached", timeout: TIMEOUT });
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  // Brand images from brands.home-assistant.io cannot load here (no network): not logged.
  page.on("console", (msg) => {
    const text = msg.text();
    if (msg.type() === "error" && !/ERR_NAME_NOT_RESOLVED|status of 404/.test(text)) {
      console.log(`browser console error: ${text}`);
    }
  });
  const isBrand = (url) => /brands|\/brand\//.test(url) && /sms_gateway/.test(url);
  page.on("response", (res) => {
    if (isBrand(res.url())) console.log(`brand image ${res.status()} ${res.url()}`);
  });
  page.on("response", (res) => {
    // Other integrations' icons 404 here (no brands service reachable): not logged.
    const otherBrand = /\/api\/brands\//.test(res.url()) && !isBrand(res.url());
    if (res.status() >= 400 && res.url().startsWith(origin) && !otherBrand) {
      console.log(`HTTP ${res.status()} ${res.url()}`);
    }
  });
  page.on("requestfailed", (req) => {
    if (isBrand(req.url())) {
      console.log(`brand image failed (${req.failure()?.errorText}) ${req.url()}`);
    }
  });
  try {
    await logIn(page);
    await openIntegrations(page);
    await shoot(page, "integrations");
    for (const [index, provider] of PROVIDERS.entries()) {
      await startFlow(page, index === 0 ? "add-integration-search" : null);
      if (index === 0) await shoot(page, "menu");
      await page.getByText(provider.option, { exact: true }).last().click();
      await page.getByText(provider.field).first().waitFor({ timeout: TIMEOUT });
      const header = page.getByText("Service address", { exact: true }).first();
      await header.waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(800);
      await shoot(page, `${provider.slug}-folded`);
      await header.click();
      await page.waitForTimeout(1200); // the unfold animation
      await shoot(page, `${provider.slug}-unfolded`);
      await closeDialog(page);
    }
  } catch (err) {
    await shoot(page, "failure").catch(() => {});
    throw err;
  } finally {
    await browser.close();
  }
  console.log(`${shots.length} screenshots in ${outDir}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
