// Compares facet's response with graphql-js' response for one case. `data` must be identical
// including key order; `errors` must agree in count and, error by error, in `path` and
// `locations`. Messages are reported but never fail a case.

const MAX_DIFFS = 6;

function show(v) {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function pathText(path) {
  return path.length === 0 ? '(top)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

// Walks both values in parallel and lists readable differences: values, missing or extra keys,
// and key order when the key sets agree but their order does not.
export function diffValues(exp, act, path = [], out = []) {
  if (out.length >= MAX_DIFFS) return out;
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(exp) && Array.isArray(act)) {
    if (exp.length !== act.length) {
      out.push(`${pathText(path)}: list length ${exp.length} expected, got ${act.length}`);
    }
    for (let i = 0; i < Math.min(exp.length, act.length); i++) diffValues(exp[i], act[i], [...path, i], out);
    return out;
  }
  if (isObj(exp) && isObj(act)) {
    const ek = Object.keys(exp);
    const ak = Object.keys(act);
    const missing = ek.filter((k) => !(k in act));
    const extra = ak.filter((k) => !(k in exp));
    if (missing.length) out.push(`${pathText(path)}: missing keys ${missing.join(', ')}`);
    if (extra.length) out.push(`${pathText(path)}: unexpected keys ${extra.join(', ')}`);
    if (!missing.length && !extra.length && ek.join('\u0000') !== ak.join('\u0000')) {
      out.push(`${pathText(path)}: key order ${ek.join(',')} expected, got ${ak.join(',')}`);
    }
    for (const k of ek) if (k in act) diffValues(exp[k], act[k], [...path, k], out);
    return out;
  }
  if (JSON.stringify(exp) !== JSON.stringify(act)) {
    out.push(`${pathText(path)}: expected ${show(exp)}, got ${show(act)}`);
  }
  return out;
}

function errorKey(e) {
  return JSON.stringify([e.path ?? null, e.locations ?? null]);
}

// Sorts errors by path and locations (then message), so that two engines that report the same
// errors in a different order still compare equal: the specification does not order errors.
function sortErrors(errors) {
  return [...errors].sort((a, b) => {
    const ka = errorKey(a);
    const kb = errorKey(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return String(a.message) < String(b.message) ? -1 : String(a.message) > String(b.message) ? 1 : 0;
  });
}

function errorShapeProblems(errors) {
  const problems = [];
  errors.forEach((e, i) => {
    if (e === null || typeof e !== 'object') return problems.push(`errors[${i}] is not an object`);
    if (typeof e.message !== 'string' || e.message === '') problems.push(`errors[${i}] has no message`);
    if (e.locations !== undefined && !Array.isArray(e.locations)) problems.push(`errors[${i}].locations is not a list`);
    if (e.path !== undefined && !Array.isArray(e.path)) problems.push(`errors[${i}].path is not a list`);
  });
  return problems;
}

// Returns {failures, messages, orderDiffers}: failures fail the case; messages lists message
// differences (expected vs actual) between errors matched by position (strictOrder) or by path
// and locations (sorted).
export function compareResponses(expected, actual, { strictOrder = false } = {}) {
  const failures = [];
  const messages = [];
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return { failures: ['response is not a JSON object'], messages, orderDiffers: false };
  }
  const extraTop = Object.keys(actual).filter((k) => !['data', 'errors', 'extensions'].includes(k));
  if (extraTop.length) failures.push(`unexpected top-level keys: ${extraTop.join(', ')}`);
  if ('data' in expected !== 'data' in actual) {
    failures.push(`data: ${'data' in expected ? 'expected' : 'not expected'} (graphql-js ${'data' in expected ? `gives ${show(expected.data)}` : 'gives no data entry'}), facet ${'data' in actual ? `gives ${show(actual.data)}` : 'gives no data entry'}`);
  } else if ('data' in expected && JSON.stringify(expected.data) !== JSON.stringify(actual.data)) {
    failures.push('data differs:', ...diffValues(expected.data, actual.data, ['data']).map((d) => `  ${d}`));
  }
  const expErrors = expected.errors ?? [];
  if ('errors' in actual && !Array.isArray(actual.errors)) {
    failures.push('errors is not a list');
    return { failures, messages, orderDiffers: false };
  }
  const actErrors = actual.errors ?? [];
  if ('errors' in actual && actErrors.length === 0) failures.push('errors entry present but empty (should be absent)');
  failures.push(...errorShapeProblems(actErrors));
  const orderDiffers = expErrors.map(errorKey).join('|') !== actErrors.map(errorKey).join('|');
  const es = strictOrder ? expErrors : sortErrors(expErrors);
  const as = strictOrder ? actErrors : sortErrors(actErrors);
  if (es.length !== as.length) {
    failures.push(`errors: ${es.length} expected, got ${as.length}`);
  }
  const n = Math.max(es.length, as.length);
  for (let i = 0; i < n; i++) {
    const e = es[i];
    const a = as[i];
    if (e === undefined) { failures.push(`  extra error ${show(a)}`); continue; }
    if (a === undefined) { failures.push(`  missing error ${show(e)}`); continue; }
    if (JSON.stringify(e.path) !== JSON.stringify(a?.path)) {
      failures.push(`  error ${i}: path ${show(e.path)} expected, got ${show(a.path)} (message "${e.message}")`);
    }
    if (JSON.stringify(e.locations) !== JSON.stringify(a?.locations)) {
      failures.push(`  error ${i}: locations ${show(e.locations)} expected, got ${show(a.locations)} (message "${e.message}")`);
    }
    if (e.message !== a.message) messages.push({ expected: e.message, actual: a.message });
  }
  if (strictOrder && orderDiffers) {
    const sortedKeys = (list) => sortErrors(list).map(errorKey).join('|');
    if (sortedKeys(expErrors) === sortedKeys(actErrors)) {
      failures.push('  (the same paths and locations in another order: --any-order accepts this)');
    }
  }
  return { failures, messages, orderDiffers };
}
