'use strict';
// A TCP client for the server tests, built on Node's own `net` module only, so that the Java server is checked
// against a client this project did not write.
//
// Usage: node tcp-client.js <port> <mode> <connections> <bytes>
//   echo    each connection writes <bytes> random bytes in chunks of random size, ends its side (FIN), reads until
//           the server ends, and checks that it got exactly its own bytes back
//   reset   each connection writes <bytes> bytes, waits until the server echoed them all, then resets (RST)
//
// Output, one event per line as `event key=value ...`:
//   verified localPort=L bytes=N sha256=HEX     (echo: the bytes came back intact)
//   mismatch localPort=L sent=N received=M      (echo: they did not)
//   reset localPort=L                           (reset: the RST went out)
//   error localPort=L code=CODE
//   done ok=K failed=F
const net = require('net');
const crypto = require('crypto');

const [port, mode, connections, size] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]),
  Number(process.argv[5])];
let ok = 0;
let failed = 0;
let open = connections;

function report(event, fields) {
  const parts = [event];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${key}=${value}`);
  }
  process.stdout.write(parts.join(' ') + '\n');
}

function finished(success) {
  if (success) {
    ok++;
  } else {
    failed++;
  }
  if (--open === 0) {
    report('done', { ok, failed });
  }
}

function run() {
  const sent = crypto.randomBytes(size);
  const received = [];
  let receivedBytes = 0;
  let settled = false;
  const settle = (success) => {
    if (!settled) {
      settled = true;
      finished(success);
    }
  };
  const socket = net.connect({ port, host: '127.0.0.1' }, () => {
    let offset = 0;
    while (offset < sent.length) {
      const chunk = Math.min(sent.length - offset, 1 + crypto.randomInt(16384));
      socket.write(sent.subarray(offset, offset + chunk));
      offset += chunk;
    }
    if (mode === 'echo') {
      socket.end();
    }
  });
  socket.on('data', (chunk) => {
    received.push(chunk);
    receivedBytes += chunk.length;
    if (mode === 'reset' && receivedBytes === sent.length) {
      report('reset', { localPort: socket.localPort });
      socket.resetAndDestroy();
      settle(true);
    }
  });
  socket.on('end', () => {
    const all = Buffer.concat(received);
    if (all.equals(sent)) {
      report('verified', { localPort: socket.localPort, bytes: all.length,
        sha256: crypto.createHash('sha256').update(sent).digest('hex') });
      settle(true);
    } else {
      report('mismatch', { localPort: socket.localPort, sent: sent.length, received: all.length });
      settle(false);
    }
  });
  socket.on('error', (err) => {
    report('error', { localPort: socket.localPort, code: err.code });
    settle(false);
  });
}

for (let i = 0; i < connections; i++) {
  run();
}
