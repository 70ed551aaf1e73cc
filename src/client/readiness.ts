// Before any load: can each server be reached at all? A TCP connect with a deadline, so a wrong
// host or port is one clear line at once instead of a flood of identical request errors (or a hang).

/** null when `url`'s origin accepts a connection within `timeoutMs`, else why not. */
export function probeOrigin(url: string, timeoutMs: number): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve("not a URL");
  }
  const tls = u.protocol === "https:";
  const hostname = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
  const port = u.port ? Number(u.port) : tls ? 443 : 80;
  return new Promise((resolve) => {
    let done = false;
    const settle = (problem: string | null, socket?: { end(): void }): void => {
      if (done) {
        socket?.end();
        return;
      }
      done = true;
      clearTimeout(timer);
      socket?.end();
      resolve(problem);
    };
    const timer = setTimeout(() => settle(`no answer from ${hostname}:${port} within ${timeoutMs / 1000} s`), timeoutMs);
    Bun.connect({
      hostname,
      port,
      socket: {
        open: (s) => settle(null, s),
        data() {},
        connectError: (_s, err) => settle(`cannot connect to ${hostname}:${port} (${(err as NodeJS.ErrnoException).code ?? err.message})`),
        error: (_s, err) => settle(`cannot connect to ${hostname}:${port} (${err.message})`),
      },
    }).catch((err: unknown) => settle(`cannot connect to ${hostname}:${port} (${err instanceof Error ? err.message : String(err)})`));
  });
}
