/* Lua shared by Facet's queue functions, as C string literals that
 * scripts.c joins into one Valkey function library at start-up. Every
 * function receives ARGV[1] = key prefix and ARGV[2] = now in ms; K names the
 * queue's keys, built from the prefix. Strings in the Lua use single quotes
 * so that the C literals stay readable. */
#ifndef FACET_QUEUE_LUA_LIB_H
#define FACET_QUEUE_LUA_LIB_H

/* Per-call state, keys, time, events, markers, delayed scores and job
 * storage. The state is set by begin() (see scripts.c) at the start of every
 * call: Valkey runs one function at a time. */
#define QUEUE_LUA_LIB                                                                         \
    "local rcall, ARGV, K, prefix, now\n"                                                     \
    "-- Integers as decimal text: Lua's own number-to-string keeps only 14 digits.\n"         \
    "local function int(x)\n"                                                                 \
    "  return string.format('%d', x)\n"                                                       \
    "end\n"                                                                                   \
    "-- The queue's meta fields, read once per script run: paused, global\n"                  \
    "-- concurrency, rate limit max and duration, and the events stream bound.\n"             \
    "local metaCache\n"                                                                       \
    "local function meta()\n"                                                                 \
    "  if not metaCache then\n"                                                               \
    "    metaCache = rcall('HMGET', K.meta, 'paused', 'concurrency', 'max', 'duration',\n"    \
    "      'opts.maxLenEvents')\n"                                                            \
    "  end\n"                                                                                 \
    "  return metaCache\n"                                                                    \
    "end\n"                                                                                   \
    "local function maxEvents()\n"                                                            \
    "  local m = meta()\n"                                                                    \
    "  if not m[5] then\n"                                                                    \
    "    m[5] = 10000\n"                                                                      \
    "    rcall('HSET', K.meta, 'opts.maxLenEvents', m[5])\n"                                  \
    "  end\n"                                                                                 \
    "  return m[5]\n"                                                                         \
    "end\n"                                                                                   \
    "local function emit(maxEv, ...)\n"                                                       \
    "  rcall('XADD', K.events, 'MAXLEN', '~', maxEv, '*', 'event', ...)\n"                    \
    "end\n"                                                                                   \
    "local function decodeTable(text)\n"                                                      \
    "  if not text then return {} end\n"                                                      \
    "  local ok, v = pcall(cjson.decode, text)\n"                                             \
    "  if ok and type(v) == 'table' then return v end\n"                                      \
    "  return {}\n"                                                                           \
    "end\n"                                                                                   \
    "-- True when the queue is paused or at its global concurrency: no marker then.\n"        \
    "local function blocked()\n"                                                              \
    "  local a = meta()\n"                                                                    \
    "  if a[1] then return true end\n"                                                        \
    "  if a[2] then return rcall('LLEN', K.active) >= tonumber(a[2]) end\n"                   \
    "  return false\n"                                                                        \
    "end\n"                                                                                   \
    "local function pushReady(id, priority, lifo, isBlocked)\n"                               \
    "  if priority > 0 then\n"                                                                \
    "    local seq = rcall('INCR', K.pc) % 0x100000000\n"                                     \
    "    rcall('ZADD', K.prioritized, priority * 0x100000000 + seq, id)\n"                    \
    "  elseif lifo then\n"                                                                    \
    "    rcall('RPUSH', K.wait, id)\n"                                                        \
    "  else\n"                                                                                \
    "    rcall('LPUSH', K.wait, id)\n"                                                        \
    "  end\n"                                                                                 \
    "  if not isBlocked then rcall('ZADD', K.marker, 0, '0') end\n"                           \
    "end\n"                                                                                   \
    "-- Delayed scores carry the due time in ms times 4096 plus an order number,\n"           \
    "-- so jobs due in the same millisecond keep their insertion order.\n"                    \
    "local function delayedScore(at)\n"                                                       \
    "  local lo = at * 0x1000\n"                                                              \
    "  local hi = (at + 1) * 0x1000 - 1\n"                                                    \
    "  local r = rcall('ZREVRANGEBYSCORE', K.delayed, hi, lo, 'WITHSCORES', 'LIMIT', 0, 1)\n" \
    "  if r[2] then\n"                                                                        \
    "    local s = tonumber(r[2])\n"                                                          \
    "    if s >= hi then return hi end\n"                                                     \
    "    return s + 1\n"                                                                      \
    "  end\n"                                                                                 \
    "  return lo\n"                                                                           \
    "end\n"                                                                                   \
    "local function nextDelayed()\n"                                                          \
    "  local r = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')\n"                            \
    "  if r[2] then return math.floor(tonumber(r[2]) / 0x1000) end\n"                         \
    "  return nil\n"                                                                          \
    "end\n"                                                                                   \
    "local function delayMarker()\n"                                                          \
    "  local t = nextDelayed()\n"                                                             \
    "  if t then rcall('ZADD', K.marker, t, '1') end\n"                                       \
    "end\n"                                                                                   \
    "local function addDelayed(id, at, maxEv)\n"                                              \
    "  rcall('ZADD', K.delayed, delayedScore(at), id)\n"                                      \
    "  emit(maxEv, 'delayed', 'jobId', id, 'delay', at)\n"                                    \
    "  delayMarker()\n"                                                                       \
    "end\n"                                                                                   \
    "local function removeJobKeys(jobKey)\n"                                                  \
    "  rcall('DEL', jobKey, jobKey .. ':logs', jobKey .. ':dependencies',\n"                  \
    "    jobKey .. ':processed', jobKey .. ':failed', jobKey .. ':unsuccessful',\n"           \
    "    jobKey .. ':lock')\n"                                                                \
    "end\n"                                                                                   \
    "local function zremAll(set, ids)\n"                                                      \
    "  for i = 1, #ids, 5000 do\n"                                                            \
    "    rcall('ZREM', set, unpack(ids, i, math.min(i + 4999, #ids)))\n"                      \
    "  end\n"                                                                                 \
    "end\n"                                                                                   \
    "-- Stores a job hash and queues it; the caller has checked the id is free.\n"            \
    "local function storeJob(id, name, data, optsText, delay, priority, lifo, rjk, maxEv)\n"  \
    "  local jobKey = prefix .. id\n"                                                         \
    "  rcall('HSET', jobKey, 'name', name, 'data', data, 'opts', optsText,\n"                 \
    "    'timestamp', now, 'delay', delay, 'priority', priority)\n"                           \
    "  if rjk then rcall('HSET', jobKey, 'rjk', rjk) end\n"                                   \
    "  emit(maxEv, 'added', 'jobId', id, 'name', name)\n"                                     \
    "  if delay > 0 then\n"                                                                   \
    "    addDelayed(id, now + delay, maxEv)\n"                                                \
    "  else\n"                                                                                \
    "    pushReady(id, priority, lifo, blocked())\n"                                          \
    "    emit(maxEv, 'waiting', 'jobId', id)\n"                                               \
    "  end\n"                                                                                 \
    "end\n"

