// Opens a page in headless Chromium (Debian's `chromium` package) over the DevTools protocol, with no
// dependency: the browser prints its WebSocket URL on stderr, Bun's WebSocket speaks to it. Collects
// console errors, exceptions and every request the page makes, then evaluates an expression.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-headless-shell", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The browser to use: $CHROMIUM, else the first of the usual paths that exists; null when none. */
export function findChromium(): string | null {
  const env = process.env.CHROMIUM;
  if (env && existsSync(env)) return env;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

export interface PageVisit {
  consoleErrors: string[];
  /** URLs the page asked for (the document itself included). */
  requests: string[];
  /** JSON value of the evaluated expression. */
  value: unknown;
}

async function readDevtoolsUrl(stderr: ReadableStream<Uint8Array>, timeoutMs: number): Promise<string> {
  const reader = stderr.getReader();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const r = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => null)]);
      if (r === null || r.done) break;
      text += new TextDecoder().decode(r.value);
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) return m[1]!;
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error(`chromium printed no DevTools URL: ${text.slice(-500)}`);
}

/** Loads `url` (file://...) with `width` x `height` viewport, waits for load, evaluates `expression`. */
export async function visitPage(
  browser: string,
  url: string,
  expression: string,
  opts: { width?: number; height?: number; timeoutMs?: number } = {},
): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), "llmbench-chromium-"));
  const proc = Bun.spawn([browser, ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"], {
    stdout: "ignore",
    stderr: "pipe",
  });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let ws: WebSocket | null = null;
  try {
    const wsUrl = await readDevtoolsUrl(proc.stderr, timeoutMs);
    ws = new WebSocket(wsUrl);
    const socket = ws;
    await new Promise<void>((res, rej) => {
      socket.onopen = () => res();
      socket.onerror = () => rej(new Error("DevTools WebSocket failed"));
    });
    let nextId = 1;
    const pending = new Map<number, { res: (v: unknown) => void; rej: (e: Error) => void }>();
    const listeners: ((m: { method: string; params: Record<string, unknown>; sessionId?: string }) => void)[] = [];
    socket.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data));
      if (m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.rej(new Error(`${m.error.message}`));
        else p?.res(m.result);
      } else for (const l of listeners) l(m);
    };
    const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
      new Promise((res, rej) => {
        const id = nextId++;
        pending.set(id, { res: res as (v: unknown) => void, rej });
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });

    const { targetId } = (await send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
    const { sessionId } = (await send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    let loaded: () => void = () => {};
    const load = new Promise<void>((res) => (loaded = res));
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params;
      if (m.method === "Runtime.consoleAPICalled" && (p.type === "error" || p.type === "warning" || p.type === "assert"))
        consoleErrors.push(`console.${p.type}: ${JSON.stringify(p.args)}`);
      if (m.method === "Runtime.exceptionThrown") consoleErrors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`);
      if (m.method === "Log.entryAdded") {
        const e = p.entry as { level: string; text: string; url?: string };
        if (e.level === "error" || e.level === "warning") consoleErrors.push(`log.${e.level}: ${e.text} ${e.url ?? ""}`);
      }
      if (m.method === "Network.requestWillBeSent") requests.push(String((p.request as { url: string }).url));
      if (m.method === "Page.loadEventFired") loaded();
    });
    for (const d of ["Runtime.enable", "Log.enable", "Network.enable", "Page.enable"]) await send(d, {}, sessionId);
    await send(
      "Emulation.setDeviceMetricsOverride",
      { width: opts.width ?? 1280, height: opts.height ?? 900, deviceScaleFactor: 1, mobile: (opts.width ?? 1280) < 600 },
      sessionId,
    );
    await send("Page.navigate", { url }, sessionId);
    await Promise.race([load, Bun.sleep(timeoutMs).then(() => Promise.reject(new Error("page did not load")))]);
    await Bun.sleep(200); // late console messages
    const res = (await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId)) as { result: { value: unknown }; exceptionDetails?: unknown };
    if (res.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(res.exceptionDetails)}`);
    await send("Browser.close").catch(() => {});
    return { consoleErrors, requests, value: res.result.value };
  } finally {
    ws?.close();
    proc.kill();
    await proc.exited;
    rmSync(profile, { recursive: true, force: true });
  }
}
