-- wrk script for tests/bench/review/run.sh: GET one page of an approver's queue, the same page
-- on every request (a read: no request changes what the next one sees).
--
--   wrk -t T -c C -d D -s queue.lua URL -- TOKEN PATH
--
-- PATH is the page's path and query (/v1/review/claims?limit=50, or with after= for a later
-- page).  A reply that is not 200 counts as a non-2xx response in wrk's summary; run.sh stops on
-- one.

local token, path

function init(args)
   token, path = args[1], args[2]
   if not token or not path then
      error("queue.lua needs TOKEN and PATH after --")
   end
end

function request()
   return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
