-- Drives wrk for bench/run.ts (see bench/load/wrk.ts).
--
-- init(): the one script argument is a Lua file, written by wrk.ts, that returns the scenario's requests as
-- { { method, path, headers, body }, ... }. They are formatted once per thread here and sent round-robin
-- from request(), since building a request string per request would cost the generator CPU that the
-- server under test needs on a 2-core machine. No response() is defined, so wrk never parses bodies.
--
-- done(): prints one line, `ZEKKA_BENCH_RESULT {json}`, with the totals and latency percentiles in
-- microseconds; wrk.ts parses that instead of wrk's human-readable report.

local prepared = {}
local count = 0
local index = 0

-- setup() runs in the main script environment; it numbers the threads so each starts at another request.
local threads = 0
function setup(thread)
  thread:set('offset', threads)
  threads = threads + 1
end

function init(args)
  local spec = dofile(args[1])
  for i, r in ipairs(spec) do
    prepared[i] = wrk.format(r.method, r.path, r.headers, r.body)
  end
  count = #prepared
  index = (offset or 0) % count
end

function request()
  index = index % count + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'ZEKKA_BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"min":%d,"max":%d,"mean":%.3f,"p50":%d,"p90":%d,"p99":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.max, latency.mean,
    latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0)
  ))
end
