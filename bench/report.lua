-- wrk: print one JSON line with throughput, latency percentiles (microseconds) and errors.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "bytes": %d, "errors": %d, "status_errors": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\n',
    summary.requests, seconds, summary.bytes, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
