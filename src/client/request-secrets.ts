// The secret values a run sends with its requests, so that any echo of them (a server that answers
// "401 Incorrect API key provided: sk-...") can be scrubbed before it is stored or printed.
import { splitUrlCredentials } from "./url-credentials.ts";

/**
 * Headers whose values are credentials: the standard ones and any name saying key, token, secret or
 * password (x-api-key, api-key, x-goog-api-key, ocp-apim-subscription-key, x-auth-token, ...).
 */
export function isSecretHeader(name: string): boolean {
  return /^(authorization|proxy-authorization|cookie)$|key|token|secret|passw/i.test(name);
}

/**
 * Each secret header's value and its token part ("Bearer <token>", "Basic <token>"); for Basic, the
 * decoded "user:pass" and the password too; and the credentials of every URL.
 */
export function requestSecrets(headers: Record<string, string>, urls: readonly string[]): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) continue;
    const v = value.trim();
    out.add(v);
    const m = /^(\S+)\s+(\S.*)$/.exec(v);
    if (m === null) continue;
    const token = m[2]!;
    out.add(token);
    if (m[1]!.toLowerCase() === "basic") {
      const plain = Buffer.from(token, "base64").toString("utf8");
      const colon = plain.indexOf(":");
      if (colon >= 0 && Buffer.from(plain, "utf8").toString("base64").replace(/=+$/, "") === token.replace(/=+$/, "")) {
        out.add(plain);
        out.add(plain.slice(colon + 1));
      }
    }
  }
  for (const url of urls) for (const s of splitUrlCredentials(url).secrets) out.add(s);
  out.delete("");
  return [...out];
}
