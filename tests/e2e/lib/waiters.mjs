// One way to wait on something that a stream of events changes: a process's
// log lines, a worker's events, a socket's bytes. The owner keeps a Set of
// waiters and calls each of them whenever its state changes.

/**
 * Resolves with the first truthy value of `check()`, which runs now and on
 * every notification through `waiters`. Rejects with the error `check`
 * throws, with the Error `gone()` returns once waiting is pointless (e.g.
 * the process exited), or with `timeoutError()` after `timeoutMs`.
 */
export function waitOn(waiters, { check, gone = () => null, timeoutMs, timeoutError }) {
  return new Promise((resolve, reject) => {
    const finish = (settle, value) => {
      clearTimeout(timer);
      waiters.delete(run);
      settle(value);
    };
    const run = () => {
      let v;
      try {
        v = check();
      } catch (e) {
        finish(reject, e);
        return;
      }
      if (v) {
        finish(resolve, v);
        return;
      }
      const err = gone();
      if (err) finish(reject, err);
    };
    const timer = setTimeout(() => finish(reject, timeoutError()), timeoutMs);
    waiters.add(run);
    run();
  });
}
