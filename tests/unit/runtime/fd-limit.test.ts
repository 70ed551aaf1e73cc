import { expect, test } from "bun:test";
import { fdProblem, parseFdLimit } from "../../../src/runtime/fd-limit.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 20000                files
`;

test("parses the open-files line", () => {
  expect(parseFdLimit(LIMITS)).toEqual({ soft: 1024, hard: 20000 });
  expect(parseFdLimit("Max open files            unlimited            unlimited            files")).toBeNull();
  expect(parseFdLimit("nothing here")).toBeNull();
});

test.each([
  [900, null],
  [5000, "--concurrency 5000 needs about 5064 open files but this process may open 1024 (ulimit -n); raise it first (ulimit -n 5064)"],
  [
    25000,
    "--concurrency 25000 needs about 25064 open files but this process may open 1024 (ulimit -n); the hard limit is 20000, so lower --concurrency to 19936 or spread the load over several machines",
  ],
])("fdProblem(%d streams)", (streams, want) => {
  expect(fdProblem(streams, { soft: 1024, hard: 20000 })).toBe(want);
});
