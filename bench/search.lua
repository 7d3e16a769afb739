-- Cycle through the search queries given as arguments (already URL-encoded), one per request.
local queries = {}
local i = 0

function init(args)
  for _, q in ipairs(args) do table.insert(queries, q) end
end

request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/ja/search/?q=" .. queries[i])
end
