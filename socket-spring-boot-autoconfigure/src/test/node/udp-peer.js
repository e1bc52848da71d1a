'use strict';
// A UDP peer for the tests, on Node's own dgram module, so that the Java socket is checked against an
// implementation this project did not write.
//
//   node udp-peer.js udp4|udp6
//
// Binds to the loopback of the family on a free port and reports on stdout, one JSON object per line:
//   {"event":"listening","address":"127.0.0.1","port":40000}
//   {"event":"received","size":3,"hex":"616263","address":"127.0.0.1","family":"IPv4","port":50000}
//   {"event":"burst-sent","count":5}
//   {"event":"error","message":"..."}
// Every datagram received is echoed back to its sender, unchanged. Commands arrive on stdin, one JSON object per
// line:
//   {"cmd":"burst","address":"127.0.0.1","port":50000}   sends the datagrams of burst() to that address
// The peer exits when stdin closes, so it cannot outlive the test that started it.

const dgram = require('node:dgram');
const readline = require('node:readline');

const type = process.argv[2] === 'udp6' ? 'udp6' : 'udp4';
const host = type === 'udp6' ? '::1' : '127.0.0.1';
const socket = dgram.createSocket(type);

function report(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

// The burst, in this order: text, every byte value, an empty datagram, a larger binary one, more text.
function burst() {
  const allBytes = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) {
    allBytes[i] = i;
  }
  const pattern = Buffer.alloc(4096);
  for (let i = 0; i < pattern.length; i++) {
    pattern[i] = (i * 7) % 256;
  }
  return [Buffer.from('hello from node', 'utf8'), allBytes, Buffer.alloc(0), pattern, Buffer.from('grüße', 'utf8')];
}

socket.on('message', (message, remote) => {
  report({
    event: 'received', size: message.length, hex: message.toString('hex'),
    address: remote.address, family: remote.family, port: remote.port,
  });
  socket.send(message, remote.port, remote.address, (error) => {
    if (error) {
      report({ event: 'error', message: 'echo failed: ' + error.message });
    }
  });
});

socket.on('error', (error) => {
  report({ event: 'error', message: error.message });
  process.exit(1);
});

socket.bind(0, host, () => {
  const local = socket.address();
  report({ event: 'listening', address: local.address, port: local.port });
});

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line);
  if (command.cmd === 'burst') {
    const datagrams = burst();
    let left = datagrams.length;
    for (const datagram of datagrams) {
      socket.send(datagram, command.port, command.address, (error) => {
        if (error) {
          report({ event: 'error', message: 'burst failed: ' + error.message });
        }
        else if (--left === 0) {
          report({ event: 'burst-sent', count: datagrams.length });
        }
      });
    }
  }
  else {
    report({ event: 'error', message: 'unknown command ' + line });
  }
});
commands.on('close', () => {
  socket.close();
  process.exit(0);
});
