-- wrk script for bench/a2a_server.py: A2A 1.0 JSON-RPC SendMessage with a unique messageId
-- and text per request (run nonce from the command line, a thread id, a counter). A reply
-- counts as bad unless it is HTTP 200 with a completed task echoing the text.
-- Prints one line `JSON {...}` with requests, duration, p50/p99 latency, errors and bad.

-- Globals, not locals: done() reads each thread's `bad` with thread:get.
threads = {}
counter = 0
bad = 0
prefix = ""

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  prefix = (args[1] or "run") .. "-" .. tid .. "-"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["A2A-Version"] = "1.0"
end

function request()
  counter = counter + 1
  local id = prefix .. counter
  local body = '{"jsonrpc":"2.0","id":' .. counter .. ',"method":"SendMessage","params":'
    .. '{"message":{"role":"ROLE_USER","messageId":"' .. id .. '","parts":[{"text":"hi '
    .. id .. '"}]}}}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 200
    or not string.find(body, "TASK_STATE_COMPLETED", 1, true)
    or not string.find(body, "echo: hi " .. prefix, 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"bad":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout, total_bad))
end
