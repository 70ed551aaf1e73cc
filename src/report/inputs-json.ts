// inputs.json: every request payload of the dataset, grouped by session, as AIPerf writes it
// (orjson with 2-space indent, no trailing newline). Payloads are written exactly as sent.
import { dumpPyJson, type PyJsonValue } from "./py-json.ts";

export interface InputsSession {
  session_id: string;
  /** One request body per turn. */
  payloads: readonly PyJsonValue[];
}

export function inputsJson(sessions: readonly InputsSession[]): string {
  const data = sessions.map((s) => ({ session_id: s.session_id, payloads: s.payloads }));
  return dumpPyJson({ data }, { style: "orjson", indent: 2 });
}
