// The first line a bench's server prints (its URL), read off its stdout; the rest of the stream is left unread.
export async function firstLine(stdout: ReadableStream<Uint8Array>, onEnd: () => Promise<string> | string): Promise<string> {
  const reader = stdout.getReader();
  let buf = "";
  while (!buf.includes("\n")) {
    const r = await reader.read();
    if (r.done) throw new Error(await onEnd());
    buf += new TextDecoder().decode(r.value);
  }
  reader.releaseLock();
  return buf.trim();
}
