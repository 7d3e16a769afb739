-- POST a unique comment per request (unique across runs too: an identical comment from one address within a
-- day is recorded once by design); count the 302 receipts (the only success) per thread.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  target = args[2]
  csrf = args[3]
  run = args[4]
  receipts = 0
  refused = 0
end

request = function()
  counter = counter + 1
  local body = "csrfmiddlewaretoken=" .. csrf ..
    "&page=" .. target .. "&part=whole&item=" ..
    "&body=bench+comment+" .. run .. "-" .. id .. "-" .. counter ..
    "&publication=anonymous&consent=on&website=&form_token=" .. token
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. csrf,
  }, body)
end

response = function(status, headers, body)
  if status == 302 then receipts = receipts + 1 else refused = refused + 1 end
end

done = function(summary, latency, requests)
  local total, bad = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("receipts")
    bad = bad + thread:get("refused")
  end
  io.write(string.format("RECEIPTS %d REFUSED %d\n", total, bad))
end
