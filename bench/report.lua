-- wrk: print one JSON line with throughput, latency percentiles (microseconds) and errors.
-- With a file of paths after "--" (one a line), each request takes the next path:
-- bench/run.py uses it to search for a different word every time.
local paths = nil
local counter = 0

init = function(args)
  if #args > 0 then
    paths = {}
    for line in io.lines(args[1]) do
      if #line > 0 then paths[#paths + 1] = line end
    end
  end
end

request = function()
  if paths then
    counter = counter % #paths + 1
    return wrk.format("GET", paths[counter])
  end
  return wrk.request()
end

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
