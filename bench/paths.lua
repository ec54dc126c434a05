-- bench/paths.lua - wrk script for bench/run.sh's memory runs: requests the
-- paths listed in a file (one per line, e.g. /2025/08/slug/) in turn, and,
-- when given a count, stops once that many responses came back (one pass
-- over 10,000 pages fills the cache with exactly those pages). Ends with the
-- same BENCH summary line as report.lua.
--
--   wrk -t1 -cN -d1h -s bench/paths.lua URL -- PATHS-FILE [MAX-RESPONSES]
-- Use one thread (-t1): the count is per thread.

local paths, n, i, max, got = {}, 0, 0, 0, 0

init = function(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if line ~= "" then
      n = n + 1
      paths[n] = line
    end
  end
  f:close()
  assert(n > 0, "no paths in " .. args[1])
  max = tonumber(args[2] or "0") or 0
end

request = function()
  i = i % n + 1
  return wrk.format("GET", paths[i])
end

response = function(status, headers, body)
  got = got + 1
  if max > 0 and got >= max then
    wrk.thread:stop()
  end
end

-- done(): the BENCH summary line, from report.lua beside this script
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