/* Delayed promotion, rate limit and moving jobs to active. */
#define QUEUE_LUA_FETCH                                                                       \
    "-- Moves delayed jobs that are due to wait (or prioritized).\n"                          \
    "local function promoteDelayed(isBlocked)\n"                                              \
    "  local due = (now + 1) * 0x1000 - 1\n"                                                  \
    "  local ids = rcall('ZRANGEBYSCORE', K.delayed, 0, due, 'LIMIT', 0, 1000)\n"             \
    "  if #ids == 0 then return end\n"                                                        \
    "  zremAll(K.delayed, ids)\n"                                                             \
    "  local maxEv = maxEvents()\n"                                                           \
    "  for _, id in ipairs(ids) do\n"                                                         \
    "    local jobKey = prefix .. id\n"                                                       \
    "    local priority = tonumber(rcall('HGET', jobKey, 'priority')) or 0\n"                 \
    "    pushReady(id, priority, false, true)\n"                                              \
    "    emit(maxEv, 'waiting', 'jobId', id, 'prev', 'delayed')\n"                            \
    "    rcall('HSET', jobKey, 'delay', 0)\n"                                                 \
    "  end\n"                                                                                 \
    "  if not isBlocked then rcall('ZADD', K.marker, 0, '0') end\n"                           \
    "end\n"                                                                                   \
    "local function rateLimitTTL(maxJobs)\n"                                                  \
    "  if maxJobs <= (tonumber(rcall('GET', K.limiter)) or 0) then\n"                         \
    "    local pttl = rcall('PTTL', K.limiter)\n"                                             \
    "    if pttl == 0 then rcall('DEL', K.limiter) end\n"                                     \
    "    if pttl > 0 then return pttl end\n"                                                  \
    "  end\n"                                                                                 \
    "  return 0\n"                                                                            \
    "end\n"                                                                                   \
    "-- Locks a job that just entered active and returns what the worker needs:\n"            \
    "-- id, name, data, attempts made, deferred failure, scheduler id, for a\n"               \
    "-- scheduler job its cron pattern, time zone and current iteration time,\n"              \
    "-- and the lock token.\n"                                                                \
    "local function prepareJob(id, token, lockMs, wname, limitMs, maxEv)\n"                   \
    "  local jobKey = prefix .. id\n"                                                         \
    "  if limitMs and rcall('HEXISTS', jobKey, 'defa') == 0 then\n"                           \
    "    if rcall('INCR', K.limiter) == 1 then rcall('PEXPIRE', K.limiter, limitMs) end\n"    \
    "  end\n"                                                                                 \
    "  rcall('SET', jobKey .. ':lock', token, 'PX', lockMs)\n"                                \
    "  local f = rcall('HMGET', jobKey, 'name', 'data', 'atm', 'defa', 'rjk', 'ats')\n"       \
    "  local ats = (tonumber(f[6]) or 0) + 1\n"                                               \
    "  if wname ~= '' then\n"                                                                 \
    "    rcall('HSET', jobKey, 'processedOn', now, 'ats', ats, 'pb', wname)\n"                \
    "  else\n"                                                                                \
    "    rcall('HSET', jobKey, 'processedOn', now, 'ats', ats)\n"                             \
    "  end\n"                                                                                 \
    "  rcall('XADD', K.events, 'MAXLEN', '~', maxEv, '*', 'event', 'active', 'jobId', id,\n"  \
    "    'prev', 'waiting')\n"                                                                \
    "  local job = {id, f[1] or '', f[2] or '{}', f[3] or '0', f[4] or '', f[5] or '',\n"     \
    "    '', '', '', token}\n"                                                                \
    "  if f[5] then\n"                                                                        \
    "    local s = rcall('HMGET', K.rep .. ':' .. f[5], 'pattern', 'tz')\n"                   \
    "    job[7] = s[1] or ''\n"                                                               \
    "    job[8] = s[2] or ''\n"                                                               \
    "    job[9] = rcall('ZSCORE', K.rep, f[5]) or ''\n"                                       \
    "  end\n"                                                                                 \
    "  return job\n"                                                                          \
    "end\n"                                                                                   \
    "-- Moves up to n jobs to active. Returns the jobs, the rate-limit wait in ms\n"          \
    "-- and, when nothing is ready, the due time of the next delayed job (or 0).\n"           \
    "local function fetchJobs(n, tokBase, tokSeq, lockMs, wname, lmax, ldur)\n"               \
    "  local m = meta()\n"                                                                    \
    "  local conc = tonumber(m[2])\n"                                                         \
    "  local isBlocked = m[1] and true or false\n"                                            \
    "  if conc and not isBlocked then isBlocked = rcall('LLEN', K.active) >= conc end\n"      \
    "  promoteDelayed(isBlocked)\n"                                                           \
    "  local maxJobs = tonumber(m[3]) or tonumber(lmax)\n"                                    \
    "  if maxJobs then\n"                                                                     \
    "    local ttl = rateLimitTTL(maxJobs)\n"                                                 \
    "    if ttl > 0 then return {}, ttl, 0 end\n"                                             \
    "  end\n"                                                                                 \
    "  if isBlocked or n <= 0 then return {}, 0, 0 end\n"                                     \
    "  local limitMs = nil\n"                                                                 \
    "  if maxJobs then\n"                                                                     \
    "    limitMs = math.floor(math.abs(tonumber(ldur) or tonumber(m[4]) or 1000))\n"          \
    "  end\n"                                                                                 \
    "  local jobs = {}\n"                                                                     \
    "  local maxEv = maxEvents()\n"                                                           \
    "  for i = 1, n do\n"                                                                     \
    "    if conc and rcall('LLEN', K.active) >= conc then break end\n"                        \
    "    if maxJobs and i > 1 and (tonumber(rcall('GET', K.limiter)) or 0) >= maxJobs then\n" \
    "      break\n"                                                                           \
    "    end\n"                                                                               \
    "    local id = rcall('RPOPLPUSH', K.wait, K.active)\n"                                   \
    "    if id and string.sub(id, 1, 2) == '0:' then\n"                                       \
    "      rcall('LREM', K.active, 1, id)\n"                                                  \
    "      id = rcall('RPOPLPUSH', K.wait, K.active)\n"                                       \
    "    end\n"                                                                               \
    "    if not id then\n"                                                                    \
    "      local p = rcall('ZPOPMIN', K.prioritized)\n"                                       \
    "      if p[1] then\n"                                                                    \
    "        id = p[1]\n"                                                                     \
    "        rcall('LPUSH', K.active, id)\n"                                                  \
    "      else\n"                                                                            \
    "        rcall('DEL', K.pc)\n"                                                            \
    "      end\n"                                                                             \
    "    end\n"                                                                               \
    "    if not id then break end\n"                                                          \
    "    local token = tokBase .. int(tokSeq + i - 1)\n"                                      \
    "    jobs[#jobs + 1] = prepareJob(id, token, lockMs, wname, limitMs, maxEv)\n"            \
    "  end\n"                                                                                 \
    "  if #jobs > 0 then\n"                                                                   \
    "    -- Wake other idle workers: more jobs may be ready (BullMQ does the same).\n"        \
    "    rcall('ZADD', K.marker, 0, '0')\n"                                                   \
    "    return jobs, 0, 0\n"                                                                 \
    "  end\n"                                                                                 \
    "  return jobs, 0, nextDelayed() or 0\n"                                                  \
    "end\n"

