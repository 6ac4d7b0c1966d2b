// Settings > Devices & services > Add integration > SMS Gateway > Dinstar GSM gateway: the
// form's errors for an address nothing answers at and for a wrong password. Nothing is created.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { closeDialog, open, settle } from "./ha.mjs";

// What the form says, read from the integration's English strings so the checks follow them.
const EN = JSON.parse(
  readFileSync(
    new URL("../custom_components/sms_gateway/translations/en.json", import.meta.url),
    "utf8",
  ),
).config;
const MENU_ITEM = EN.step.user.menu_options.dinstar;
const FIELDS = EN.step.dinstar.data;
const CANNOT_CONNECT = EN.error.cannot_connect;
const INVALID_AUTH = EN.error.invalid_auth;
const startingWith = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);

/** A 127.0.0.1 port nothing listens on (bound, then released). */
async function unusedPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Open Add integration, search "Dinstar", pick SMS Gateway, then the Dinstar menu item. */
async function startDinstarFlow(report, page, origin) {
  await open(page, origin, "/config/integrations/dashboard", (p) =>
    p.getByRole("button", { name: /add integration/i }),
  );
  await settle(page);
  await page.getByRole("button", { name: /add integration/i }).click();
  // The dialog's own search field (labelled in 2025, a placeholder in 2026), not the
  // dashboard's filter behind it.
  const search = page
    .getByRole("textbox", { name: /brand name/i })
    .or(page.getByPlaceholder(/brand name/i))
    .first();
  await search.fill("Dinstar");
  // The dialog's result row (the dashboard's SMS Gateway card behind it is not clickable).
  const item = page.locator("ha-integration-list-item").filter({ hasText: "SMS Gateway" }).first();
  await item.waitFor();
  report.ok('searching "Dinstar" finds SMS Gateway');
  await item.click();
  await page.getByText(MENU_ITEM).first().click();
  await page.getByText(FIELDS.host).first().waitFor();
  report.ok(`its menu leads to the "${MENU_ITEM}" form`);
}

async function submit(page, host, password) {
  const field = (name) => page.getByRole("textbox", { name }).first();
  await field(startingWith(FIELDS.host)).fill(host);
  await field(startingWith(FIELDS.username)).fill("admin");
  await field(startingWith(FIELDS.password)).fill(password);
  await page.getByRole("button", { name: /^submit$/i }).click();
}

export async function checkAddIntegration(report, page, origin, gatewayUrl) {
  await startDinstarFlow(report, page, origin);
  await submit(page, `http://127.0.0.1:${await unusedPort()}`, "admin");
  await page.getByText(CANNOT_CONNECT).first().waitFor();
  report.ok("an address nothing answers at: the form says it could not connect");
  await page.waitForTimeout(500);
  await report.shoot("config-flow-cannot-connect");

  await submit(page, gatewayUrl, "not-the-password");
  await page.getByText(INVALID_AUTH).first().waitFor();
  report.ok("the demo gateway with a wrong password: the form says it was refused");
  await page.waitForTimeout(500);
  await report.shoot("config-flow-invalid-auth");

  await closeDialog(page);
  await page.getByText(FIELDS.host).first().waitFor({ state: "detached" });
  report.ok("the dialog closed without creating an entry");
  await settle(page);
}
