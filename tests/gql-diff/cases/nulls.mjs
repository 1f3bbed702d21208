// Null propagation (section 6.4.4): a null or an error in a non-null position nulls the
// nearest nullable parent, through objects, lists, nested lists, up to data itself. Errors carry
// the path with list indexes. graphql-js completes fields and list items in order and stops at
// the first error that nulls their parent, so later siblings report nothing: these cases expect
// the same.

const q = (name, query, root, extra = {}) => ({ name, query, root, ...extra });
const it = (id, more = {}) => ({ id, name: `n${id}`, req: `r${id}`, num: Number(id), reqNum: Number(id), ...more });

export default {
  schemaFile: 'schemas/nulls.graphql',
  cases: [
    q('scalar/nullable-null', '{ opt num }', { opt: null }, { expect: 'ok' }),
    q('scalar/non-null-null', '{ opt req }', { opt: 'a', req: null }, { expect: 'field-error' }),
    q('scalar/non-null-absent', '{ req }', {}, { expect: 'field-error' }),
    q('scalar/non-null-coercion-error', '{ opt reqNum }', { opt: 'a', reqNum: 1.5 }, { expect: 'field-error' }),
    q('scalar/nullable-coercion-error', '{ num opt }', { num: 'x', opt: 'a' }, { expect: 'field-error' }),
    q('scalar/two-non-null-first-stops', '{ req req2 }', { req: null, req2: null }, { expect: 'field-error', note: 'graphql-js reports only the first: the second is never completed' }),
    q('scalar/nullable-error-then-non-null', '{ num req }', { num: 'x', req: null }, { expect: 'field-error' }),

    q('object/nullable-child-error', '{ item { id req } opt }', { item: { id: '1', req: null }, opt: 'o' }, { expect: 'field-error' }),
    q('object/non-null-object-to-data', '{ opt reqItem { id req } }', { opt: 'o', reqItem: { id: '1', req: null } }, { expect: 'field-error' }),
    q('object/non-null-object-null', '{ reqItem { id } }', { reqItem: null }, { expect: 'field-error' }),
    q('object/deep-to-nearest-nullable', '{ item { id child { id reqChild { reqChild { req } } } } }',
      { item: it('1', { child: it('2', { reqChild: it('3', { reqChild: it('4', { req: null }) }) }) }) }, { expect: 'field-error' }),
    q('object/deep-all-non-null-to-data', '{ reqItem { reqChild { reqChild { reqNum } } } }',
      { reqItem: it('1', { reqChild: it('2', { reqChild: it('3', { reqNum: null }) }) }) }, { expect: 'field-error' }),
    q('object/earlier-nullable-error-kept', '{ item { num req name } }', { item: { num: 'bad', req: null, name: 'x' } }, { expect: 'field-error', note: 'the error of num is reported although item ends null' }),
    q('object/aliases-paths', '{ a: item { r: req } b: item { n: name } }', { item: { req: null, name: 'x' } }, { expect: 'field-error' }),

    q('list/nullable-items', '{ list }', { list: ['a', null, 'c'] }, { expect: 'ok' }),
    q('list/non-null-item-null', '{ listReqItems opt }', { listReqItems: ['a', null, 'c'], opt: 'o' }, { expect: 'field-error' }),
    q('list/non-null-items-two-nulls', '{ listReqItems }', { listReqItems: [null, 'b', null] }, { expect: 'field-error', note: 'only the first null item is reported' }),
    q('list/non-null-list-null', '{ opt reqList }', { opt: 'o', reqList: null }, { expect: 'field-error' }),
    q('list/non-null-list-non-null-items', '{ opt reqListReqItems }', { opt: 'o', reqListReqItems: ['a', null] }, { expect: 'field-error' }),
    q('list/empty-lists', '{ list listReqItems reqList reqListReqItems items { id } }', { list: [], listReqItems: [], reqList: [], reqListReqItems: [], items: [] }, { expect: 'ok' }),
    q('list/items-with-errors', '{ items { id req } }', { items: [it('1'), it('2', { req: null }), null, it('4', { req: null })] }, { expect: 'field-error', note: 'nullable items: every bad item reported, nulled one by one' }),
    q('list/non-null-items-with-error', '{ reqItems { id req } opt }', { reqItems: [it('1'), it('2', { req: null })], opt: 'o' }, { expect: 'field-error' }),
    q('list/non-null-list-of-non-null-items', '{ reqItemsReq { id reqNum } }', { reqItemsReq: [it('1'), it('2', { reqNum: 'NaN' })] }, { expect: 'field-error' }),
    q('list/null-item-in-non-null-list-of-objects', '{ reqItems { id } }', { reqItems: [it('1'), null] }, { expect: 'field-error' }),
    q('list/item-children', '{ items { id children { id req } } }', { items: [it('1', { children: [it('a'), it('b', { req: null })] }), it('2', { children: null })] }, { expect: 'field-error' }),

    q('nested/inner-null-item', '{ nested }', { nested: [['a'], ['b', null], null] }, { expect: 'field-error' }),
    q('nested/inner-lists-ok', '{ nested nestedNullable }', { nested: [[], ['x', 'y'], null], nestedNullable: [[null], null, []] }, { expect: 'ok' }),
    q('nested/non-null-inner-list', '{ opt nestedReq }', { opt: 'o', nestedReq: [['a'], null] }, { expect: 'field-error' }),
    q('nested/non-null-inner-item', '{ opt nestedReq }', { opt: 'o', nestedReq: [['a'], ['b', null]] }, { expect: 'field-error' }),
    q('nested/not-a-list-inside', '{ nested }', { nested: [['a'], 'b'] }, { expect: 'field-error' }),
    q('nested/coercion-errors', '{ nestedNullable }', { nestedNullable: [[1, {}, 'c'], [[]]] }, { expect: 'field-error' }),

    q('fragment/propagation-through-fragments', '{ item { ...F } opt }\nfragment F on Item { id ... on Item { child { req } reqChild { name } } }',
      { item: it('1', { child: it('2', { req: null }), reqChild: null }), opt: 'o' }, { expect: 'field-error' }),
    q('fragment/merged-fields-one-error', '{ item { req } item { id req } }', { item: { id: '1', req: null } }, { expect: 'field-error', note: 'merged field: one error, not two' }),
    q('root/mutation-style-data-null', '{ reqItem { reqChild { id } } req }', { reqItem: it('1', { reqChild: null }), req: null }, { expect: 'field-error' }),
  ],
};
