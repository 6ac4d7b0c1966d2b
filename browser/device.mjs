// The gateway's port 0 device page, reached the way a user does: Settings > Devices.
import { drawnStateIcons, expectNoErrorToast, expectTexts, open, settle } from "./ha.mjs";

// "Port 0" before the devices were named after their gateway, "Dinstar 2817 port 0" after.
const PORT_0 = /^\s*(Dinstar \S+ )?port 0\s*$/i;

/** Open Settings > Devices and click the port 0 device; returns its page's path. */
export async function openPortDevice(page, origin) {
  await open(page, origin, "/config/devices/dashboard", (p) => p.getByText(PORT_0));
  await page.getByText(PORT_0).first().click();
  await page.waitForURL(/\/config\/devices\/device\//);
  await page.getByText("Registration").first().waitFor();
  await settle(page);
  return new URL(page.url()).pathname;
}

export async function checkPortDevice(report, page, origin) {
  const path = await openPortDevice(page, origin);
  report.ok(`Settings > Devices lists port 0; its page is ${path}`);
  await expectTexts(page, ["Registration", "Registered", "Incoming SMS"]);
  report.ok('its page shows Registration "Registered" and Incoming SMS');
  const icons = await drawnStateIcons(page);
  if (icons.drawn < 3) throw new Error(`${icons.drawn} of ${icons.total} state icons drawn`);
  report.ok(`${icons.drawn} of ${icons.total} state icons drawn`);
  await expectNoErrorToast(page);
  report.ok("no error toast");
  await report.shoot("device");
  return path;
}
