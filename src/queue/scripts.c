/* The queue's Lua, as one Valkey function library (see scripts.h): the
 * shared code of lua_lib.h, begin(), and a function per script whose body is
 * one of the texts below. The library is assembled once, named after its own
 * digest. */
#include "queue/scripts.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "queue/lua_lib.h"
#include "queue/sha1.h"

/* The shared code, then begin(), which every function calls first: it sets
 * the per-call state and the queue's key names, built once per prefix (the
 * library's locals live as long as the library). */
static const char lua_lib[] = QUEUE_LUA_LIB QUEUE_LUA_FETCH QUEUE_LUA_FINISH QUEUE_LUA_SCHED
    "local keyNames = {wait = 'wait', active = 'active', prioritized = 'prioritized',\n"
    "  delayed = 'delayed', completed = 'completed', failed = 'failed', stalled = 'stalled',\n"
    "  stalledCheck = 'stalled-check', id = 'id', meta = 'meta', events = 'events',\n"
    "  marker = 'marker', pc = 'pc', limiter = 'limiter', rep = 'repeat', paused = 'paused'}\n"
    "local keyCache = {}\n"
    "local function begin(args)\n"
    "  rcall = redis.call\n"
    "  ARGV = args\n"
    "  prefix = args[1]\n"
    "  now = tonumber(args[2])\n"
    "  metaCache = nil\n"
    "  K = keyCache[prefix]\n"
    "  if not K then\n"
    "    K = {}\n"
    "    for name, suffix in pairs(keyNames) do K[name] = prefix .. suffix end\n"
    "    keyCache[prefix] = K\n"
    "  end\n"
    "end\n";

static const char lua_add[] =
    "-- Adds a job. ARGV: 3 custom id ('' for the next number), 4 name, 5 data,\n"
    "-- 6 opts JSON, 7 delay ms, 8 priority, 9 lifo ('1'). Returns the job id.\n"
    "local counter = rcall('INCR', K.id)\n"
    "local maxEv = maxEvents()\n"
    "local id = ARGV[3]\n"
    "if id == '' then\n"
    "  id = int(counter)\n"
    "elseif rcall('EXISTS', prefix .. id) == 1 then\n"
    "  emit(maxEv, 'duplicated', 'jobId', id)\n"
    "  return id\n"
    "end\n"
    "local delay, priority = tonumber(ARGV[7]) or 0, tonumber(ARGV[8]) or 0\n"
    "storeJob(id, ARGV[4], ARGV[5], ARGV[6], delay, priority, ARGV[9] == '1', nil, maxEv)\n"
    "return id\n";

static const char lua_fetch[] =
    "-- Moves up to n ready jobs to active and locks them. ARGV: 3 n, 4 lock\n"
    "-- token prefix, 5 first token number, 6 lock ms, 7 worker name, 8 limiter\n"
    "-- max, 9 limiter duration. Returns {0, jobs, rate-limit ms, next delayed}.\n"
    "local jobs, ttl, nextTs = fetchJobs(tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5]),\n"
    "  ARGV[6], ARGV[7], ARGV[8], ARGV[9])\n"
    "return {0, jobs, ttl, nextTs}\n";

