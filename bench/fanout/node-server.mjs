// The Node anchor of the fan-out benchmark: what a Node service of the stack
// Facet replaces runs for subscriptions. graphql-ws (the graphql-transport-ws
// protocol) on a ws server at /graphql, with graphql-redis-subscriptions'
// RedisPubSub on Valkey, serving the fixture schema's slice that Facet's
// fan-out benchmark uses (Mutation.sendMessage publishes, Subscription.
// messageAdded receives). One process, one event loop, like Facet with
// FACET_THREADS=1.
//
// Usage: VALKEY_URL=redis://127.0.0.1:6379 PORT=4500 node node-server.mjs
// Events: RedisPubSub publishes JSON on the trigger's name as the channel,
// here "messageAdded" (Facet's channel is "facet:messageAdded"); the payload
// is {"messageAdded":{"id":...,"text":...}}, the same bytes for both servers.
import http from 'node:http';
import { buildSchema } from 'graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { useServer } from 'graphql-ws/use/ws';
import Redis from 'ioredis';
import { WebSocketServer } from 'ws';

const valkeyUrl = process.env.VALKEY_URL;
if (!valkeyUrl) {
  console.error('node-server: VALKEY_URL is not set');
  process.exit(2);
}
const port = Number(process.env.PORT || 4500);

const schema = buildSchema(`
  type Message { id: ID!, text: String! }
  type Query { hello: String! }
  type Mutation { sendMessage(text: String!): Message! }
  type Subscription { messageAdded: Message! }
`);

const pubsub = new RedisPubSub({
  publisher: new Redis(valkeyUrl, { maxRetriesPerRequest: null }),
  subscriber: new Redis(valkeyUrl, { maxRetriesPerRequest: null }),
});

let nextId = 0;
const roots = {
  query: { hello: () => 'world' },
  mutation: {
    sendMessage: async ({ text }) => {
      const message = { id: `m${++nextId}`, text };
      await pubsub.publish('messageAdded', { messageAdded: message });
      return message;
    },
  },
  subscription: {
    // graphql-js' subscribe() calls the root value's function for the
    // field's event stream; each event is then the root value of the
    // execution, whose default resolver reads event.messageAdded.
    messageAdded: () => pubsub.asyncIterableIterator('messageAdded'),
  },
};

const server = http.createServer((req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
});
const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({ schema, roots }, wss);

server.listen(port, '127.0.0.1', () => {
  console.log(`node anchor ready on ws://127.0.0.1:${port}/graphql (pid ${process.pid})`);
});

const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  server.close();
  pubsub.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
