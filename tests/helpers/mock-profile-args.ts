// `llmbench profile` argv against the mock as the integration tests run it: the built-in tokenizer,
// streaming, no live view, one worker; each test adds its own load and artifact flags.
export function mockProfileArgs(url: string, args: readonly string[]): string[] {
  return ["profile", "-u", url, "-m", "mock-model", "--tokenizer", "builtin", "--streaming", "--ui", "none", "--workers", "1", ...args];
}