static const char lua_finish[] =
    "-- Finishes a batch of active jobs: completes or fails each, retrying a\n"
    "-- failure with backoff while attempts remain, then moves up to n more jobs\n"
    "-- to active. ARGV: 3 n, 4..9 as fetch's 4..9, 10 and 11 the worker's\n"
    "-- default removeOnComplete and removeOnFail JSON, then six per job: id, lock\n"
    "-- token, 'completed' or 'failed', return value JSON or failure reason, stack\n"
    "-- trace entry, '1' when unrecoverable. Returns {codes, jobs, rate-limit ms,\n"
    "-- next delayed}, a code per job: 0 finished, 1 retried, -1 missing job, -3\n"
    "-- not active, -6 lock owned by another worker. A lock that expired while\n"
    "-- the job is still in active is accepted: nobody else can hold it then.\n"
    "local maxEv = maxEvents()\n"
    "local function finishOne(id, token, outcome, value, stack, unrecoverable)\n"
    "  local jobKey = prefix .. id\n"
    "  local f = rcall('HMGET', jobKey, 'opts', 'atm', 'stacktrace', 'priority', 'name')\n"
    "  if not f[1] and not f[5] then return -1 end\n"
    "  local lockKey = jobKey .. ':lock'\n"
    "  local lock = rcall('GET', lockKey)\n"
    "  if lock and lock ~= token then return -6 end\n"
    "  if rcall('LREM', K.active, -1, id) == 0 then return -3 end\n"
    "  rcall('SREM', K.stalled, id)\n"
    "  local opts = decodeTable(f[1])\n"
    "  local completed = outcome == 'completed'\n"
    "  local atm = (tonumber(f[2]) or 0) + 1\n"
    "  if not completed then\n"
    "    rcall('HSET', jobKey, 'failedReason', value, 'stacktrace',\n"
    "      appendStack(f[3], stack, opts['stackTraceLimit']))\n"
    "    if unrecoverable ~= '1' and atm < (tonumber(opts['attempts']) or 0) then\n"
    "      if lock then rcall('DEL', lockKey) end\n"
    "      local delay = backoffDelay(opts['backoff'], atm)\n"
    "      rcall('HSET', jobKey, 'atm', atm)\n"
    "      if delay > 0 then\n"
    "        rcall('HSET', jobKey, 'delay', delay)\n"
    "        addDelayed(id, now + delay, maxEv)\n"
    "      else\n"
    "        pushReady(id, tonumber(f[4]) or 0, opts['lifo'] == true, blocked())\n"
    "        emit(maxEv, 'waiting', 'jobId', id, 'prev', 'active')\n"
    "      end\n"
    "      return 1\n"
    "    end\n"
    "    rcall('HDEL', jobKey, 'defa')\n"
    "  end\n"
    "  local default = completed and ARGV[10] or ARGV[11]\n"
    "  local keep = keepOf(opts[completed and 'removeOnComplete' or 'removeOnFail'], default)\n"
    "  local set = completed and K.completed or K.failed\n"
    "  local field = completed and 'returnvalue' or 'failedReason'\n"
    "  if tonumber(keep['count']) ~= 0 then\n"
    "    if lock then rcall('DEL', lockKey) end\n"
    "    rcall('ZADD', set, now, id)\n"
    "    rcall('HSET', jobKey, field, value, 'finishedOn', now, 'atm', atm)\n"
    "    applyKeep(keep, set)\n"
    "  else\n"
    "    removeJobKeys(jobKey) -- the lock goes with the job's keys\n"
    "  end\n"
    "  emit(maxEv, outcome, 'jobId', id, field, value, 'prev', 'active')\n"
    "  if not completed and atm >= (tonumber(opts['attempts']) or 0) then\n"
    "    emit(maxEv, 'retries-exhausted', 'jobId', id, 'attemptsMade', atm)\n"
    "  end\n"
    "  return 0\n"
    "end\n"
    "local codes = {}\n"
    "for i = 12, #ARGV - 5, 6 do\n"
    "  codes[#codes + 1] = finishOne(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4],\n"
    "    ARGV[i + 5])\n"
    "end\n"
    "local n = tonumber(ARGV[3]) or 0\n"
    "local jobs, ttl, nextTs = fetchJobs(n, ARGV[4], tonumber(ARGV[5]), ARGV[6], ARGV[7],\n"
    "  ARGV[8], ARGV[9])\n"
    "if #jobs == 0 and ttl == 0 and (n == 0 or nextTs == 0) and rcall('LLEN', K.wait) == 0 and\n"
    "    rcall('LLEN', K.active) == 0 and rcall('ZCARD', K.prioritized) == 0 then\n"
    "  rcall('XADD', K.events, 'MAXLEN', '~', maxEv, '*', 'event', 'drained')\n"
    "end\n"
    "return {codes, jobs, ttl, nextTs}\n";

static const char lua_extend[] =
    "-- Renews the locks of a worker's active jobs. ARGV: 3 lock ms, then pairs of\n"
    "-- job id and token. A lock that expired is taken again when the job is still\n"
    "-- in active (the stalled check has not moved it). Returns the ids whose lock\n"
    "-- belongs to someone else or whose job left active.\n"
    "local failed = {}\n"
    "for i = 4, #ARGV - 1, 2 do\n"
    "  local id, token = ARGV[i], ARGV[i + 1]\n"
    "  local lockKey = prefix .. id .. ':lock'\n"
    "  local cur = rcall('GET', lockKey)\n"
    "  if cur == token or (not cur and rcall('LPOS', K.active, id)) then\n"
    "    rcall('SET', lockKey, token, 'PX', ARGV[3])\n"
    "    rcall('SREM', K.stalled, id)\n"
    "  else\n"
    "    failed[#failed + 1] = id\n"
    "  end\n"
    "end\n"
    "return failed\n";

