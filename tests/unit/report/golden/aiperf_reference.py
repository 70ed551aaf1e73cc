# Reference used to produce the golden files beside it (streaming.json, non-streaming.json).
# It follows AIPerf 0.6.0's code paths for the parts llmbench reproduces (the summary JSON: schema 1.5,
# with record metrics' count and sum and the run_info block): per-record metric formulas,
# MetricArray stats with numpy (np.percentile linear, np.mean, np.std ddof=0, running sum),
# to_display_unit (value * (to.per_second / from.per_second)), JsonExportData via pydantic
# model_dump_json(indent=2, exclude_unset, exclude_none), orjson for the JSONL, csv.writer for the CSV,
# and a rich Table laid out like AIPerf's ConsoleMetricsExporter.
# Not run by the test suite (needs numpy, pydantic, orjson, rich; without rich, pass the current golden
# file as a 7th argument and its console text is kept). To regenerate:
#   bun -e 'import {scenarioRecords} from "./tests/unit/report/scenario.ts"; console.log(JSON.stringify(scenarioRecords()))' > /tmp/recs.json
#   python aiperf_reference.py /tmp/recs.json stream "time_to_first_token:26 output_token_throughput_per_user:150" 99.9 \
#     1760000000123456789 1760000000198888889 > streaming.json
#   python aiperf_reference.py /tmp/recs.json nostream "" "" 1760000000123456789 1760000000198888889 > non-streaming.json
import csv, io, json, sys, os
from datetime import datetime
import numpy as np
import orjson
from pydantic import BaseModel, ConfigDict

os.environ["TZ"] = "UTC"
import time; time.tzset()

recs = json.load(open(sys.argv[1]))
STREAMING = sys.argv[2] == "stream"
NS_FIELDS = ["scheduled_ns", "start_ns", "ack_ns", "first_token_ns", "first_output_token_ns", "last_token_ns", "end_ns"]
for r in recs:
    for f in NS_FIELDS:
        r[f] = int(float(r[f]))
    for c in r["chunks"]:
        c["arrival_ns"] = int(float(c["arrival_ns"]))

SLOS = {}
if len(sys.argv) > 3 and sys.argv[3]:
    for item in sys.argv[3].split():
        k, v = item.split(":", 1)
        v = float(v)
        if k in ("time_to_first_token", "inter_token_latency", "request_latency", "time_to_second_token", "time_to_first_output_token"):
            v = v * (1_000_000_000 / 1000)
        SLOS[k] = v
EXTRA_P = [float(x) for x in sys.argv[4].split(",")] if len(sys.argv) > 4 and sys.argv[4] else []
LARGER = {"output_token_throughput_per_user", "prefill_throughput_per_user", "output_sequence_length", "input_sequence_length", "output_token_count"}

ORDER = ["input_sequence_length", "time_to_first_token", "request_latency", "output_token_count", "time_to_second_token",
         "inter_chunk_latency", "output_sequence_length", "inter_token_latency", "output_token_throughput_per_user",
         "time_to_first_output_token", "prefill_throughput_per_user", "reasoning_token_count", "usage_prompt_tokens",
         "usage_completion_tokens", "usage_total_tokens", "usage_reasoning_tokens", "usage_prompt_tokens_diff_pct",
         "usage_completion_tokens_diff_pct", "usage_reasoning_tokens_diff_pct", "osl_mismatch_diff_pct", "error_isl",
         "good_request_count", "request_count", "error_request_count", "osl_mismatch_count", "usage_discrepancy_count"]
