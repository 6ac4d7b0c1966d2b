// Steps, what each checked, and screenshots named <leg>-<step>.png: the run's account.
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

export class Report {
  /** Screenshots of `page` go to screenshots/<leg>-<name>.png. */
  constructor(leg, page) {
    this.leg = leg;
    this.page = page;
    this.failures = [];
    this.current = "start";
  }

  /** Log a check that passed, under the current step. */
  ok(what) {
    console.log(`  ok   ${what}`);
  }

  /** Log a check that failed without stopping the step (later checks still say something). */
  fail(what) {
    console.log(`  FAIL ${what}`);
    this.failures.push(`${this.current}: ${what}`);
  }

  /** Screenshot the page as <leg>-<name>.png. */
  async shoot(name) {
    await mkdir(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${this.leg}-${name}.png`);
    await this.page.screenshot({ path });
    console.log(`  shot ${path}`);
  }

  /**
   * Run one step; a throw fails it (with a <step>-failure screenshot) and the run goes on with
   * the next step, so one broken page does not hide the others.
   */
  async step(name, run) {
    this.current = name;
    console.log(`== ${name}`);
    try {
      await run();
    } catch (err) {
      // Playwright's first line says what timed out, a later one what it was waiting for.
      const message = err instanceof Error ? err.message : String(err);
      const plain = message.replace(/\x1b\[[0-9;]*m/g, ""); // without its colours
      const lines = plain.split("\n");
      const waiting = lines.find((line) => /waiting for/.test(line));
      this.fail([lines[0], waiting?.trim()].filter(Boolean).join(": "));
      await this.shoot(`${name}-failure`).catch(() => {});
    }
  }
}
