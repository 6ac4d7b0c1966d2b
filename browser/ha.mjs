// Home Assistant in headless Chromium: launch, log in, open a page, find what a user sees.
import { chromium } from "playwright-core";

export const TIMEOUT = 30_000;
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
// Brand images come from the internet (brands.home-assistant.io, or through /api/brands/): this
// machine may have none, so their failures are not the integration's.
const BRAND = /brands\.home-assistant\.io|\/api\/brands\/|\/brands\//;

/**
 * Start Chromium with one page; `problems` collects console errors and failed requests,
 * `brandFailures` the brand images that could not load (ignored).
 */
export async function launch(origin) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  // A failed brand image also shows as a console error naming only its status: the requests'
  // own events say which URL it was, so those console lines are matched by what they say.
  const brandFailures = new Set();
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText ?? "";
    if (BRAND.test(req.url())) brandFailures.add(req.url());
    // ERR_ABORTED: the page moved on (a navigation) before the request ended.
    else if (req.url().startsWith(origin) && !error.includes("ERR_ABORTED")) {
      problems.push(`request failed (${error}): ${req.url()}`);
    }
  });
  page.on("response", (res) => {
    if (BRAND.test(res.url())) {
      if (res.status() >= 400) brandFailures.add(res.url());
    } else if (res.status() >= 400 && res.url().startsWith(origin)) {
      problems.push(`HTTP ${res.status()}: ${res.url()}`);
    }
  });
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    const where = msg.location()?.url ?? "";
    if (BRAND.test(where) || BRAND.test(text)) return;
    // "Failed to load resource: ... 404" carries the URL in location(); without one it is an
    // image whose request event was already sorted out above.
    if (/^Failed to load resource/.test(text) && (!where || brandFailures.has(where))) return;
    problems.push(`console error: ${text}${where ? ` (${where})` : ""}`);
  });
  page.on("pageerror", (err) => {
    if (isVirtualizerDetached(err)) {
      console.log(`  info the frontend's list left the page mid-layout ("disconnected"): ignored`);
      return;
    }
    problems.push(`page error: ${err.message} (on ${new URL(page.url()).pathname})`);
  });
  return { browser, page, problems, brandFailures };
}

/**
 * The frontend's own race, not the integration's: lit-virtualizer (the add-integration dialog's
 * search list, the Logbook) rejects its layoutComplete promise with the bare string
 * "disconnected" when its list leaves the page before a layout ends, and nothing catches it.
 * Newer frontends show it when the dialog moves from the list to a form. A bare string has no
 * stack; any Error with that message still counts.
 */
function isVirtualizerDetached(err) {
  return err.message === "disconnected" && !err.stack;
}

/** Log in as demo/demo and wait until the frontend has stored its tokens. */
export async function logIn(page, origin) {
  await page.goto(`${origin}/`, { waitUntil: "domcontentloaded" });
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole("textbox", { name: "Username" }).fill("demo");
  await page.getByRole("textbox", { name: "Password" }).fill("demo");
  await page.getByRole("button", { name: /log in/i }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/auth/"));
  // The frontend trades the login's code for tokens after the redirect: leaving the page before
  // they are stored would land on the login page again.
  await page.waitForFunction(() => localStorage.getItem("hassTokens"));
}

/**
 * Home Assistant 2026 may ask to confirm an http: server configuration (else it reverts it after
 * a few minutes). The dialog cannot be dismissed: it is removed from this page only; nothing is
 * confirmed or reverted.
 */
export async function setAsideHttpPending(page) {
  const title = page.getByText("Confirm new HTTP server configuration");
  if (!(await title.isVisible())) return false;
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
  return true;
}

/** Open a path of the frontend and wait until `ready` (a locator factory) shows. */
export async function open(page, origin, path, ready) {
  await page.goto(`${origin}${path}`, { waitUntil: "domcontentloaded" });
  await ready(page).first().waitFor();
  await page.waitForTimeout(1000);
  await setAsideHttpPending(page);
}

/** Wait until no request has been made for a moment (brand images fail or load first). */
export async function settle(page) {
  await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => {});
  await page.waitForTimeout(800);
}

/** Texts of the toasts on screen ("Failed to call service ...", "Unknown error" ...). */
export async function toastTexts(page) {
  const toasts = page.locator("ha-toast");
  const texts = [];
  for (const toast of await toasts.all()) {
    if (await toast.isVisible()) texts.push((await toast.innerText()).trim());
  }
  return texts.filter(Boolean);
}

/** Throw when an error toast is on screen. */
export async function expectNoErrorToast(page) {
  const errors = (await toastTexts(page)).filter((text) =>
    /error|fail|unable|invalid|not found|unknown/i.test(text),
  );
  if (errors.length) throw new Error(`error toast: ${errors.join(" | ")}`);
}

/**
 * Count the state icons drawn on the page: `ha-state-icon` elements whose nested icon has an SVG
 * path (an icon name alone is not enough: a name the icon sets miss draws nothing).
 */
export async function drawnStateIcons(page) {
  return page.evaluate(() => {
    const all = (root, name, out = []) => {
      for (const el of root.querySelectorAll("*")) {
        if (el.localName === name) out.push(el);
        if (el.shadowRoot) all(el.shadowRoot, name, out);
      }
      return out;
    };
    const drawn = (el) =>
      all(el.shadowRoot ?? el, "path").some((path) => (path.getAttribute("d") ?? "").length > 0);
    const icons = all(document, "ha-state-icon");
    return { total: icons.length, drawn: icons.filter(drawn).length };
  });
}

/** Whether a text shows on the page (shadow DOM included), waiting up to `timeout` ms. */
export async function shows(page, text, timeout = 15_000) {
  try {
    await page.getByText(text).first().waitFor({ state: "visible", timeout });
    return true;
  } catch {
    return false;
  }
}

/** Throw unless every text shows on the page. */
export async function expectTexts(page, texts, timeout = 15_000) {
  const missing = [];
  for (const text of texts) {
    if (!(await shows(page, text, timeout))) missing.push(String(text));
  }
  if (missing.length) throw new Error(`not on the page: ${missing.join(", ")}`);
}

/** Close the open dialog with its X (a flow's dialog asks nothing when closed half-way). */
export async function closeDialog(page) {
  await page
    .getByRole("button", { name: /^(close|dismiss dialog)$/i })
    .last()
    .click();
  await page.waitForTimeout(800);
}

/** Ask Home Assistant over the page's own websocket (to learn ids a form needs, not to act). */
export async function callWS(page, message) {
  return page.evaluate((msg) => document.querySelector("home-assistant").hass.callWS(msg), message);
}

/** The config entries of a domain, as Settings > Devices & services lists them. */
export async function configEntries(page, domain) {
  return callWS(page, { type: "config_entries/get", domain });
}
