// A UDP peer for the starter's integration test, written with nothing but Node's dgram module.
// Usage: node spring-udp-peer.js <target port> <count>
// Binds 127.0.0.1 on a free port and prints {"port": n}; sends "datagram-1" .. "datagram-<count>" to
// 127.0.0.1:<target port>, one after the other; prints {"received": text, "port": n} for every datagram it gets.
// Ends when stdin closes (the test is done) or after 60 s, so that it never outlives a failed test.
'use strict';
const dgram = require('dgram');

const targetPort = Number(process.argv[2]);
const count = Number(process.argv[3]);
const socket = dgram.createSocket('udp4');

socket.on('message', (message, remote) => {
  console.log(JSON.stringify({ received: message.toString('utf8'), port: remote.port }));
});

socket.bind(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: socket.address().port }));
  const sendNext = (i) => {
    if (i > count) {
      console.log(JSON.stringify({ sent: count }));
      return;
    }
    socket.send(Buffer.from('datagram-' + i, 'utf8'), targetPort, '127.0.0.1', (error) => {
      if (error) {
        console.log(JSON.stringify({ error: String(error) }));
        return;
      }
      sendNext(i + 1);
    });
  };
  sendNext(1);
});

process.stdin.on('end', () => socket.close(() => process.exit(0)));
process.stdin.resume();
setTimeout(() => process.exit(2), 60000).unref();
