// Reusable arktype pieces for flag values, which arrive as strings from argv; each built on first use.
import { ark, lazy } from "./ark.ts";

export const positiveInt = lazy(() => ark().type("string.integer.parse").pipe(ark().type("number.integer >= 1")));
export const nonNegativeInt = lazy(() => ark().type("string.integer.parse").pipe(ark().type("number.integer >= 0")));
export const nonNegativeNumber = lazy(() => ark().type("string.numeric.parse").pipe(ark().type("number >= 0")));
export const positiveNumber = lazy(() => ark().type("string.numeric.parse").pipe(ark().type("number > 0")));
export const percent = lazy(() => ark().type("string.numeric.parse").pipe(ark().type("0 <= number <= 100")));
export const port = lazy(() => ark().type("string.integer.parse").pipe(ark().type("0 <= number.integer <= 65535")));

/** "localhost:8000" -> "http://localhost:8000" (AIPerf accepts URLs without a scheme); no trailing slash. */
export const baseUrl = lazy(() =>
  ark()
    .type("string")
    .pipe((s, ctx) => {
      const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`;
      let u: URL;
      try {
        u = new URL(withScheme);
      } catch {
        return ctx.error("an http(s) URL like http://localhost:8000");
      }
      if (u.protocol !== "http:" && u.protocol !== "https:") return ctx.error("an http or https URL");
      return withScheme.replace(/\/+$/, "");
    }),
);