/* Backoff, stack traces and removeOnComplete / removeOnFail. */
#define QUEUE_LUA_FINISH                                                                       \
    "local function backoffDelay(b, made)\n"                                                   \
    "  if type(b) == 'number' then b = {type = 'fixed', delay = b} end\n"                      \
    "  if type(b) ~= 'table' then return 0 end\n"                                              \
    "  local delay = tonumber(b['delay']) or 0\n"                                              \
    "  local jitter = tonumber(b['jitter']) or 0\n"                                            \
    "  local d\n"                                                                              \
    "  if b['type'] == 'fixed' then\n"                                                         \
    "    d = delay\n"                                                                          \
    "  elseif b['type'] == 'exponential' then\n"                                               \
    "    d = math.floor(2 ^ (made - 1) * delay + 0.5)\n"                                       \
    "  else\n"                                                                                 \
    "    return 0\n"                                                                           \
    "  end\n"                                                                                  \
    "  if jitter > 0 then d = math.floor(math.random() * d * jitter + d * (1 - jitter)) end\n" \
    "  return d\n"                                                                             \
    "end\n"                                                                                    \
    "local function appendStack(raw, entry, limit)\n"                                          \
    "  local st = decodeTable(raw)\n"                                                          \
    "  if entry ~= '' then st[#st + 1] = entry end\n"                                          \
    "  limit = tonumber(limit)\n"                                                              \
    "  if limit and limit >= 0 and #st > limit then\n"                                         \
    "    local kept = {}\n"                                                                    \
    "    for i = #st - limit + 1, #st do kept[#kept + 1] = st[i] end\n"                        \
    "    st = kept\n"                                                                          \
    "  end\n"                                                                                  \
    "  if #st == 0 then return '[]' end\n"                                                     \
    "  return cjson.encode(st)\n"                                                              \
    "end\n"                                                                                    \
    "-- removeOnComplete / removeOnFail: true, false, a count or {count, age, limit}.\n"       \
    "local function keepOf(v, default)\n"                                                      \
    "  if v == true then return {count = 0} end\n"                                             \
    "  if v == false then return {count = -1} end\n"                                           \
    "  if type(v) == 'number' then return {count = v} end\n"                                   \
    "  if type(v) == 'table' then return v end\n"                                              \
    "  if default ~= '' then return keepOf(decodeTable('[' .. default .. ']')[1], '') end\n"   \
    "  return {count = -1}\n"                                                                  \
    "end\n"                                                                                    \
    "local function applyKeep(keep, set)\n"                                                    \
    "  local count, age = tonumber(keep['count']), tonumber(keep['age'])\n"                    \
    "  if age then\n"                                                                          \
    "    local limit = tonumber(keep['limit']) or 1000\n"                                      \
    "    local cut = now - age * 1000\n"                                                       \
    "    local ids = rcall('ZREVRANGEBYSCORE', set, cut, '-inf', 'LIMIT', 0, limit)\n"         \
    "    for _, id in ipairs(ids) do removeJobKeys(prefix .. id) end\n"                        \
    "    zremAll(set, ids)\n"                                                                  \
    "  end\n"                                                                                  \
    "  if count and count > 0 then\n"                                                          \
    "    local ids = rcall('ZREVRANGE', set, count, -1)\n"                                     \
    "    for _, id in ipairs(ids) do removeJobKeys(prefix .. id) end\n"                        \
    "    rcall('ZREMRANGEBYRANK', set, 0, -(count + 1))\n"                                     \
    "  end\n"                                                                                  \
    "end\n"