INFO = {  # tag: (header, unit, display_unit, kind)
    "input_sequence_length": ("Input Sequence Length", "tokens", "tokens", "record"),
    "time_to_first_token": ("Time to First Token", "ns", "ms", "record"),
    "request_latency": ("Request Latency", "ns", "ms", "record"),
    "output_token_count": ("Output Token Count", "tokens", "tokens", "record"),
    "time_to_second_token": ("Time to Second Token", "ns", "ms", "record"),
    "inter_chunk_latency": ("Inter Chunk Latency", "ns", "ms", "record"),
    "output_sequence_length": ("Output Sequence Length", "tokens", "tokens", "record"),
    "inter_token_latency": ("Inter Token Latency", "ns", "ms", "record"),
    "output_token_throughput_per_user": ("Output Token Throughput Per User", "tokens/sec/user", "tokens/sec/user", "record"),
    "time_to_first_output_token": ("Time to First Output Token", "ns", "ms", "record"),
    "prefill_throughput_per_user": ("Prefill Throughput Per User", "tokens/sec/user", "tokens/sec/user", "record"),
    "reasoning_token_count": ("Reasoning Token Count", "tokens", "tokens", "record"),
    "usage_prompt_tokens": ("Usage Prompt Tokens", "tokens", "tokens", "record"),
    "usage_completion_tokens": ("Usage Completion Tokens", "tokens", "tokens", "record"),
    "usage_total_tokens": ("Usage Total Tokens", "tokens", "tokens", "record"),
    "usage_reasoning_tokens": ("Usage Reasoning Tokens", "tokens", "tokens", "record"),
    "usage_prompt_tokens_diff_pct": ("Usage Prompt Diff", "%", "%", "record"),
    "usage_completion_tokens_diff_pct": ("Usage Completion Diff %", "%", "%", "record"),
    "usage_reasoning_tokens_diff_pct": ("Usage Reasoning Diff %", "%", "%", "record"),
    "osl_mismatch_diff_pct": ("OSL Mismatch Diff %", "%", "%", "record"),
    "error_isl": ("Error Input Sequence Length", "tokens", "tokens", "record"),
    "good_request_count": ("GoodRequestCount", "requests", "requests", "aggregate"),
    "request_count": ("Request Count", "requests", "requests", "aggregate"),
    "error_request_count": ("Error Request Count", "requests", "requests", "aggregate"),
    "osl_mismatch_count": ("OSL Mismatch Count", "requests", "requests", "aggregate"),
    "usage_discrepancy_count": ("Usage Discrepancy Count", "requests", "requests", "aggregate"),
    "benchmark_duration": ("Benchmark Duration", "ns", "sec", "derived"),
    "request_throughput": ("Request Throughput", "requests/sec", "requests/sec", "derived"),
    "output_token_throughput": ("Output Token Throughput", "tokens/sec", "tokens/sec", "derived"),
    "total_token_throughput": ("Total Token Throughput", "tokens/sec", "tokens/sec", "derived"),
    "goodput": ("Goodput", "requests/sec", "requests/sec", "derived"),
    "good_request_fraction": ("Good Request Fraction", "ratio", "ratio", "derived"),
    "total_isl": ("Total Input Sequence Length", "tokens", "tokens", "derived"),
    "total_osl": ("Total Output Sequence Length", "tokens", "tokens", "derived"),
    "total_output_tokens": ("Total Output Tokens", "tokens", "tokens", "derived"),
    "total_reasoning_tokens": ("Total Reasoning Tokens", "tokens", "tokens", "derived"),
    "total_error_isl": ("Total Error Input Sequence Length", "tokens", "tokens", "derived"),
    "total_usage_prompt_tokens": ("Total Usage Prompt Tokens", "tokens", "tokens", "derived"),
    "total_usage_completion_tokens": ("Total Usage Completion Tokens", "tokens", "tokens", "derived"),
    "total_usage_total_tokens": ("Total Usage Total Tokens", "tokens", "tokens", "derived"),
}
NO_INDIVIDUAL = {"request_count", "error_request_count", "osl_mismatch_count", "usage_discrepancy_count"}
STREAM_ONLY = {"time_to_first_token", "time_to_second_token", "time_to_first_output_token", "inter_chunk_latency", "inter_token_latency", "output_token_throughput_per_user", "prefill_throughput_per_user"}
PER_SECOND = {"ns": 1_000_000_000, "ms": 1000, "sec": 1}

