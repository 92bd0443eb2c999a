-- wrk script for bench/soak.py: each request takes the next path of a file (one a line, after "--"),
-- every thread counts the status codes it saw, and done() prints them all as one JSON line.
local paths = {}
local counter = 0
local threads = {}

setup = function(thread)
  threads[#threads + 1] = thread
end

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  counter = math.random(#paths)
  statuses = {}
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    for status, n in pairs(seen) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do
    parts[#parts + 1] = string.format('"%d": %d', status, n)
  end
  local errors = summary.errors
  io.write(string.format(
    'SOAK_JSON {"requests": %d, "seconds": %.3f, "socket_errors": %d, "timeouts": %d, '
    .. '"p50": %d, "p99": %d, "max": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ", ")
  ))
end
