import { expect, test } from "bun:test";
import { redactedConfig } from "../../../src/config/profile-config.ts";
import { testProfileConfig } from "../../helpers/profile-config.ts";

test("the stored config keeps no API key, credential header or URL credentials", () => {
  const cfg = testProfileConfig("http://user:pw-Q9z@127.0.0.1:8000", {
    apiKey: "sk-xyz",
    header: ["X-Api-Key:k-77", "X-Auth-Token:t-88", "Accept:text/plain"],
  });
  expect(cfg.urls).toEqual(["http://user:pw-Q9z@127.0.0.1:8000/v1/chat/completions"]); // the requests still need them
  const stored = redactedConfig(cfg);
  expect(stored.urls).toEqual(["http://127.0.0.1:8000/v1/chat/completions"]);
  expect(stored.headers).toEqual({ "x-api-key": "<redacted>", "x-auth-token": "<redacted>", accept: "text/plain", authorization: "<redacted>" });
  expect(stored.apiKey).toBe("<redacted>");
  const json = JSON.stringify(stored);
  for (const secret of ["pw-Q9z", "user:", "sk-xyz", "k-77", "t-88"]) expect(json).not.toContain(secret);
});
