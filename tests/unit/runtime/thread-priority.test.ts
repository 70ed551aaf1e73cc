// Thread scheduling through bun:ffi, checked in child processes: lowering the test runner's own
// threads would slow every test after it.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";

const MODULE = join(import.meta.dir, "../../../src/runtime/thread-priority.ts");
const linux = process.platform === "linux";

/** Runs `body` in a child Bun with the module imported as `tp`; its stdout parsed as JSON. */
function child(body: string): unknown {
  const src = `const tp = await import(${JSON.stringify(MODULE)});\n${body}`;
  const p = Bun.spawnSync([process.execPath, "-e", src], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(p.stderr.toString());
  return JSON.parse(p.stdout.toString());
}

describe.if(linux)("thread priority (Linux)", () => {
  test("idleThreads lowers every thread named; /proc then reports SCHED_IDLE (5) for each", () => {
    const out = child(`
      const ids = tp.threadIds();
      const before = ids.map((t) => tp.threadPolicy(t));
      const took = tp.idleThreads(ids);
      console.log(JSON.stringify({ ids, before, took, after: ids.map((t) => tp.threadPolicy(t)) }));
    `) as { ids: number[]; before: number[]; took: number; after: number[] };
    expect(out.ids.length).toBeGreaterThan(1);
    expect(out.ids).toContain(out.ids[0]!);
    expect(out.before).toEqual(new Array(out.ids.length).fill(0));
    expect(out.took).toBe(out.ids.length);
    expect(out.after).toEqual(new Array(out.ids.length).fill(5));
  });

  test("idleThisThread lowers the calling thread only", () => {
    const out = child(`
      const r = tp.idleThisThread();
      const ids = tp.threadIds();
      console.log(JSON.stringify({ r, self: tp.threadPolicy(), main: tp.threadPolicy(process.pid), others: ids.filter((t) => t !== process.pid).map((t) => tp.threadPolicy(t)) }));
    `) as { r: string; self: number; main: number; others: number[] };
    expect(out.r).toBe("sched_idle");
    expect(out.self).toBe(5);
    expect(out.main).toBe(5);
    expect(out.others.length).toBeGreaterThan(0);
    expect(out.others).toEqual(new Array(out.others.length).fill(0));
  });

  test("a Worker started by a lowered thread inherits SCHED_IDLE (why sweeps keep normal priority)", () => {
    const out = child(`
      tp.idleThisThread();
      const src = "const tp = await import(" + JSON.stringify(${JSON.stringify(MODULE)}) + "); postMessage(tp.threadPolicy());";
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: "application/javascript" })));
      w.onmessage = (e) => { console.log(JSON.stringify({ worker: e.data })); process.exit(0); };
    `) as { worker: number };
    expect(out.worker).toBe(5);
  });

  test("threadName reads /proc comm; unknown threads read as empty, not as an error", () => {
    const out = child(`console.log(JSON.stringify({ main: tp.threadName(process.pid), gone: tp.threadName(2 ** 30), policy: tp.threadPolicy(2 ** 30) }))`) as {
      main: string;
      gone: string;
      policy: number | null;
    };
    expect(out.main.length).toBeGreaterThan(0);
    expect(out.gone).toBe("");
    expect(out.policy).toBeNull();
  });
});
