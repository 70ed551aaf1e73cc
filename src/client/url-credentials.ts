// Credentials written into a URL (http://user:pass@host) are sent as HTTP Basic auth, as curl does,
// and never kept in the URL itself: the URL is stored with every record and printed in reports.

export interface SplitUrl {
  /** The URL without its userinfo (unchanged when it had none). */
  url: string;
  /** `Basic base64(user:pass)`, or null when the URL had no credentials. */
  authorization: string | null;
  /** Every form in which the credentials could show up again in text: to be scrubbed. */
  secrets: string[];
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray '%': taken literally
  }
}

export function splitUrlCredentials(url: string): SplitUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, authorization: null, secrets: [] };
  }
  if (u.username === "" && u.password === "") return { url, authorization: null, secrets: [] };
  const user = decoded(u.username);
  const pass = decoded(u.password);
  const token = Buffer.from(`${user}:${pass}`, "utf8").toString("base64");
  // The user name alone is not secret (and is often a common word); the password, as written and
  // percent-decoded, and the token are.
  const secrets = [...new Set([token, u.password, pass].filter((s) => s !== ""))];
  u.username = "";
  u.password = "";
  return { url: u.href, authorization: `Basic ${token}`, secrets };
}
