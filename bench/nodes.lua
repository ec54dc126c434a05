-- bench/nodes.lua - wrk script for bench/nodes.sh: every thread requests the
-- paths listed in a file (one per line, e.g. /2025/08/slug/) in turn, each
-- thread from its own starting point, and with NODES="PORT PORT ..." in the
-- environment thread k connects to 127.0.0.1 on the k-th port (round robin),
-- so `wrk -t2` puts half of the connections on each of two nodes (the Host
-- header stays the URL's; the site's base_url is fixed). Ends with the same
-- BENCH summary line as report.lua.
--
--   NODES="8001 8002" wrk -t2 -cN -dD -s bench/nodes.lua http://127.0.0.1:8001/ -- PATHS-FILE

local ports, threads = {}, 0
for p in (os.getenv("NODES") or ""):gmatch("%d+") do
  ports[#ports + 1] = p
end

setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
  if #ports > 0 then
    local port = ports[(threads - 1) % #ports + 1]
    thread.addr = wrk.lookup("127.0.0.1", port)[1]
  end
end

local paths, n, i = {}, 0, 0

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
  -- threads start at different articles (tid is set by setup)
  i = (((tid or 1) - 1) * 7919) % n
end

request = function()
  i = i % n + 1
  return wrk.format("GET", paths[i])
end

-- done(): the BENCH summary line, from report.lua beside this script
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
