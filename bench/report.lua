-- bench/report.lua - wrk script: after wrk's usual report, print one
-- machine-readable line that bench/run.sh parses. Only done() is defined, so
-- wrk keeps its static request and does no per-request Lua work.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%.0f duration_us=%.0f bytes=%.0f status_errors=%.0f " ..
    "connect=%.0f read=%.0f write=%.0f timeout=%.0f " ..
    "p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
