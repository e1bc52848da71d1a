'use strict';
// A TCP peer for the tests, built on Node's own `net` module only, so that the Java sockets are checked against an
// implementation this project did not write.
//
// Usage: node tcp-peer.js <mode> [n] [--host <address>]
//   record         read everything; when the client ends, report the byte count and SHA-256, then end too
//   greet <text>   write <text> on connect, then record
//   echo           write back every chunk, and record
//   close-after n  record; after n bytes, end the connection (FIN)
//   reset-after n  record; after n bytes, reset the connection (RST)
//   half-close-after n  record everything; after n bytes, end our side (FIN) but go on reading
//   paused         accept but read nothing until a line "resume" arrives on stdin, then record
//   frames <kind> <n>  write n frames of <kind> (lines: LF and CRLF lines; u32be: 4-byte big-endian length, then the
//                  frame; u16le-incl: 2-byte little-endian length that counts itself) in writes of 1 to 97 bytes,
//                  then end; frame i holds `line i xxx` (i % 37 x's), or (i * 13) % 600 bytes of (i * 31 + j) & 0xff
//
// Output, one event per line as `event key=value ...`:
//   listening port=P
//   connection remotePort=R
//   end remotePort=R bytes=N sha256=HEX [hex=BYTES]   (hex only for at most 65536 bytes)
//   error remotePort=R code=ECONNRESET
//   close remotePort=R
const net = require('net');
const crypto = require('crypto');
const readline = require('readline');

const args = process.argv.slice(2);
const mode = args[0];
let host = '127.0.0.1';
const hostFlag = args.indexOf('--host');
if (hostFlag >= 0) {
  host = args[hostFlag + 1];
  args.splice(hostFlag, 2);
}
const param = args[1];
const frameCount = Number(args[2]);
const limit = Number(param);
const HEX_LIMIT = 65536;
const paused = new Set();
let resumed = false;

function report(event, fields) {
  const parts = [event];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${key}=${value}`);
  }
  process.stdout.write(parts.join(' ') + '\n');
}

const server = net.createServer((socket) => {
  const remotePort = socket.remotePort;
  const hash = crypto.createHash('sha256');
  const kept = [];
  let keptBytes = 0;
  let bytes = 0;
  let stopped = false;
  report('connection', { remotePort });

  socket.on('data', (chunk) => {
    if (stopped) {
      return;
    }
    bytes += chunk.length;
    hash.update(chunk);
    if (keptBytes <= HEX_LIMIT) {
      kept.push(chunk);
      keptBytes += chunk.length;
    }
    if (mode === 'echo') {
      socket.write(chunk);
    }
    if (mode === 'close-after' && bytes >= limit) {
      stopped = true;
      report('closing', { remotePort, bytes });
      socket.end();
    }
    if (mode === 'half-close-after' && bytes >= limit && !socket.writableEnded) {
      report('closing', { remotePort, bytes });
      socket.end();
    }
    if (mode === 'reset-after' && bytes >= limit) {
      stopped = true;
      report('resetting', { remotePort, bytes });
      socket.resetAndDestroy();
    }
  });
  socket.on('end', () => {
    const fields = { remotePort, bytes, sha256: hash.digest('hex') };
    if (bytes <= HEX_LIMIT) {
      fields.hex = Buffer.concat(kept).toString('hex');
    }
    report('end', fields);
    if (!socket.writableEnded) {
      socket.end();
    }
  });
  socket.on('error', (err) => report('error', { remotePort, code: err.code }));
  socket.on('close', () => {
    paused.delete(socket);
    report('close', { remotePort });
  });

  if (mode === 'greet') {
    socket.write(param);
  }
  if (mode === 'frames') {
    const stream = Buffer.concat(Array.from({ length: frameCount }, (_, i) => frame(param, i)));
    // Writes of every size from 1 to 97 bytes, so that frames are cut everywhere on the way.
    for (let at = 0, size = 1; at < stream.length; at += size, size = (size % 97) + 1) {
      socket.write(stream.subarray(at, at + size));
    }
    report('sent', { remotePort, frames: frameCount, bytes: stream.length });
    socket.end();
  }
  if (mode === 'paused' && !resumed) {
    socket.pause();
    paused.add(socket);
  }
});

// Frame i of a kind, with its line ending or length field, written here with Node's own Buffer methods.
function frame(kind, i) {
  if (kind === 'lines') {
    return Buffer.from(`line ${i} ${'x'.repeat(i % 37)}${i % 2 === 0 ? '\n' : '\r\n'}`);
  }
  const body = Buffer.alloc((i * 13) % 600);
  for (let j = 0; j < body.length; j++) {
    body[j] = (i * 31 + j) & 0xff;
  }
  const field = Buffer.alloc(kind === 'u32be' ? 4 : 2);
  if (kind === 'u32be') {
    field.writeUInt32BE(body.length);
  } else {
    field.writeUInt16LE(body.length + 2);
  }
  return Buffer.concat([field, body]);
}

server.listen({ port: 0, host, backlog: 64 }, () => report('listening', { port: server.address().port }));

// The test ends the peer by closing stdin (or by killing the process).
const commands = readline.createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line.trim() === 'resume') {
    resumed = true;
    for (const socket of paused) {
      socket.resume();
    }
    paused.clear();
    report('resumed', {});
  }
});
commands.on('close', () => process.exit(0));
