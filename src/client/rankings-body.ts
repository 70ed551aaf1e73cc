// Rankings (rerank) request bodies. A synthetic prompt is cut at word boundaries into a query and
// `passages` passages of about equal length, so --isl sets the size of the whole request (query plus
// passages, which is what a reranker reads) and the dataset needs no rankings-specific shape.

export type RankingsType = "nim_rankings" | "hf_tei_rankings" | "cohere_rankings";

/** The prompt cut into 1 + `passages` non-empty parts (fewer passages when it has too few words). */
export function splitQueryPassages(prompt: string, passages: number): { query: string; passages: string[] } {
  const words = prompt.split(/\s+/).filter((w) => w !== "");
  const parts = Math.max(1, Math.min(1 + passages, words.length));
  const out: string[] = [];
  for (let i = 0; i < parts; i++) {
    const from = Math.floor((i * words.length) / parts);
    const to = Math.floor(((i + 1) * words.length) / parts);
    out.push(words.slice(from, to).join(" "));
  }
  const [query = prompt, ...rest] = out;
  return { query, passages: rest };
}

/** The body each API takes (key order as AIPerf sends it). */
export function rankingsBody(type: RankingsType, model: string, prompt: string, passages: number): Record<string, unknown> {
  const split = splitQueryPassages(prompt, passages);
  switch (type) {
    case "nim_rankings":
      return { model, query: { text: split.query }, passages: split.passages.map((text) => ({ text })) };
    case "hf_tei_rankings":
      return { query: split.query, texts: split.passages };
    case "cohere_rankings":
      return { model, query: split.query, documents: split.passages };
  }
}
