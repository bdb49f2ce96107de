-- wrk script for tests/bench/claims/run.sh: POST /v1/claims by an enterprise, "submit": true,
-- one new employee per request, so no request waits on another's person or quota row.
--
--   wrk -t T -c C -d D -s submit.lua URL -- TOKEN BASE T LIMIT
--
-- Request number k (BASE + n * T + thread number, so the threads never meet) becomes:
--   the ID number 330902 + birth date (1970-01-01 plus k / 1000 days) + serial k % 1000 + the
--   GB 11643 check character: a valid, distinct resident ID up to k = 10,957,000 (1999-12-31);
--   the Idempotency-Key "bench-k" and the certificate number "Bk".
-- done() prints "next_base N": the first k no thread has used, for the next run's BASE.
-- LIMIT: the people with employment records (insured_csv.py); k never reaches it.

local W = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local CHECK = "10X98765432"
local K_MAX = 10957000
local BODY = '{"region":"330902","submit":true,'
    .. '"employee":{"id_number":"%s","name":"员工"},'
    .. '"claim":{"kind":"certificate_training","occupation":"6-18-02-04","level":"level4",'
    .. '"certificate":{"kind":"qualification","number":"B%d","issue_date":"2020-06-30"},'
    .. '"actual_cost_fen":100000}}'

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   base = tonumber(args[2])
   nthreads = tonumber(args[3])
   limit = tonumber(args[4]) or K_MAX
   n = 0
   headers = {
      ["Authorization"] = "Bearer " .. args[1],
      ["Content-Type"] = "application/json",
   }
end

local function id_number(k)
   local id = "330902" .. os.date("!%Y%m%d", math.floor(k / 1000) * 86400)
       .. string.format("%03d", k % 1000)
   local sum = 0
   for i = 1, 17 do
      sum = sum + (id:byte(i) - 48) * W[i]
   end
   local c = sum % 11 + 1
   return id .. CHECK:sub(c, c)
end

function request()
   local k = base + n * nthreads + tid
   n = n + 1
   if k >= K_MAX then
      error("out of distinct ID numbers (k = " .. k .. ")")
   end
   if k >= limit then
      error("more requests than insured employees (k = " .. k .. "): raise BENCH_INSURED")
   end
   headers["Idempotency-Key"] = "bench-" .. k
   return wrk.format("POST", "/v1/claims", headers, string.format(BODY, id_number(k), k))
end

function done(summary, latency, requests)
   local most = 0
   for _, t in ipairs(threads) do
      most = math.max(most, t:get("n"))
   end
   io.write(string.format("next_base %d\n", threads[1]:get("base") + most * thread_count))
end
