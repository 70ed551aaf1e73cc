// A sweep's run shows which point it is in the dashboard's title (the first line of every frame).
import { describe, expect, test } from "bun:test";
import { dashboardLines } from "../../../src/report/dashboard-view.ts";
import { glyphsFor } from "../../../src/report/live-format.ts";
import { LiveStats } from "../../../src/report/live-stats.ts";
import { liveSources, LiveView } from "../../../src/run/live-view.ts";
import { fakeIo } from "../../helpers/fake-io.ts";
import { testProfileConfig } from "../../helpers/profile-config.ts";

describe("the live view's title", () => {
  const cfg = testProfileConfig("http://127.0.0.1:9");
  const shared = { inFlight: 0, stopped: false, cancelled: false };

  test("a sweep's label leads the title; a single run's title is the model and URL", () => {
    expect(liveSources(cfg, shared, new LiveStats(), 10, "point 3/5 concurrency=100").title).toBe(
      "point 3/5 concurrency=100  mock-model  http://127.0.0.1:9/v1/chat/completions",
    );
    expect(liveSources(cfg, shared, new LiveStats(), 10).title).toBe("mock-model  http://127.0.0.1:9/v1/chat/completions");
  });

  test("the dashboard's first line shows it", async () => {
    const io = fakeIo("/tmp", { LANG: "C.UTF-8" });
    const view = new LiveView(io);
    await view.start("simple", liveSources(cfg, shared, new LiveStats(), 10, "point 3/5 concurrency=100"));
    const state = view.state()!;
    view.stop();
    const first = dashboardLines(state, { width: 120, height: 30, color: false, glyphs: glyphsFor(io.env) })[0]!;
    expect(first).toContain("point 3/5 concurrency=100  mock-model");
  });
});
