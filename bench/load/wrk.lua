-- Drives wrk for bench/run.ts (see bench/load/wrk.ts).
--
-- init(): the first script argument is a Lua file, written by wrk.ts, that returns the scenario's requests
-- as { { method, path, headers, body, key }, ... }; the second is wrk's thread count; the third, when
-- present, is the pooled mode's key field (LoadOptions.exclusive in types.ts). Requests are formatted once
-- per thread here, since building a request string per request would cost the generator CPU that the
-- server under test needs on a 2-core machine.
--
-- Round-robin mode (no key field): request() sends the requests in turn. No response() is defined, so wrk
-- never parses bodies.
--
-- Pooled mode (key field given): no two in-flight requests are the same entry. wrk's Lua hooks are per
-- thread, not per connection, so each thread keeps a FIFO of its entries that are not in flight: request()
-- takes one, and response() puts back the one whose key the response body names (`"<field>":"<key>"`).
-- A connection sends only after its previous response was handled, so with at least as many entries as the
-- thread's connections the FIFO is never empty. Each thread owns a disjoint share of the entries (every
-- n-th one). wrk 4.1 calls request() once on the first thread before any connection opens, to check the
-- request; that entry never comes back, which is why wrk.ts is given one spare entry per thread.
--
-- done(): prints one line, `ZEKKA_BENCH_RESULT {json}`, with the totals and latency percentiles in
-- microseconds; wrk.ts parses that instead of wrk's human-readable report.

local prepared = {}
local count = 0
local index = 0

-- Pooled mode, per thread. Globals, so done() can read them with thread:get().
starved = 0 -- request() found no entry free: sent a request that is answered 404 instead
unmatched = 0 -- a response named no entry of this thread: that entry is lost
odd = 0 -- 1xx and 3xx statuses, which wrk itself does not count as errors
local byKey = {}
local free = {}
local head, tail = 1, 1
local keyPattern = nil

-- setup() runs in the main script environment, before the thread's init(); it numbers the threads (so
-- each starts at another request, or owns another share of the pool) and keeps them for done().
local threads = {}
function setup(thread)
  thread:set('offset', #threads)
  table.insert(threads, thread)
end

local function pooledRequest()
  if head == tail then
    starved = starved + 1
    return wrk.format('GET', '/__zekka_bench_pool_empty__')
  end
  local key = free[head]
  free[head] = nil
  head = head + 1
  return byKey[key]
end

local function pooledResponse(status, headers, body)
  if status < 200 or (status >= 300 and status < 400) then
    odd = odd + 1
  end
  local key = body and string.match(body, keyPattern)
  if key ~= nil and byKey[key] ~= nil then
    free[tail] = key
    tail = tail + 1
  else
    unmatched = unmatched + 1
  end
end

function init(args)
  local spec = dofile(args[1])
  local nthreads = tonumber(args[2]) or 1
  local keyField = args[3]
  local slot = offset or 0
  if keyField == nil then
    for i, r in ipairs(spec) do
      prepared[i] = wrk.format(r.method, r.path, r.headers, r.body)
    end
    count = #prepared
    index = slot % count
    return
  end
  keyPattern = '"' .. string.gsub(keyField, '%W', '%%%0') .. '":"([^"]*)"'
  for i, r in ipairs(spec) do
    if (i - 1) % nthreads == slot then
      byKey[r.key] = wrk.format(r.method, r.path, r.headers, r.body)
      free[tail] = r.key
      tail = tail + 1
    end
  end
  -- wrk checks for these globals after init(), so defining them here selects the mode.
  request = pooledRequest
  response = pooledResponse
end

function request()
  index = index % count + 1
  return prepared[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  local pool = { starved = 0, unmatched = 0, odd = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(pool) do
      pool[name] = pool[name] + (tonumber(thread:get(name)) or 0)
    end
  end
  io.write(string.format(
    'ZEKKA_BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"pool":{"starved":%d,"unmatched":%d,"odd":%d},' ..
      '"latencyUs":{"min":%d,"max":%d,"mean":%.3f,"p50":%d,"p90":%d,"p99":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    pool.starved, pool.unmatched, pool.odd,
    latency.min, latency.max, latency.mean,
    latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0)
  ))
end
