// What a user sees of the SMS Gateway in a running `make demo`, in headless Chromium.
//
//   node checks.mjs URL LEG
//
// URL is the demo's Home Assistant (only its origin is used), LEG floor|newest (names the
// screenshots, screenshots/LEG-STEP.png, and says how to reach the demo's `make demo-sms`).
// Each step logs what it checked; the exit status is 1 when any check failed.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSmppLink, deliverOverSmpp } from "./account.mjs";
import { checkAddIntegration } from "./add_integration.mjs";
import { checkDashboard, checkNotifications, shootDashboardAgain } from "./dashboard.mjs";
import { checkPortDevice } from "./device.mjs";
import { configEntries, launch, logIn } from "./ha.mjs";
import { Report } from "./report.mjs";
import { checkLastSms, checkLogbook, injectSms, sendFromUi, stopCommands } from "./sms.mjs";

// What `python -m demo` writes for its helpers: the simulators' URLs among them.
const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNTIME = join(REPO, "demo", "config", "demo_runtime.json");

async function main() {
  const [rawUrl, leg] = process.argv.slice(2);
  if (!rawUrl || !["floor", "newest"].includes(leg)) {
    console.error("usage: node checks.mjs URL floor|newest");
    return 2;
  }
  const origin = new URL(rawUrl).origin;
  const runtime = JSON.parse(await readFile(RUNTIME, "utf8"));
  const gatewayUrl = runtime.simulator_url;
  // Unique per run, so an old run's SMS in the same Logbook cannot pass for this one's.
  const stamp = Date.now().toString(36);
  const sent = `Browser check sent ${stamp}`;
  const received = `Browser check received ${stamp}`;
  const overSmpp = `Browser check over SMPP ${stamp}`;

  const { browser, page, problems, brandFailures } = await launch(origin);
  const report = new Report(leg, page);
  let devicePath = null;
  try {
    await report.step("login", async () => {
      await logIn(page, origin);
      report.ok("logged in as demo/demo");
    });
    await report.step("dashboard", async () => {
      await checkDashboard(report, page, origin);
      await checkNotifications(report, page);
    });
    await report.step("device", async () => {
      devicePath = await checkPortDevice(report, page, origin);
    });
    await report.step("config-flow", async () => {
      const before = (await configEntries(page, "sms_gateway")).length;
      await checkAddIntegration(report, page, origin, gatewayUrl);
      const after = (await configEntries(page, "sms_gateway")).length;
      if (after !== before) throw new Error(`${after - before} SMS Gateway entries were added`);
      report.ok(`still ${after} SMS Gateway entries`);
    });
    await report.step("send", async () => {
      await sendFromUi(report, page, origin, sent);
      await checkLogbook(report, page, origin, [sent], "logbook-sent");
    });
    await report.step("receive", async () => {
      await injectSms(report, leg, received);
      await checkLogbook(report, page, origin, [received, sent], "logbook");
      if (!devicePath) throw new Error("no port 0 device page to look at (see the device step)");
      await checkLastSms(report, page, origin, devicePath, received);
    });
    await report.step("plasgate-smpp", () => checkSmppLink(report, page, origin));
    await report.step("receive-smpp", async () => {
      await deliverOverSmpp(report, runtime.plasgate_url, overSmpp);
      await checkLogbook(report, page, origin, [overSmpp], "logbook-smpp");
    });
    await report.step("dashboard-after", () => shootDashboardAgain(report, page, origin));
  } finally {
    await browser.close();
  }
  report.current = "browser";
  console.log("== browser");
  for (const problem of new Set(problems)) report.fail(problem);
  if (!problems.length) report.ok("no console error, no failed request to Home Assistant");
  report.ok(`${brandFailures.size} brand images could not load (no internet needed): ignored`);
  if (report.failures.length) {
    const list = report.failures.map((failure) => `  - ${failure}`).join("\n");
    console.log(`\n${report.failures.length} failed:\n${list}`);
    return 1;
  }
  console.log(`\nall checks passed (${leg})`);
  return 0;
}

// Cut short (Ctrl-C, or scripts/browser.sh stopping): end now, not after the remaining steps.
// Playwright closes Chromium as the process exits.
for (const [signal, status] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
]) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping`);
    stopCommands();
    process.exit(status);
  });
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