def convert(v, frm, to):
    if frm == to or frm not in PER_SECOND or to not in PER_SECOND:
        return v
    return v * (PER_SECOND[to] / PER_SECOND[frm])

def record_metrics(r):
    d = {}
    if r["error"] is not None or r["cancelled"]:
        d["error_isl"] = r["input_tokens"]
        d["error_request_count"] = 1
        return d
    start = r["start_ns"]
    content = [c["arrival_ns"] for c in r["chunks"]]
    isl = r["input_tokens"]
    osl = r["output_tokens"] + r["reasoning_tokens"]
    d["input_sequence_length"] = isl
    if content:
        d["time_to_first_token"] = r["first_token_ns"] - start
        d["request_latency"] = (content[-1] if STREAMING else r["end_ns"]) - start
    elif not STREAMING:
        d["request_latency"] = r["end_ns"] - start
    if r["output_tokens"]:
        d["output_token_count"] = r["output_tokens"]
    if len(content) >= 2:
        d["time_to_second_token"] = content[1] - content[0]
        d["inter_chunk_latency"] = [content[i] - content[i - 1] for i in range(1, len(content))]
    d["output_sequence_length"] = osl
    if osl >= 2 and "time_to_first_token" in d:
        itl = (d["request_latency"] - d["time_to_first_token"]) / (osl - 1)
        d["inter_token_latency"] = itl
        conv = itl * (1 / 1_000_000_000)
        if conv != 0:
            d["output_token_throughput_per_user"] = 1 / conv
    if r["first_output_token_ns"]:
        d["time_to_first_output_token"] = r["first_output_token_ns"] - start
    if "time_to_first_token" in d and d["time_to_first_token"] != 0:
        d["prefill_throughput_per_user"] = isl / (d["time_to_first_token"] * (1 / 1_000_000_000))
    if r["reasoning_tokens"]:
        d["reasoning_token_count"] = r["reasoning_tokens"]
    for k, f in [("usage_prompt_tokens", "usage_prompt_tokens"), ("usage_completion_tokens", "usage_completion_tokens"), ("usage_total_tokens", "usage_total_tokens"), ("usage_reasoning_tokens", "usage_reasoning_tokens")]:
        if r[f] is not None:
            d[k] = r[f]
    if "usage_prompt_tokens" in d and isl != 0:
        d["usage_prompt_tokens_diff_pct"] = (abs(d["usage_prompt_tokens"] - isl) / isl) * 100.0
    if "usage_completion_tokens" in d and osl != 0:
        d["usage_completion_tokens_diff_pct"] = (abs(d["usage_completion_tokens"] - osl) / osl) * 100.0
    if "usage_reasoning_tokens" in d and "reasoning_token_count" in d:
        rt = d["reasoning_token_count"]
        d["usage_reasoning_tokens_diff_pct"] = (abs(d["usage_reasoning_tokens"] - rt) / rt) * 100.0
    req = r["requested_output_tokens"]
    if req:
        d["osl_mismatch_diff_pct"] = ((osl - req) / req) * 100.0
        d["osl_mismatch_count"] = 1 if abs(osl - req) > min(req * (5.0 / 100), 50) else 0
    if "usage_prompt_tokens_diff_pct" in d and "usage_completion_tokens_diff_pct" in d:
        t = 10.0
        x = d["usage_prompt_tokens_diff_pct"] > t or d["usage_completion_tokens_diff_pct"] > t or (d.get("usage_reasoning_tokens_diff_pct") is not None and d["usage_reasoning_tokens_diff_pct"] > t)
        d["usage_discrepancy_count"] = 1 if x else 0
    d["request_count"] = 1
    if SLOS and all(k in d for k in SLOS):
        good = all((d[k] >= v) if k in LARGER else (d[k] <= v) for k, v in SLOS.items())
        d["good_request_count"] = 1 if good else 0
    if not STREAMING:
        for k in STREAM_ONLY:
            d.pop(k, None)
    return {k: d[k] for k in ORDER if k in d}

