import { expect, test } from "bun:test";
import { probeOrigin } from "../../../src/client/readiness.ts";

test("a listening origin is ready; a closed port says why", async () => {
  const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  expect(await probeOrigin(`http://127.0.0.1:${l.port}/v1/chat/completions`, 2000)).toBeNull();
  const port = l.port;
  l.stop(true);
  expect(await probeOrigin(`http://127.0.0.1:${port}`, 2000)).toMatch(/^cannot connect to 127\.0\.0\.1:\d+ \(/);
  expect(await probeOrigin("not a url", 2000)).toBe("not a URL");
});
