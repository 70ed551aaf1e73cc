// The default artifact directory name, AIPerf's (kept apart so `demo --help` loads nothing heavy).

/**
 * AIPerf-style default: artifacts/<model>-openai-<endpoint>-<stimulus>, '/' in the model made '_';
 * stimulus "concurrency8", "request_rate10.0", "concurrency8-request_rate10.0" or "fixed_schedule".
 */
export function defaultArtifactDir(model: string, endpointType: string, stimulus: string): string {
  const safe = model.replace(/\//g, "_").replace(/[^A-Za-z0-9._:-]+/g, "_");
  return `artifacts/${safe}-openai-${endpointType}-${stimulus}`;
}
