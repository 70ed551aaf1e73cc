// A second mock on a port another mock holds must not start (Bun.serve with development: false sets
// SO_REUSEPORT by default, and the two would split the traffic).
import { afterAll, describe, expect, test } from "bun:test";
import { startMockServer, type MockServerHandle } from "../../../src/mock/server.ts";
import { runCli } from "../../../src/cli/run-cli.ts";
import { COMMANDS } from "../../../src/cli/commands.ts";
import { fakeIo } from "../../helpers/fake-io.ts";

const servers: MockServerHandle[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe("mock on a port already in use", () => {
  test("startMockServer refuses the port", async () => {
    const first = await startMockServer({ port: 0 });
    servers.push(first);
    const second = startMockServer({ port: first.port }).then((s) => (servers.push(s), s));
    await expect(second).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  test("llmbench mock --port P: one line 'port P is in use', exit 2", async () => {
    const first = await startMockServer({ port: 0 });
    servers.push(first);
    const io = fakeIo("/");
    const code = await runCli(["mock", "--port", String(first.port)], COMMANDS, io);
    expect(code).toBe(2);
    expect(io.stderr[0]).toBe(`llmbench mock: --port ${first.port}: port ${first.port} is in use (on 127.0.0.1)\n`);
    expect(io.stdout).toEqual([]);
  });

  test("every request still reaches the one mock that holds the port", async () => {
    const first = await startMockServer({ port: 0, models: ["first"] });
    servers.push(first);
    await startMockServer({ port: first.port, models: ["second"] })
      .then((s) => servers.push(s))
      .catch(() => {});
    const ids = [];
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${first.url}/v1/models`, { headers: { connection: "close" } });
      ids.push(((await r.json()) as { data: { id: string }[] }).data[0]!.id);
    }
    expect(ids.length).toBe(20);
    expect(new Set(ids)).toEqual(new Set(["first"]));
  });
});
