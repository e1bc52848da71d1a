// A peer for the sample's tests, written with nothing but Node's net and dgram modules: the same two jobs as socat.
//   node echo-peer.js tcp-echo          listens on 127.0.0.1, a free port; prints "listening on 127.0.0.1:<port>";
//                                       sends every connection's bytes back to it (socat TCP-LISTEN:0,fork EXEC:cat)
//   node echo-peer.js udp <port>        sends every line of stdin as a datagram to 127.0.0.1:<port> and prints every
//                                       datagram that comes back (socat - UDP:127.0.0.1:<port>)
// Ends when stdin closes, or after 120 s, so that it never outlives a failed test.
'use strict';
const dgram = require('dgram');
const net = require('net');
const readline = require('readline');

const mode = process.argv[2];
setTimeout(() => process.exit(2), 120000).unref();

if (mode === 'tcp-echo') {
  const server = net.createServer((connection) => connection.pipe(connection));
  server.listen(0, '127.0.0.1', () => {
    console.log('listening on 127.0.0.1:' + server.address().port);
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
} else if (mode === 'udp') {
  const port = Number(process.argv[3]);
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message) => process.stdout.write(message));
  socket.bind(0, '127.0.0.1', () => {
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => socket.send(Buffer.from(line + '\n', 'utf8'), port, '127.0.0.1'));
    lines.on('close', () => socket.close(() => process.exit(0)));
  });
} else {
  console.error('usage: node echo-peer.js tcp-echo | udp <port>');
  process.exit(64);
}
