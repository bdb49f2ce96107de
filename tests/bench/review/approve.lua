-- wrk script for tests/bench/review/run.sh: POST /v1/claims/{id}/approve, each request another
-- claim the approver holds (run.sh put them in review, held by the approver, before the run).
--
--   wrk -t T -c C -d D -s approve.lua URL -- TOKEN IDS_FILE T RUN
--
-- IDS_FILE has one claim id a line; thread t takes lines t, t + T, t + 2T, ... so the threads
-- never approve one claim twice.  RUN names the run in the Idempotency-Key ("bench-RUN-id").
-- A reply that is not 200 counts as a non-2xx response in wrk's summary; run.sh stops on one.
-- Running out of ids is an error: run.sh makes BENCH_APPROVALS claims for all its runs.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   local nthreads = tonumber(args[3])
   run = args[4]
   ids = {}
   local i = 0
   for line in io.lines(args[2]) do
      if i % nthreads == tid then
         table.insert(ids, line)
      end
      i = i + 1
   end
   n = 0
   headers = {
      ["Authorization"] = "Bearer " .. args[1],
      ["Content-Type"] = "application/json",
   }
end

function request()
   n = n + 1
   local id = ids[n]
   if not id then
      error("out of claims to approve after " .. (n - 1) .. " in one thread: raise BENCH_APPROVALS")
   end
   headers["Idempotency-Key"] = "bench-" .. run .. "-" .. id
   return wrk.format("POST", "/v1/claims/" .. id .. "/approve", headers, "{}")
end

-- done() prints "used N": the lines of IDS_FILE any thread may have taken, for the next run
function done(summary, latency, requests)
   local most = 0
   for _, t in ipairs(threads) do
      most = math.max(most, t:get("n"))
   end
   io.write(string.format("used %d\n", most * thread_count))
end