static const char lua_stalled[] =
    "-- Stalled-job check, run by every worker; the stalled-check key makes it run\n"
    "-- once per interval per queue. Jobs marked on the previous run whose lock is\n"
    "-- gone go back to wait (with a deferred failure once stalled more than\n"
    "-- ARGV[3] times); then every active job is marked for the next run.\n"
    "-- ARGV: 3 max stalled count, 4 interval ms. Returns the recovered ids.\n"
    "if rcall('EXISTS', K.stalledCheck) == 1 then return {} end\n"
    "rcall('SET', K.stalledCheck, now, 'PX', ARGV[4])\n"
    "local maxEv = maxEvents()\n"
    "rcall('XTRIM', K.events, 'MAXLEN', '~', maxEv)\n"
    "local maxStalled = tonumber(ARGV[3]) or 1\n"
    "local moved = {}\n"
    "local stalling = rcall('SMEMBERS', K.stalled)\n"
    "if #stalling > 0 then\n"
    "  rcall('DEL', K.stalled)\n"
    "  for _, id in ipairs(stalling) do\n"
    "    local jobKey = prefix .. id\n"
    "    if string.sub(id, 1, 2) == '0:' then\n"
    "      rcall('LREM', K.active, 1, id)\n"
    "    elseif rcall('EXISTS', jobKey .. ':lock') == 0 and\n"
    "        rcall('LREM', K.active, 1, id) > 0 then\n"
    "      local stc = rcall('HINCRBY', jobKey, 'stc', 1)\n"
    "      local rjk = rcall('HGET', jobKey, 'rjk')\n"
    "      local repeating = rjk and rcall('EXISTS', K.rep .. ':' .. rjk) == 1\n"
    "      if stc > maxStalled and not repeating then\n"
    "        rcall('HSET', jobKey, 'defa', 'job stalled more than allowable limit')\n"
    "      end\n"
    "      rcall('RPUSH', K.wait, id)\n"
    "      if not blocked() then rcall('ZADD', K.marker, 0, '0') end\n"
    "      rcall('XADD', K.events, '*', 'event', 'waiting', 'jobId', id, 'prev', 'active')\n"
    "      rcall('XADD', K.events, '*', 'event', 'stalled', 'jobId', id)\n"
    "      moved[#moved + 1] = id\n"
    "    end\n"
    "  end\n"
    "end\n"
    "local active = rcall('LRANGE', K.active, 0, -1)\n"
    "for i = 1, #active, 5000 do\n"
    "  rcall('SADD', K.stalled, unpack(active, i, math.min(i + 4999, #active)))\n"
    "end\n"
    "return moved\n";

static const char lua_progress[] =
    "-- Records a job's progress. ARGV: 3 job id, 4 progress JSON. Returns 0, or\n"
    "-- -1 when the job no longer exists.\n"
    "local jobKey = prefix .. ARGV[3]\n"
    "if rcall('EXISTS', jobKey) == 0 then return -1 end\n"
    "rcall('HSET', jobKey, 'progress', ARGV[4])\n"
    "emit(maxEvents(), 'progress', 'jobId', ARGV[3], 'data', ARGV[4])\n"
    "return 0\n";

static const char lua_pause[] =
    "-- Pauses ('paused') or resumes ('resumed') the queue for every worker.\n"
    "-- Jobs stay in wait; the meta field stops fetching and the marker is\n"
    "-- dropped so idle workers keep sleeping. ARGV: 3 'paused' or 'resumed'.\n"
    "if ARGV[3] == 'paused' then\n"
    "  rcall('HSET', K.meta, 'paused', 1)\n"
    "  rcall('DEL', K.marker)\n"
    "else\n"
    "  rcall('HDEL', K.meta, 'paused')\n"
    "  -- Jobs left in the paused list by BullMQ before v5 rejoin wait.\n"
    "  for _ = 1, 7000 do\n"
    "    if not rcall('RPOPLPUSH', K.paused, K.wait) then break end\n"
    "  end\n"
    "  if rcall('LLEN', K.wait) + rcall('ZCARD', K.prioritized) > 0 then\n"
    "    rcall('ZADD', K.marker, 0, '0')\n"
    "  else\n"
    "    delayMarker()\n"
    "  end\n"
    "end\n"
    "rcall('XADD', K.events, '*', 'event', ARGV[3])\n"
    "return 0\n";

static const char lua_counts[] =
    "-- Counts jobs per state. ARGV: 3.. state names as key suffixes.\n"
    "local out = {}\n"
    "for i = 3, #ARGV do\n"
    "  local t = ARGV[i]\n"
    "  if t == 'wait' or t == 'paused' or t == 'active' then\n"
    "    out[#out + 1] = rcall('LLEN', prefix .. t)\n"
    "  else\n"
    "    out[#out + 1] = rcall('ZCARD', prefix .. t)\n"
    "  end\n"
    "end\n"
    "return out\n";