prof = [r for r in recs if r["phase"] == "profiling"]
per = [(r, record_metrics(r)) for r in prof]

# ---- JSONL
def jsonl_line(r, d):
    md = {"session_num": r["session_num"], "x_request_id": r["x_request_id"], "turn_index": r["turn_index"],
          "request_start_ns": r["start_ns"], "request_ack_ns": r["ack_ns"] or None, "request_end_ns": r["end_ns"],
          "worker_id": f"worker_{r['worker_id']}", "record_processor_id": "record_processor_0",
          "benchmark_phase": r["phase"], "was_cancelled": r["cancelled"],
          "cancellation_time_ns": r["end_ns"] if r["cancelled"] else None}
    metrics = {}
    for k, v in d.items():
        if k in NO_INDIVIDUAL:
            continue
        h, u, du, _ = INFO[k]
        if du != u:
            v = [convert(x, u, du) for x in v] if isinstance(v, list) else convert(v, u, du)
        metrics[k] = {"value": v, "unit": du}
    rec = {"metadata": {k: v for k, v in md.items() if v is not None}, "metrics": metrics}
    if r["error"]:
        rec["error"] = {"code": r["error"]["code"], "type": r["error"]["type"], "message": r["error"]["message"]}
    return orjson.dumps(rec)
jsonl = b"\n".join(jsonl_line(r, d) for r, d in per) + b"\n"

# ---- summary
arrays, sums, aggs = {}, {}, {}
min_req, max_resp = None, None
errors = {}
for r, d in per:
    for k, v in d.items():
        kind = INFO[k][3]
        if kind == "record":
            arrays.setdefault(k, [])
            if isinstance(v, list):
                arrays[k].extend(v); sums[k] = sums.get(k, 0.0) + float(np.asarray(v, dtype=np.float64).sum())
            else:
                arrays[k].append(v); sums[k] = sums.get(k, 0.0) + v
        else:
            aggs[k] = aggs.get(k, 0) + v
    if r["error"] is None and not r["cancelled"]:
        min_req = r["start_ns"] if min_req is None else min(min_req, r["start_ns"])
        if "request_latency" in d:
            mr = r["start_ns"] + d["request_latency"]
            max_resp = mr if max_resp is None else max(max_resp, mr)
    else:
        key = (r["error"]["code"], r["error"]["type"], r["error"]["message"])
        errors[key] = errors.get(key, 0) + 1

P = sorted(set([1, 5, 10, 25, 50, 75, 90, 95, 99] + EXTRA_P))
def pkey(p):
    return "p" + (str(int(p)) if float(p).is_integer() else str(p))
results = {}
for k, vals in arrays.items():
    arr = np.asarray(vals, dtype=np.float64)
    ps = np.percentile(arr, P)
    res = {"count": len(vals), "avg": float(np.mean(arr)), "min": float(np.min(arr)), "max": float(np.max(arr)), "sum": float(sums[k]),
           "std": float(np.std(arr)), "pcts": [(pkey(p), float(x)) for p, x in zip(P, ps)]}
    results[k] = res
for k, v in aggs.items():
    results[k] = {"avg": float(v)}
dur = None
if min_req is not None and max_resp is not None and min_req < max_resp:
    dur = max_resp - min_req
    results["benchmark_duration"] = {"avg": float(dur)}
for t, src in [("total_isl", "input_sequence_length"), ("total_osl", "output_sequence_length"), ("total_output_tokens", "output_token_count"),
               ("total_reasoning_tokens", "reasoning_token_count"), ("total_error_isl", "error_isl"), ("total_usage_prompt_tokens", "usage_prompt_tokens"),
               ("total_usage_completion_tokens", "usage_completion_tokens"), ("total_usage_total_tokens", "usage_total_tokens")]:
    if src in sums:
        results[t] = {"avg": float(sums[src])}
