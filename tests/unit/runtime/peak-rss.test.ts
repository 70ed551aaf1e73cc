import { describe, expect, test } from "bun:test";
import { peakRssKiB, vmHwmKiB } from "../../../src/runtime/peak-rss.ts";

describe("vmHwmKiB", () => {
  test.each([
    ["Name:\tbun\nVmPeak:\t 9000 kB\nVmHWM:\t   27584 kB\nVmRSS:\t 20000 kB\n", 27584],
    ["VmHWM:\t1 kB", 1],
    ["Name:\tbun\nVmRSS:\t 20000 kB\n", null],
    ["", null],
  ])("%#", (status, want) => {
    expect(vmHwmKiB(status)).toBe(want);
  });
});

describe("peakRssKiB", () => {
  test("is this process's own peak, not the peak of the process that started it", () => {
    // The parent holds 600 MB, touched, while the child starts; the child itself stays small.
    const ballast = Buffer.alloc(600 * 2 ** 20, 1);
    const src = `import { peakRssKiB } from ${JSON.stringify(`${import.meta.dir}/../../../src/runtime/peak-rss.ts`)}; console.log(peakRssKiB());`;
    const p = Bun.spawnSync([process.execPath, "-e", src]);
    expect(ballast.length).toBe(600 * 2 ** 20);
    expect(p.exitCode).toBe(0);
    const childKiB = Number(p.stdout.toString().trim());
    expect(childKiB).toBeGreaterThan(1024);
    expect(childKiB).toBeLessThan(300 * 1024);
  });

  test("in this process: at least the resident memory now", () => {
    expect(peakRssKiB()).toBeGreaterThanOrEqual(Math.floor(process.memoryUsage().rss / 1024) - 1024);
  });
});
