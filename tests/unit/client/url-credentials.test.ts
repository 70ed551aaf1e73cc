import { expect, test } from "bun:test";
import { splitUrlCredentials } from "../../../src/client/url-credentials.ts";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

const cases: [string, string, ReturnType<typeof splitUrlCredentials>][] = [
  ["no credentials: unchanged", "http://h:8000/v1/chat/completions", { url: "http://h:8000/v1/chat/completions", authorization: null, secrets: [] }],
  ["user and password", "http://u:p4ss@h:8000/v1/x", { url: "http://h:8000/v1/x", authorization: `Basic ${b64("u:p4ss")}`, secrets: [b64("u:p4ss"), "p4ss"] }],
  [
    "percent-encoded: decoded for the header, both forms secret",
    "https://us%40er:p%3Ass@h/v1",
    { url: "https://h/v1", authorization: `Basic ${b64("us@er:p:ss")}`, secrets: [b64("us@er:p:ss"), "p%3Ass", "p:ss"] },
  ],
  ["user only", "http://u@h/v1", { url: "http://h/v1", authorization: `Basic ${b64("u:")}`, secrets: [b64("u:")] }],
  ["password only", "http://:pw@h/v1", { url: "http://h/v1", authorization: `Basic ${b64(":pw")}`, secrets: [b64(":pw"), "pw"] }],
  ["a stray % is taken literally", "http://u:p%ZZ@h/", { url: "http://h/", authorization: `Basic ${b64("u:p%ZZ")}`, secrets: [b64("u:p%ZZ"), "p%ZZ"] }],
  [
    "non-ASCII password as UTF-8",
    "http://u:pässwörd@h/",
    { url: "http://h/", authorization: `Basic ${b64("u:pässwörd")}`, secrets: [b64("u:pässwörd"), "p%C3%A4ssw%C3%B6rd", "pässwörd"] },
  ],
  ["not a URL: unchanged", "::nope", { url: "::nope", authorization: null, secrets: [] }],
];

for (const [name, url, want] of cases) test(name, () => expect(splitUrlCredentials(url)).toEqual(want));
