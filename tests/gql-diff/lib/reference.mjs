// The reference side of the differential test: graphql-js 16 running a case exactly as
// `facet gql exec` is specified to (buildSchema + graphql() with the default field and type
// resolvers over the JSON root value), plus checks that a case tests what it says it tests.

import { buildSchema, graphql, parse, validate, validateSchema, specifiedRules } from 'graphql';

const RULES = new Map(specifiedRules.map((r) => [r.name.replace(/Rule$/, ''), r]));

export function knownRuleNames() {
  return [...RULES.keys()];
}

// Builds the schema or throws: a case whose schema graphql-js refuses is a broken case, since
// `facet gql exec` has no response to print for it.
export function buildCaseSchema(sdl) {
  const schema = buildSchema(sdl);
  const problems = validateSchema(schema);
  if (problems.length > 0) {
    throw new Error(`schema invalid for graphql-js: ${problems.map((e) => e.message).join('; ')}`);
  }
  return schema;
}

// Runs graphql() and returns the response as plain JSON (what JSON.stringify would print).
export async function runReference(c) {
  const schema = buildCaseSchema(c.schema);
  const result = await graphql({
    schema,
    source: c.query,
    rootValue: JSON.parse(c.rootText),
    variableValues: c.variablesText === undefined ? undefined : JSON.parse(c.variablesText),
    operationName: c.operation,
  });
  return JSON.parse(JSON.stringify(result));
}

// Returns a list of problems with the case itself (empty when it is consistent): a case that
// names a validation rule must make that rule report (valid: false) or stay silent (valid:
// true), and `expect` says which kind of response graphql-js must give.
export function checkCaseIntent(c, expected) {
  const problems = [];
  if (c.rule !== undefined) {
    const rule = RULES.get(c.rule);
    if (rule === undefined) {
      problems.push(`unknown rule "${c.rule}"`);
    } else {
      let errors;
      try {
        errors = validate(buildCaseSchema(c.schema), parse(c.query), [rule]);
      } catch (e) {
        errors = null;
        problems.push(`rule check could not parse: ${e.message}`);
      }
      if (errors !== null && c.valid === false && errors.length === 0) {
        problems.push(`rule ${c.rule} reports nothing but the case says invalid`);
      }
      if (errors !== null && c.valid !== false && errors.length > 0) {
        problems.push(`rule ${c.rule} reports "${errors[0].message}" but the case says valid`);
      }
    }
  }
  if (c.expect !== undefined) {
    const kind =
      expected.errors === undefined ? 'ok' : 'data' in expected ? 'field-error' : 'request-error';
    if (kind !== c.expect) problems.push(`expected a "${c.expect}" response, graphql-js gave "${kind}"`);
  }
  return problems;
}
