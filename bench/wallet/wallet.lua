-- wrk script of bench/wallet.sh: POSTs one GraphQL operation per request to
-- /graphql, as the users whose access tokens are in $BENCH_TOKENS (one a
-- line), taking them in turn request after request.
--   BENCH_OP=spend   spendGems of 1 gem with an idempotency key of its own
--                    ("<BENCH_NONCE>-<thread>-<n>": unique across runs when
--                    the caller gives each run its own nonce)
--   BENCH_OP=wallet  { wallet { balance } }
-- Bodies that carry "errors" (GraphQL answers 200 with them) are counted and
-- reported in done(): wrk itself only counts non-2xx statuses.
local op = os.getenv("BENCH_OP") or "spend"
local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  local path = os.getenv("BENCH_TOKENS") or error("BENCH_TOKENS is not set")
  for line in io.lines(path) do
    if #line > 0 then table.insert(tokens, "Bearer " .. line) end
  end
  if #tokens == 0 then error(path .. " holds no token") end
  n = 0
  errors = 0
  first_error = ""
end

local SPEND = '{"query":"mutation($i: SpendGemsInput!) { spendGems(input: $i) '
  .. '{ transaction { sequence } wallet { balance } } }",'
  .. '"variables":{"i":{"amount":1,"reason":"bench","idempotencyKey":"%s-%d-%d"}}}'
local WALLET = '{"query":"{ wallet { balance } }"}'

function request()
  n = n + 1
  local body = WALLET
  if op == "spend" then body = string.format(SPEND, nonce, id, n) end
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = tokens[(n % #tokens) + 1],
  }, body)
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
    if first_error == "" then first_error = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local e, first = 0, ""
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    if first == "" then first = t:get("first_error") end
  end
  io.write(string.format("GraphQL errors: %d\n", e))
  if e > 0 then io.write("first error: " .. first .. "\n") end
end