/* Job schedulers: every-alignment, iterations, loading, removal. */
#define QUEUE_LUA_SCHED                                                                    \
    "-- The next run of an 'every' scheduler, aligned on multiples of every plus\n"        \
    "-- offset as BullMQ does. Returns the time and the offset to store.\n"                \
    "local function everyNext(prev, every, offset, startDate)\n"                           \
    "  local t\n"                                                                          \
    "  if not prev then\n"                                                                 \
    "    if startDate then\n"                                                              \
    "      t = math.max(startDate, now)\n"                                                 \
    "    elseif offset and offset > 0 then\n"                                              \
    "      t = math.floor(now / every) * every + offset\n"                                 \
    "      if t <= now then t = t + every end\n"                                           \
    "    else\n"                                                                           \
    "      t = now\n"                                                                      \
    "    end\n"                                                                            \
    "  else\n"                                                                             \
    "    t = prev + every\n"                                                               \
    "    if t < now then\n"                                                                \
    "      local aligned = math.floor(now / every) * every + (offset or 0)\n"              \
    "      if aligned <= now then t = aligned + every else t = aligned end\n"              \
    "    end\n"                                                                            \
    "  end\n"                                                                              \
    "  if not offset or offset == 0 then offset = t - math.floor(t / every) * every end\n" \
    "  return math.floor(t), math.floor(offset)\n"                                         \
    "end\n"                                                                                \
    "-- Creates the job of one scheduler iteration, id 'repeat:<sid>:<millis>'.\n"         \
    "-- Its opts carry 'repeat' and 'prevMillis' so that a BullMQ worker can also\n"       \
    "-- schedule the following iteration.\n"                                               \
    "local function addIteration(sid, s, at, maxEv)\n"                                     \
    "  local id = 'repeat:' .. sid .. ':' .. int(at)\n"                                    \
    "  local opts = decodeTable(s.opts)\n"                                                 \
    "  local rep = {count = tonumber(s.ic)}\n"                                             \
    "  for _, k in ipairs({'every', 'limit', 'startDate', 'endDate', 'offset'}) do\n"      \
    "    if s[k] then rep[k] = tonumber(s[k]) end\n"                                       \
    "  end\n"                                                                              \
    "  rep['pattern'] = s.pattern\n"                                                       \
    "  rep['tz'] = s.tz\n"                                                                 \
    "  opts['repeat'] = rep\n"                                                             \
    "  local delay = math.max(at - now, 0)\n"                                              \
    "  opts['delay'] = delay\n"                                                            \
    "  opts['jobId'] = id\n"                                                               \
    "  opts['prevMillis'] = at\n"                                                          \
    "  opts['timestamp'] = now\n"                                                          \
    "  if opts['attempts'] == nil then opts['attempts'] = 0 end\n"                         \
    "  storeJob(id, s.name, s.data or '{}', cjson.encode(opts), delay,\n"                  \
    "    tonumber(opts['priority']) or 0, opts['lifo'] == true, sid, maxEv)\n"             \
    "  return id, delay\n"                                                                 \
    "end\n"                                                                                \
    "local schedFields = {'name', 'data', 'opts', 'pattern', 'every', 'tz', 'limit',\n"    \
    "  'startDate', 'endDate', 'offset', 'ic'}\n"                                          \
    "local function loadScheduler(skey)\n"                                                 \
    "  local v = rcall('HMGET', skey, unpack(schedFields))\n"                              \
    "  local s = {}\n"                                                                     \
    "  for i, k in ipairs(schedFields) do\n"                                               \
    "    if v[i] then s[k] = v[i] end\n"                                                   \
    "  end\n"                                                                              \
    "  return s\n"                                                                         \
    "end\n"                                                                                \
    "-- Drops the scheduler's pending iteration unless a worker already runs it.\n"        \
    "local function dropPending(sid, at)\n"                                                \
    "  local id = 'repeat:' .. sid .. ':' .. int(at)\n"                                    \
    "  local n = rcall('ZREM', K.delayed, id) + rcall('ZREM', K.prioritized, id) +\n"      \
    "    rcall('LREM', K.wait, 0, id)\n"                                                   \
    "  if n > 0 then removeJobKeys(prefix .. id) end\n"                                    \
    "  return n > 0\n"                                                                     \
    "end\n"

#endif
