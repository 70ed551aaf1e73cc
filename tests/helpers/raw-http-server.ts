// A raw TCP server for tests that need exact bytes and timing on the wire: it reads each request (head
// and content-length body, several per connection) and calls `answer` with the socket, which writes
// whatever response the test wants, whenever it wants.
import type { Socket } from "bun";

export interface RawHttpServer {
  /** http://127.0.0.1:<port>/v1/chat/completions */
  url: string;
  /** Connections opened and closed so far. */
  connections: number;
  closed: number;
  stop(): void;
}

export function rawHttpServer(answer: (s: Socket<{ buf: string }>) => void): RawHttpServer {
  const sockets = new Set<Socket<{ buf: string }>>();
  const srv: RawHttpServer = { url: "", connections: 0, closed: 0, stop: () => {} };
  const listener = Bun.listen<{ buf: string }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(s) {
        s.data = { buf: "" };
        srv.connections++;
        sockets.add(s);
      },
      data(s, bytes) {
        s.data.buf += Buffer.from(bytes).toString("latin1");
        for (;;) {
          const headEnd = s.data.buf.indexOf("\r\n\r\n");
          if (headEnd < 0) return;
          const len = Number(/content-length: *(\d+)/i.exec(s.data.buf.slice(0, headEnd))?.[1] ?? 0);
          if (s.data.buf.length < headEnd + 4 + len) return;
          s.data.buf = s.data.buf.slice(headEnd + 4 + len);
          answer(s);
        }
      },
      close(s) {
        srv.closed++;
        sockets.delete(s);
      },
    },
  });
  srv.url = `http://127.0.0.1:${listener.port}/v1/chat/completions`;
  srv.stop = () => {
    for (const s of sockets) s.end();
    listener.stop(true);
  };
  return srv;
}

/** One chunk of a chunked body. */
export const httpChunk = (s: string): string => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
