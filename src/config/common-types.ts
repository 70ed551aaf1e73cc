// Reusable arktype pieces for flag values, which arrive as strings from argv.
import { type } from "arktype";

export const positiveInt = type("string.integer.parse").pipe(type("number.integer >= 1"));
export const nonNegativeInt = type("string.integer.parse").pipe(type("number.integer >= 0"));
export const nonNegativeNumber = type("string.numeric.parse").pipe(type("number >= 0"));
export const positiveNumber = type("string.numeric.parse").pipe(type("number > 0"));
export const percent = type("string.numeric.parse").pipe(type("0 <= number <= 100"));
export const port = type("string.integer.parse").pipe(type("0 <= number.integer <= 65535"));

/** "localhost:8000" -> "http://localhost:8000" (AIPerf accepts URLs without a scheme); no trailing slash. */
export const baseUrl = type("string").pipe((s, ctx) => {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return ctx.error("an http(s) URL like http://localhost:8000");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return ctx.error("an http or https URL");
  return withScheme.replace(/\/+$/, "");
});
