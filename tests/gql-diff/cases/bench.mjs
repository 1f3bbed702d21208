// The reference workload of shared/bench/README.md as differential cases: `{ hello }` and
// `posts(first: 50)`. With default resolvers the argument is ignored and `posts` returns the
// root's list as it is, so the root holds the first 50 posts (the benchmark's response, about 14.4 kB
// bytes) or, in one case, all 100.

const users = Array.from({ length: 10 }, (_, i) => ({
  id: `u${i}`, name: `User ${i}`,
  avatar: { id: `i${i}`, url: `https://cdn.example.com/images/i${i}.webp`, width: 256, height: 256 },
}));
const posts = Array.from({ length: 100 }, (_, i) => ({
  id: `p${i}`, title: `Post number ${i}`, body: 'lorem ipsum dolor sit amet '.repeat(4), likes: i * 7, author: users[i % 10],
}));
const postsQuery = '{ posts(first: 50) { id title body likes author { id name avatar { url width height } } } }';

export default {
  schemaFile: 'schemas/bench.graphql',
  root: { hello: 'world', posts: posts.slice(0, 50) },
  cases: [
    { name: 'hello', query: '{ hello }', expect: 'ok' },
    { name: 'posts-first-50', query: postsQuery, expect: 'ok', note: 'the benchmark query (14,383 bytes of JSON here)' },
    { name: 'posts-all-100', query: postsQuery, root: { hello: 'world', posts }, expect: 'ok', note: 'default resolvers ignore first: all 100 come back' },
    { name: 'posts-default-argument', query: '{ posts { id likes } }', expect: 'ok' },
    { name: 'hello-and-posts', query: 'query Both { hello posts(first: 2) { title author { name avatar { id } } } }', expect: 'ok' },
    { name: 'posts-variable', query: 'query ($n: Int) { posts(first: $n) { id } }', variables: { n: 3 }, expect: 'ok' },
    { name: 'hello-null', query: '{ hello posts { id } }', root: { hello: null, posts: [] }, expect: 'field-error' },
    { name: 'author-null-propagates', query: '{ posts { id author { name } } }', root: { hello: 'world', posts: [posts[0], { ...posts[1], author: null }] }, expect: 'field-error' },
  ],
};
