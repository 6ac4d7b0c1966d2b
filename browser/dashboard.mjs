// The Overview dashboard: the SIM ports' states in words, with their icons, and no error.
import { drawnStateIcons, expectNoErrorToast, expectTexts, open, settle } from "./ha.mjs";

// Eight SIM ports: at least one drawn icon each, whatever the cards are (tiles, rows, glances).
const MIN_ICONS = 8;
// What a card shows for an entity id the dashboard names but Home Assistant does not have.
const BROKEN_CARD = /Entity not (found|available)/;

async function openOverview(page, origin) {
  await open(page, origin, "/lovelace/0", (p) => p.getByText("Registered"));
  await settle(page);
}

export async function checkDashboard(report, page, origin) {
  await openOverview(page, origin);
  // The registration sensor's state, translated: a raw "register_ok" would be a missing string.
  await expectTexts(page, ["Registered"]);
  report.ok('a port\'s registration reads "Registered"');
  if (await page.getByText("register_ok").count()) {
    report.fail('a raw state "register_ok" shows: a translation is missing');
  }
  const broken = await page.getByText(BROKEN_CARD).count();
  if (broken) throw new Error(`${broken} cards say "Entity not found" or "not available"`);
  report.ok('no card says "Entity not found"');
  const icons = await drawnStateIcons(page);
  if (icons.drawn < MIN_ICONS) {
    throw new Error(`${icons.drawn} of ${icons.total} state icons drawn, want ${MIN_ICONS}+`);
  }
  report.ok(`${icons.drawn} of ${icons.total} state icons drawn`);
  await expectNoErrorToast(page);
  report.ok("no error toast");
  await report.shoot("dashboard");
}

/** The Overview again at the end, once the ports' balances and the SMS are in (for the README). */
export async function shootDashboardAgain(report, page, origin) {
  await openOverview(page, origin);
  await expectNoErrorToast(page);
  await report.shoot("dashboard-after");
}

/** Log the notifications a user would find behind the sidebar's bell; fail on one about us. */
export async function checkNotifications(report, page) {
  await page.getByText("Notifications", { exact: true }).first().click();
  const drawer = page.locator("notification-drawer").first();
  await drawer.waitFor({ state: "attached" });
  await page.waitForTimeout(1500); // the drawer slides in
  await report.shoot("notifications");
  // Its cards live in shadow roots (innerText misses them): their text, walked by hand.
  const text = await drawer.evaluate((root) => {
    const parts = [];
    const walk = (node) => {
      for (const child of [...(node.shadowRoot?.childNodes ?? []), ...node.childNodes]) {
        if (child.nodeType === Node.TEXT_NODE) parts.push(child.textContent);
        else if (child.nodeType === Node.ELEMENT_NODE && child.localName !== "style") walk(child);
      }
    };
    walk(root);
    return parts.join(" ").replace(/\s+/g, " ").trim();
  });
  console.log(`  info notifications: ${text || "(none)"}`);
  await page.keyboard.press("Escape");
  await page.waitForTimeout(500);
  if (/sms.gateway|dinstar|smslink|plasgate/i.test(text)) {
    report.fail(`a notification names the integration: ${text}`);
  } else {
    report.ok("no notification about the integration");
  }
}
