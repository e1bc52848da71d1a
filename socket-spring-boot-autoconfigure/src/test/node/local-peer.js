'use strict';
// A local (Unix domain) stream peer for the tests, built on Node's own `net` module with a path only, so that the
// Java local sockets are checked against an implementation this project did not write.
//
// Usage: node local-peer.js <mode> <path> [text]
//   echo <path>         listen on <path> and write back every chunk; report each connection's byte count at its end
//   send <path> <text>  connect to <path>, write <text>, read until as many bytes came back, then end
//
// Output, one event per line as `event key=value ...`:
//   listening path=P
//   end bytes=N
//   received hex=HEX
const net = require('net');

const [mode, path, text] = process.argv.slice(2);

function report(event, fields) {
  const parts = [event];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${key}=${value}`);
  }
  process.stdout.write(parts.join(' ') + '\n');
}

if (mode === 'echo') {
  const server = net.createServer((socket) => {
    let bytes = 0;
    socket.on('data', (chunk) => {
      bytes += chunk.length;
      socket.write(chunk);
    });
    socket.on('end', () => {
      report('end', { bytes });
      socket.end();
    });
    socket.on('error', () => {});
  });
  server.listen(path, () => report('listening', { path }));
  process.stdin.on('end', () => server.close(() => process.exit(0)));
  process.stdin.resume();
}
else if (mode === 'send') {
  const expected = Buffer.from(text, 'utf8');
  const chunks = [];
  let received = 0;
  const socket = net.createConnection({ path }, () => socket.write(expected));
  socket.on('data', (chunk) => {
    chunks.push(chunk);
    received += chunk.length;
    if (received >= expected.length) {
      report('received', { hex: Buffer.concat(chunks).toString('hex') });
      socket.end();
    }
  });
  socket.on('close', () => process.exit(0));
  socket.on('error', (error) => {
    report('error', { code: error.code });
    process.exit(1);
  });
}
else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