static const char lua_sched_upsert[] =
    "-- Creates or replaces a job scheduler and queues its next iteration.\n"
    "-- ARGV: 3 scheduler id, 4 job name, 5 data JSON, 6 template opts JSON,\n"
    "-- 7 cron pattern, 8 every ms, 9 tz, 10 limit, 11 start ms, 12 end ms (''\n"
    "-- when absent), 13 next run ms computed by the caller for a pattern.\n"
    "-- Returns {job id, delay}, or {-10} when a pattern's slot is taken by a job.\n"
    "local sid = ARGV[3]\n"
    "local skey = K.rep .. ':' .. sid\n"
    "local every = tonumber(ARGV[8])\n"
    "local prev = tonumber(rcall('ZSCORE', K.rep, sid))\n"
    "local old = loadScheduler(skey)\n"
    "local s = {name = ARGV[4], data = ARGV[5], opts = ARGV[6], ic = old.ic or 1}\n"
    "if ARGV[7] ~= '' then s.pattern = ARGV[7] end\n"
    "if ARGV[9] ~= '' then s.tz = ARGV[9] end\n"
    "if ARGV[10] ~= '' then s.limit = ARGV[10] end\n"
    "if ARGV[11] ~= '' then s.startDate = ARGV[11] end\n"
    "if ARGV[12] ~= '' then s.endDate = ARGV[12] end\n"
    "local at\n"
    "local sameEvery = every and prev and tonumber(old.every) == every\n"
    "if every then\n"
    "  s.every = ARGV[8]\n"
    "  local offset\n"
    "  at, offset = everyNext(sameEvery and prev or nil, every, 0, tonumber(s.startDate))\n"
    "  s.offset = int(offset)\n"
    "else\n"
    "  at = tonumber(ARGV[13])\n"
    "end\n"
    "if prev and dropPending(sid, prev) and sameEvery then at = prev end\n"
    "local maxEv = maxEvents()\n"
    "local slot = 0\n"
    "while rcall('EXISTS', prefix .. 'repeat:' .. sid .. ':' .. int(at)) == 1 do\n"
    "  if not every or slot >= 32 then return {-10} end\n"
    "  at = at + every\n"
    "  slot = slot + 1\n"
    "end\n"
    "rcall('DEL', skey)\n"
    "local flat = {}\n"
    "for _, k in ipairs(schedFields) do\n"
    "  if s[k] and not ((k == 'data' or k == 'opts') and s[k] == '{}') then\n"
    "    flat[#flat + 1] = k\n"
    "    flat[#flat + 1] = s[k]\n"
    "  end\n"
    "end\n"
    "rcall('HSET', skey, unpack(flat))\n"
    "rcall('ZADD', K.rep, at, sid)\n"
    "rcall('INCR', K.id)\n"
    "local id, delay = addIteration(sid, s, at, maxEv)\n"
    "return {id, delay}\n";

static const char lua_sched_next[] =
    "-- Queues a scheduler's next iteration when its current one starts. Only\n"
    "-- the current iteration's job (ARGV[5]) may do so, which makes a repeated\n"
    "-- delivery harmless. ARGV: 3 scheduler id, 4 next run ms for a pattern\n"
    "-- ('' for every), 5 id of the job that started. Returns the new job id or ''.\n"
    "local sid = ARGV[3]\n"
    "local prev = rcall('ZSCORE', K.rep, sid)\n"
    "if not prev then return '' end\n"
    "prev = tonumber(prev)\n"
    "if ARGV[5] ~= 'repeat:' .. sid .. ':' .. int(prev) then return '' end\n"
    "local skey = K.rep .. ':' .. sid\n"
    "local s = loadScheduler(skey)\n"
    "local every = tonumber(s.every)\n"
    "local at\n"
    "if every then\n"
    "  at = everyNext(prev, every, tonumber(s.offset) or 0, tonumber(s.startDate))\n"
    "else\n"
    "  at = tonumber(ARGV[4])\n"
    "end\n"
    "if not at or at <= prev then return '' end\n"
    "if s.limit and (tonumber(s.ic) or 0) >= tonumber(s.limit) then return '' end\n"
    "if s.endDate and at > tonumber(s.endDate) then return '' end\n"
    "local maxEv = maxEvents()\n"
    "local nextId = 'repeat:' .. sid .. ':' .. int(at)\n"
    "if rcall('EXISTS', prefix .. nextId) == 1 then\n"
    "  emit(maxEv, 'duplicated', 'jobId', nextId)\n"
    "  return ''\n"
    "end\n"
    "rcall('ZADD', K.rep, at, sid)\n"
    "s.ic = rcall('HINCRBY', skey, 'ic', 1)\n"
    "rcall('INCR', K.id)\n"
    "return (addIteration(sid, s, at, maxEv))\n";

