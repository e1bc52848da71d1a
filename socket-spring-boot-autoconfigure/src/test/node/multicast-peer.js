'use strict';
// A multicast peer for the tests, on Node's own dgram module, so that the multicast socket is checked against an
// implementation this project did not write. Run only inside the tests' private network namespace.
//
//   node multicast-peer.js udp4|udp6 GROUP
//
// Binds to a free port of the wildcard address, joins GROUP (on the interface the kernel routes it to), sets the
// multicast TTL to 1 and reports on stdout, one JSON object per line:
//   {"event":"listening","port":40000}
//   {"event":"received","size":3,"hex":"616263","address":"127.0.0.1","family":"IPv4","port":50000}
//   {"event":"sent","port":50000}
//   {"event":"error","message":"..."}
// Commands arrive on stdin, one JSON object per line:
//   {"cmd":"send","hex":"616263","port":50000}   sends those bytes to GROUP on that port
// The peer exits when stdin closes, so it cannot outlive the test that started it.

const dgram = require('node:dgram');
const readline = require('node:readline');

const type = process.argv[2] === 'udp6' ? 'udp6' : 'udp4';
const group = process.argv[3];
const socket = dgram.createSocket({ type, reuseAddr: true });

function report(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

socket.on('message', (message, remote) => {
  report({
    event: 'received', size: message.length, hex: message.toString('hex'),
    address: remote.address, family: remote.family, port: remote.port,
  });
});

socket.on('error', (error) => {
  report({ event: 'error', message: error.message });
  process.exit(1);
});

socket.bind(0, () => {
  socket.addMembership(group);
  socket.setMulticastTTL(1);
  report({ event: 'listening', port: socket.address().port });
});

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = JSON.parse(line);
  if (command.cmd === 'send') {
    socket.send(Buffer.from(command.hex, 'hex'), command.port, group, (error) => {
      if (error) {
        report({ event: 'error', message: 'send failed: ' + error.message });
      }
      else {
        report({ event: 'sent', port: command.port });
      }
    });
  }
  else {
    report({ event: 'error', message: 'unknown command ' + line });
  }
});
commands.on('close', () => {
  socket.close();
  process.exit(0);
});