if dur is not None:
    sec = dur * (1 / 1_000_000_000)
    if "request_count" in aggs: results["request_throughput"] = {"avg": aggs["request_count"] / sec}
    if "output_sequence_length" in sums: results["output_token_throughput"] = {"avg": sums["output_sequence_length"] / sec}
    if "input_sequence_length" in sums and "output_sequence_length" in sums:
        results["total_token_throughput"] = {"avg": (sums["input_sequence_length"] + sums["output_sequence_length"]) / sec}
    if "good_request_count" in aggs: results["goodput"] = {"avg": aggs["good_request_count"] / sec}
if SLOS:
    fin = aggs.get("request_count", 0) + aggs.get("error_request_count", 0)
    results["good_request_fraction"] = {"avg": (aggs.get("good_request_count", 0) / fin) if fin else 0.0}
# display units
for k, res in results.items():
    h, u, du, _ = INFO[k]
    for s in ["avg", "min", "max", "sum", "std"]:
        if s in res: res[s] = convert(res[s], u, du)
    if "pcts" in res:
        res["pcts"] = [(pk, convert(x, u, du)) for pk, x in res["pcts"]]

TABLE_ORDER = list(INFO.keys())
DECLARED = ["request_throughput", "request_latency", "request_count", "time_to_first_token", "time_to_second_token", "inter_token_latency",
            "output_token_throughput", "output_token_throughput_per_user", "output_sequence_length", "input_sequence_length", "goodput",
            "good_request_count", "output_token_count", "reasoning_token_count", "min_request_timestamp", "max_response_timestamp",
            "inter_chunk_latency", "total_output_tokens", "total_reasoning_tokens", "benchmark_duration", "total_isl", "total_osl",
            "error_request_count", "error_isl", "total_error_isl"]
fields = {"schema_version": (str | None, None), "aiperf_version": (str | None, None), "benchmark_id": (str | None, None)}
ns = {"__annotations__": {}, "model_config": ConfigDict(extra="allow")}
for f in ["schema_version", "aiperf_version", "benchmark_id"]:
    ns["__annotations__"][f] = str | None; ns[f] = None
for f in DECLARED:
    ns["__annotations__"][f] = dict | None; ns[f] = None
class RunInfo(BaseModel):
    benchmark_id: str | None = None
    sweep_id: str | None = None
    random_seed: int | None = None
    trial: int = 0
    run_label: str = "run_0001"
    variation_label: str = "base"
    variation_index: int = 0
    variation_values: dict = {}
    cli_command: str | None = None
for f, t in [("telemetry_data", dict | None), ("input_config", dict | None), ("was_cancelled", bool | None), ("error_summary", list | None), ("start_time", datetime | None), ("end_time", datetime | None),
             ("branch_stats", dict | None), ("run_info", RunInfo | None)]:
    ns["__annotations__"][f] = t; ns[f] = None
JsonExportData = type("JsonExportData", (BaseModel,), ns)

def block(k):
    res = results[k]
    b = {"unit": INFO[k][2], "avg": res["avg"]}
    for pk, x in res.get("pcts", []):
        b[pk] = x
    for s in ["min", "max", "std"]:
        if s in res: b[s] = res[s]
    if INFO[k][3] == "record":  # schema 1.1: count and sum on record metrics only
        b["count"] = res["count"]
        b["sum"] = res["sum"]
    return b
START, END = int(sys.argv[5]), int(sys.argv[6])
ed = JsonExportData(schema_version="1.5", aiperf_version="9.9.9", benchmark_id="bench-1",
                    input_config={"endpoint": {"model_names": ["m"], "streaming": True}, "loadgen": {"concurrency": 4}, "temperature": 0.5},
                    was_cancelled=False,
                    error_summary=[{"error_details": {"code": c, "type": t, "message": m}, "count": n} for (c, t, m), n in errors.items()],
                    start_time=datetime.fromtimestamp(START / 1e9), end_time=datetime.fromtimestamp(END / 1e9),
                    run_info=RunInfo(benchmark_id="bench-1", sweep_id=None, random_seed=0, trial=0, run_label="run_0001",
                                     variation_label="base", variation_index=0, variation_values={}, cli_command=None))
