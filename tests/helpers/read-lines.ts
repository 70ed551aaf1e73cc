// Reads a child process's stdout line by line, with a deadline, so a test never hangs on it.

export async function readFirstLine(stream: ReadableStream<Uint8Array>, timeoutMs: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!buf.includes("\n")) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${timeoutMs} ms (got ${JSON.stringify(buf)})`);
      const r = await Promise.race([reader.read(), Bun.sleep(left).then(() => null)]);
      if (r === null) continue;
      if (r.done) throw new Error(`stream ended before a full line (got ${JSON.stringify(buf)})`);
      buf += decoder.decode(r.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return buf.slice(0, buf.indexOf("\n"));
}
