import { expect, test } from "bun:test";
import { isSecretHeader, requestSecrets } from "../../../src/client/request-secrets.ts";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

test("credential headers, whatever their case", () => {
  for (const h of [
    "authorization",
    "Authorization",
    "proxy-authorization",
    "cookie",
    "api-key",
    "X-Api-Key",
    "x-goog-api-key",
    "ocp-apim-subscription-key",
    "x-auth-token",
    "x-client-secret",
    "x-password",
  ]) {
    expect(isSecretHeader(h)).toBe(true);
  }
  for (const h of ["accept", "content-type", "x-request-id", "authorization-hint", "user-agent", "x-model"]) expect(isSecretHeader(h)).toBe(false);
});

const cases: [string, Record<string, string>, string[], string[]][] = [
  ["--api-key: the header value and the token", { authorization: "Bearer sk-1" }, [], ["Bearer sk-1", "sk-1"]],
  ["a bare key header", { "x-api-key": "k-2", accept: "text/plain" }, [], ["k-2"]],
  [
    "Basic: the token, the decoded pair and the password",
    { "proxy-authorization": `Basic ${b64("u:pw")}` },
    [],
    [`Basic ${b64("u:pw")}`, b64("u:pw"), "u:pw", "pw"],
  ],
  ["Basic that is not base64 of a pair: the token only", { authorization: "Basic !!notb64" }, [], ["Basic !!notb64", "!!notb64"]],
  ["other headers are not secrets", { accept: "application/json", "x-custom": "v" }, [], []],
  ["URL credentials", {}, ["http://u:pw@h/v1", "http://h2/v1"], [b64("u:pw"), "pw"]],
  ["duplicates once", { authorization: "Bearer pw" }, ["http://u:pw@h/"], ["Bearer pw", "pw", b64("u:pw")]],
];

for (const [name, headers, urls, want] of cases) test(name, () => expect(requestSecrets(headers, urls)).toEqual(want));
