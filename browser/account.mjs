// The demo's Plasgate account over SMPP: its device page shows the link bound, and an SMS the
// simulator delivers over SMPP reaches the Logbook.
import { callWS, configEntries, expectNoErrorToast, open, settle } from "./ha.mjs";

// demo/settings.py PLASGATE_SENDER and PLASGATE_SHORT_CODE: made-up numbers (not logged here).
const SENDER = "85598765432";
const SHORT_CODE = "1234";

/** The path of the Plasgate entry's device page (the one Settings > Devices links to). */
async function plasgateDevicePath(page) {
  const entries = await configEntries(page, "sms_gateway");
  const entry = entries.find((candidate) => candidate.title === "Plasgate");
  if (!entry) throw new Error("no Plasgate entry among the SMS Gateway entries");
  const devices = await callWS(page, { type: "config/device_registry/list" });
  const device = devices.find((candidate) => candidate.config_entries.includes(entry.entry_id));
  if (!device) throw new Error("the Plasgate entry has no device");
  return `/config/devices/device/${device.id}`;
}

/** The account's device page lists its "SMPP link" sensor, reading "Bound". */
export async function checkSmppLink(report, page, origin) {
  const path = await plasgateDevicePath(page);
  await open(page, origin, path, (p) => p.getByText("SMPP link"));
  await settle(page);
  // The sensor's row in the card listing it: its name, and its state translated (case matters:
  // a raw "bound" would be a missing string).
  const row = page
    .locator("ha-device-entities-card")
    .locator("hui-generic-entity-row", { hasText: "SMPP link" });
  await row.filter({ hasText: /\bBound\b/ }).first().waitFor({ timeout: 15_000 });
  report.ok(`the Plasgate device page (${path}) shows SMPP link "Bound"`);
  if (await row.filter({ hasText: /\bbound\b/ }).count()) {
    report.fail('a raw state "bound" shows: a translation is missing');
  }
  await expectNoErrorToast(page);
  await report.shoot("plasgate-smpp-link");
}

/** Let the Plasgate simulator deliver `text` over SMPP (POST /_sim/incoming). */
export async function deliverOverSmpp(report, plasgateUrl, text) {
  const response = await fetch(`${plasgateUrl}/_sim/incoming`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ from: SENDER, to: SHORT_CODE, text }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`the Plasgate simulator refused it: ${answer.error}`);
  if (answer.delivered_to !== 1) {
    throw new Error(`written to ${answer.delivered_to} SMPP sessions, want the account's one`);
  }
  report.ok("the Plasgate simulator wrote it to the account's SMPP session (deliver_sm)");
}