static const char lua_sched_remove[] =
    "-- Removes a job scheduler and its pending iteration. ARGV: 3 scheduler id.\n"
    "-- Returns 1 when it existed.\n"
    "local sid = ARGV[3]\n"
    "local prev = rcall('ZSCORE', K.rep, sid)\n"
    "if prev then dropPending(sid, tonumber(prev)) end\n"
    "rcall('ZREM', K.rep, sid)\n"
    "rcall('DEL', K.rep .. ':' .. sid)\n"
    "if prev then return 1 end\n"
    "return 0\n";

typedef struct script {
    const char *name; /* the function's name after the library's */
    const char *body;
    char function[64];
} script_t;

static script_t scripts[QUEUE__SCRIPT_COUNT] = {
    [QUEUE__ADD] = {"add", lua_add, ""},
    [QUEUE__FETCH] = {"fetch", lua_fetch, ""},
    [QUEUE__FINISH] = {"finish", lua_finish, ""},
    [QUEUE__EXTEND] = {"extend", lua_extend, ""},
    [QUEUE__STALLED] = {"stalled", lua_stalled, ""},
    [QUEUE__PROGRESS] = {"progress", lua_progress, ""},
    [QUEUE__PAUSE] = {"pause", lua_pause, ""},
    [QUEUE__COUNTS] = {"counts", lua_counts, ""},
    [QUEUE__SCHED_UPSERT] = {"sched_upsert", lua_sched_upsert, ""},
    [QUEUE__SCHED_NEXT] = {"sched_next", lua_sched_next, ""},
    [QUEUE__SCHED_REMOVE] = {"sched_remove", lua_sched_remove, ""},
};

#define WRAP_BYTES 160 /* a registration around each body */
static char library[sizeof lua_lib + sizeof lua_add + sizeof lua_fetch + sizeof lua_finish +
                    sizeof lua_extend + sizeof lua_stalled + sizeof lua_progress +
                    sizeof lua_pause + sizeof lua_counts + sizeof lua_sched_upsert +
                    sizeof lua_sched_next + sizeof lua_sched_remove +
                    WRAP_BYTES * (QUEUE__SCRIPT_COUNT + 1)];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* "#!lua name=facetq_<digest>", the shared code and a registration per
 * function. The digest (16 hex digits of the SHA-1 of everything after the
 * first line, taken with zeros in place of the digests) changes with any
 * change of the Lua, so instances of different versions sharing a Valkey
 * each call their own functions. */
static void assemble(void)
{
    static const char zeros[] = "0000000000000000";
    const size_t dlen = sizeof zeros - 1, cap = sizeof library;
    size_t at[QUEUE__SCRIPT_COUNT];
    size_t n = (size_t)snprintf(library, cap, "#!lua name=facetq_%s\n", zeros);
    size_t body = n;
    n += (size_t)snprintf(library + n, cap - n, "%s", lua_lib);
    for (int i = 0; i < QUEUE__SCRIPT_COUNT; i++) {
        at[i] = n + strlen("redis.register_function('facetq_");
        n += (size_t)snprintf(library + n, cap - n,
                              "redis.register_function('facetq_%s_%s', function(_, args)\n"
                              "begin(args)\n%send)\n",
                              zeros, scripts[i].name, scripts[i].body);
    }
    char hex[41];
    queue__sha1_hex(library + body, n - body, hex);
    memcpy(library + strlen("#!lua name=facetq_"), hex, dlen);
    for (int i = 0; i < QUEUE__SCRIPT_COUNT; i++) {
        memcpy(library + at[i], hex, dlen);
        snprintf(scripts[i].function, sizeof scripts[i].function, "facetq_%.16s_%s", hex,
                 scripts[i].name);
    }
}

void queue__scripts_init(void)
{
    pthread_once(&once, assemble);
}

const char *queue__scripts_library(void)
{
    return library;
}

const char *queue__script_function(queue__script_id_t id)
{
    return scripts[id].function;
}

const char *queue__script_name(queue__script_id_t id)
{
    return scripts[id].name;
}
