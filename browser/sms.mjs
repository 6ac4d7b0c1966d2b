// An SMS sent from the UI (Developer tools > Actions, YAML mode) and one received through the
// demo's simulator, each then read where a user looks: the Logbook and the port's device page.
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { configEntries, expectNoErrorToast, expectTexts, open, settle } from "./ha.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
// demo/settings.py GATEWAY_RECIPIENT: the demo's made-up recipient (not logged here).
const RECIPIENT = "+40722000111";

/** Send `text` with sms_gateway.send_sms through Developer tools > Actions in YAML mode. */
export async function sendFromUi(report, page, origin, text) {
  const entries = await configEntries(page, "sms_gateway");
  const gateway = entries.find((entry) => entry.title.startsWith("Dinstar"));
  if (!gateway) throw new Error("no Dinstar entry among the SMS Gateway entries");
  await open(page, origin, "/developer-tools/action", (p) =>
    p.getByRole("button", { name: /perform action|call service/i }),
  );
  const yamlMode = page.getByRole("button", { name: /yaml mode|edit in yaml/i });
  if (await yamlMode.count()) await yamlMode.first().click();
  const editor = page.locator("ha-code-editor .cm-content").first();
  await editor.waitFor();
  const yaml = [
    "action: sms_gateway.send_sms",
    "data:",
    `  config_entry_id: ${gateway.entry_id}`,
    `  recipients: ["${RECIPIENT}"]`,
    `  message: "${text}"`,
  ].join("\n");
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  // Typed line by line: the editor indents a new line itself, so each one starts from column 0.
  for (const [index, line] of yaml.split("\n").entries()) {
    if (index) {
      await page.keyboard.press("Enter");
      await page.keyboard.press("Shift+Home");
      await page.keyboard.press("Delete");
    }
    await page.keyboard.insertText(line);
  }
  await page.waitForTimeout(500);
  await page
    .getByRole("button", { name: /perform action|call service/i })
    .first()
    .click();
  // The action answers with each recipient's status (queued, sent ...) under "Response".
  await page.getByText("Response", { exact: true }).waitFor();
  await expectNoErrorToast(page);
  const failed = page.getByText(/failed to (perform|call)/i);
  if (await failed.count()) {
    throw new Error(`the action failed: ${await failed.first().innerText()}`);
  }
  report.ok(`sms_gateway.send_sms performed from Developer tools for "${gateway.title}"`);
  await report.shoot("send-sms");
}

/** Open the Logbook and wait until every text shows in it. */
export async function checkLogbook(report, page, origin, texts, shot) {
  await open(page, origin, "/logbook", (p) => p.locator("ha-logbook"));
  await settle(page);
  // The Logbook follows new events live: an SMS a moment old may still be on its way.
  await expectTexts(page, texts, 30_000);
  for (const text of texts) report.ok(`the Logbook shows ${String(text)}`);
  await expectNoErrorToast(page);
  await report.shoot(shot);
}

// Commands still running, each the leader of its process group (make and what it started).
const running = new Set();

/** Stop the commands this module started that are still running (when the run is cut short). */
export function stopCommands() {
  for (const child of running) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

async function runCommand(command, args) {
  const pending = promisify(execFile)(command, args, {
    cwd: REPO,
    timeout: 120_000,
    detached: true,
  });
  running.add(pending.child);
  try {
    return await pending;
  } finally {
    running.delete(pending.child);
  }
}

/** Let the demo's gateway receive `text` on port 0: `python -m demo sms` through make demo-sms. */
export async function injectSms(report, leg, text) {
  const make = ["make", "-s", "demo-sms", `LEG=${leg}`, `TEXT=${text}`];
  const [command, ...args] = leg === "newest" ? ["bash", "scripts/newest.sh", ...make] : make;
  try {
    const { stdout } = await runCommand(command, args);
    for (const line of stdout.trim().split("\n")) console.log(`  demo sms: ${line}`);
    report.ok("make demo-sms: the gateway received it and Home Assistant showed it");
  } catch (err) {
    for (const line of `${err.stdout ?? ""}${err.stderr ?? ""}`.trim().split("\n")) {
      console.log(`  demo sms: ${line}`);
    }
    report.fail(`make demo-sms exited ${err.code}`);
  }
}

/** The port's device page shows the received text under its Last SMS sensor. */
export async function checkLastSms(report, page, origin, devicePath, text) {
  await open(page, origin, devicePath, (p) => p.getByText("Registration"));
  await settle(page);
  // In the card listing the port's sensors, not only in the page's Logbook card beside it.
  const sensors = page.locator("ha-device-entities-card").filter({ hasText: "Last SMS" });
  await sensors.getByText(text).first().waitFor({ timeout: 15_000 });
  report.ok(`the port 0 device page's Last SMS sensor reads "${text}"`);
  await expectNoErrorToast(page);
  await report.shoot("device-last-sms");
}