for k in [t for t in DECLARED if t in results] + [t for t in TABLE_ORDER if t in results and t not in DECLARED]:
    setattr(ed, k, block(k))
js = ed.model_dump_json(indent=2, exclude_unset=True, exclude_none=True)

# ---- CSV
buf = io.StringIO(); w = csv.writer(buf)
def name(k):
    h, u, du, _ = INFO[k]
    return f"{h} ({du})" if du.lower() not in {"count", "requests"} else h
reqm = sorted(k for k in results if "pcts" in results[k]); sysm = sorted(k for k in results if "pcts" not in results[k])
if reqm:
    w.writerow(["Metric", "avg", "min", "max", "sum"] + [pk for pk, _ in results[reqm[0]]["pcts"]] + ["std"])
    for k in reqm:
        res = results[k]
        w.writerow([name(k)] + [f"{float(res[s]):.2f}" for s in ["avg", "min", "max", "sum"]] + [f"{float(x):.2f}" for _, x in res["pcts"]] + [f"{float(res['std']):.2f}"])
    if sysm: w.writerow([])
if sysm:
    w.writerow(["Metric", "Value"])
    for k in sysm: w.writerow([name(k), f"{float(results[k]['avg']):.2f}"])
csv_text = buf.getvalue()

# ---- console
try:
    from rich.console import Console
    from rich.table import Table
except ImportError:  # keep the console text of the golden file given as the 7th argument
    json.dump({"jsonl": jsonl.decode(), "json": js, "csv": csv_text, "console": json.load(open(sys.argv[7]))["console"]}, sys.stdout)
    sys.exit(0)
DISPLAY = {"time_to_first_token": 100, "time_to_second_token": 200, "time_to_first_output_token": 210, "request_latency": 300,
           "inter_token_latency": 400, "output_token_throughput_per_user": 500, "output_sequence_length": 600, "input_sequence_length": 700,
           "output_token_throughput": 800, "request_throughput": 900, "goodput": 1000, "good_request_fraction": 1010, "request_count": 1100}
HIDDEN = {"inter_chunk_latency", "output_token_count", "reasoning_token_count", "prefill_throughput_per_user", "usage_prompt_tokens", "usage_completion_tokens",
          "usage_total_tokens", "usage_reasoning_tokens", "usage_prompt_tokens_diff_pct", "usage_completion_tokens_diff_pct", "usage_reasoning_tokens_diff_pct",
          "osl_mismatch_diff_pct", "error_isl", "good_request_count", "error_request_count", "osl_mismatch_count", "usage_discrepancy_count", "benchmark_duration",
          "total_token_throughput", "total_isl", "total_osl", "total_output_tokens", "total_reasoning_tokens", "total_error_isl", "total_usage_prompt_tokens",
          "total_usage_completion_tokens", "total_usage_total_tokens"}
table = Table(title="llmbench | LLM Metrics")
table.add_column("Metric", justify="right", style="cyan")
COLS = ["avg", "min", "max", "p99", "p90", "p50", "std"]
for c in COLS: table.add_column(c, justify="right", style="green")
for k in sorted([t for t in TABLE_ORDER if t in results], key=lambda t: DISPLAY.get(t) or sys.maxsize):
    if k in HIDDEN: continue
    h, u, du, _ = INFO[k]; res = results[k]; pc = dict(res.get("pcts", []))
    row = [f"{h}{chr(10) if len(h) > 30 else ' '}({du})"]
    for c in COLS:
        v = res.get(c) if c in ("avg", "min", "max", "std") else pc.get(c)
        row.append("[dim]N/A[/dim]" if v is None else f"{v:,.2f}")
    table.add_row(*row)
out = io.StringIO()
Console(file=out, width=200, color_system=None, force_terminal=False, legacy_windows=False).print(table)

json.dump({"jsonl": jsonl.decode(), "json": js, "csv": csv_text, "console": out.getvalue()}, sys.stdout)
