// `llmbench plot` for a single run, a 3-point sweep and a 2-run comparison: report.html opened in
// headless Chromium (no console errors, no network request, every chart drawn, server text shown as
// text, readable at phone width) and every PNG decoded and checked for size and ink.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { findChromium, visitPage } from "../helpers/chromium.ts";
import { fakeIo } from "../helpers/fake-io.ts";
import { decodePng, pixelStats } from "../helpers/png-decode.ts";
import { HOSTILE_MESSAGE, writeSyntheticRun } from "../helpers/synthetic-results.ts";

const browser = findChromium();
if (!browser) console.warn("plot-report: no Chromium found (apt-get install -y chromium, or set CHROMIUM=/path): the browser checks are skipped");

let root = "";

const SINGLE_CHARTS = [
  "ttft-histogram",
  "ttft-cdf",
  "itl-histogram",
  "itl-cdf",
  "latency-histogram",
  "latency-cdf",
  "ttft-over-time",
  "itl-over-time",
  "throughput-over-time",
  "requests-over-time",
  "in-flight",
  "latency-scatter",
  "errors",
  "isl-histogram",
  "osl-histogram",
  "server-running",
  "server-waiting",
  "server-kv-cache",
  "server-ttft-over-time",
  "gpu-power",
  "gpu-utilization",
];
const SET_CHARTS = [
  "pareto",
  "throughput-vs-load",
  "requests-vs-load",
  "ttft-vs-load",
  "itl-vs-load",
  "latency-vs-load",
  "ttft-cdf-overlay",
  "itl-cdf-overlay",
  "latency-cdf-overlay",
];

async function plot(args: string[]): Promise<{ code: number; err: string }> {
  const io = fakeIo(root);
  const code = await runCli(["plot", ...args], COMMANDS, io);
  return { code, err: io.stderr.join("") };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "llmbench-plot-"));
  await writeSyntheticRun(join(root, "single"), {
    requests: 3000,
    failEvery: 40,
    warmup: 10,
    serverSide: true,
    config: { goodput: ["time_to_first_token:50 inter_token_latency:9"] },
  });
  for (const c of [4, 16, 64])
    await writeSyntheticRun(join(root, "sweep", `concurrency_${String(c).padStart(4, "0")}`), {
      requests: 800,
      concurrency: c,
      ttftMs: 20 + c,
      itlMs: 5 + c / 8,
      seed: c,
      config: { gpus: 2 },
    });
  for (const [name, itl] of [
    ["a", 6],
    ["b", 9],
  ] as const)
    await writeSyntheticRun(join(root, "cmp", name), { requests: 800, itlMs: itl, seed: itl });
  expect((await plot(["single"])).code).toBe(0);
  expect((await plot(["sweep"])).code).toBe(0);
  expect((await plot(["cmp/a", "cmp/b", "-o", "cmp/report"])).code).toBe(0);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const CASES = [
  { name: "single run", dir: "single", charts: SINGLE_CHARTS, title: "llmbench report: single" },
  { name: "3-point sweep", dir: "sweep", charts: SET_CHARTS, title: "llmbench report: sweep of 3 points, 3 runs" },
  { name: "2-run comparison", dir: "cmp/report", charts: SET_CHARTS, title: "llmbench report: comparison of 2 runs" },
] as const;

interface PageFacts {
  title: string;
  scripts: number;
  images: number;
  /** marks: values drawn (class "d" elements; a line counts its points), not axes or labels. */
  figures: { id: string; width: number; height: number; marks: number; noData: boolean }[];
  cells: string;
  overflowX: boolean;
}

const FACTS = `(() => {
  const figures = [...document.querySelectorAll("figure")].map((f) => {
    const svg = f.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return {
      id: f.id,
      width: box.width,
      height: box.height,
      marks: svg ? [...svg.querySelectorAll(".d")].reduce((n, e) => n + (e.points ? e.points.numberOfItems : 1), 0) : 0,
      noData: svg ? [...svg.querySelectorAll("text")].some((t) => t.textContent === "no data") : true,
    };
  });
  return {
    title: document.title,
    scripts: document.scripts.length,
    images: document.images.length,
    figures,
    cells: [...document.querySelectorAll("td")].map((td) => td.textContent).join("\\n"),
    overflowX: document.documentElement.scrollWidth > window.innerWidth + 1,
  };
})()`;

describe.each(CASES)("plot: $name", ({ dir, charts, title }) => {
  test("writes report.html and one PNG per chart", () => {
    expect(existsSync(join(root, dir, "report.html"))).toBe(true);
    expect(readdirSync(join(root, dir, "plots")).sort()).toEqual(charts.map((c) => `${c}.png`).sort());
  });

  test("every PNG decodes at 1440x720 with ink on it", () => {
    for (const c of charts) {
      const png = decodePng(new Uint8Array(readFileSync(join(root, dir, "plots", `${c}.png`))));
      expect([c, png.width, png.height]).toEqual([c, 1440, 720]);
      const s = pixelStats(png);
      // Not blank: axes, text and data cover more than 2% of the pixels in many colors.
      expect([c, s.inkShare > 0.02, s.colors > 20]).toEqual([c, true, true]);
    }
  });

  test.skipIf(!browser)(
    "opens in Chromium with no console error, no network request, every chart drawn",
    async () => {
      const url = `file://${join(root, dir, "report.html")}`;
      const visit = await visitPage(browser!, url, FACTS);
      expect(visit.consoleErrors).toEqual([]);
      // The page itself and the font's data: URL; nothing from any network.
      expect(visit.requests.filter((u) => !u.startsWith("file://") && !u.startsWith("data:"))).toEqual([]);
      const facts = visit.value as PageFacts;
      expect(facts.title).toBe(title);
      expect(facts.scripts).toBe(0);
      expect(facts.images).toBe(0);
      expect(facts.figures.map((f) => f.id)).toEqual([...charts]);
      for (const f of facts.figures) {
        expect([f.id, f.noData]).toEqual([f.id, false]);
        expect([f.id, f.width > 300, f.height > 150, f.marks >= 2]).toEqual([f.id, true, true, true]);
      }
    },
    60_000,
  );

  test.skipIf(!browser)(
    "fits a phone's width (390 px): the page does not scroll sideways",
    async () => {
      const visit = await visitPage(browser!, `file://${join(root, dir, "report.html")}`, FACTS, { width: 390, height: 844 });
      expect(visit.consoleErrors).toEqual([]);
      expect((visit.value as PageFacts).overflowX).toBe(false);
    },
    60_000,
  );
});

describe("plot: text from the server", () => {
  test("a hostile error message is escaped in report.html", () => {
    const html = readFileSync(join(root, "single", "report.html"), "utf8");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&#60;script&#62;document.title=&#34;pwned&#34;&#60;/script&#62;");
  });

  test.skipIf(!browser)(
    "is shown as text in the browser and runs nothing",
    async () => {
      const visit = await visitPage(browser!, `file://${join(root, "single", "report.html")}`, FACTS);
      const facts = visit.value as PageFacts;
      expect(facts.title).toBe("llmbench report: single");
      expect(facts.cells).toContain(HOSTILE_MESSAGE);
      expect(visit.requests.some((u) => u.includes("127.0.0.1"))).toBe(false);
    },
    60_000,
  );
});
