'use strict';
// A TLS peer for the tests, built on Node's own `tls` module only (OpenSSL inside Node), so that the Java TLS engine
// is checked against an implementation this project did not write.
//
// Usage: node tls-peer.js server '<json>'   an echo server on 127.0.0.1, port 0: writes back every chunk
//        node tls-peer.js client '<json>'   connects to 127.0.0.1:<port>, writes <send>, reports what comes back
// JSON fields: cert, key, ca (file paths), minVersion, maxVersion ('TLSv1.2' | 'TLSv1.3'), requestCert (server:
// require a client certificate that leads to ca), port and send (client).
//
// Output, one event per line as `event key=value ...`:
//   listening port=P                                             (server)
//   secure remotePort=R protocol=TLSv1.3 cipher=NAME authorized=true peer=CN|none
//   data hex=BYTES                                               (client)
//   tlsClientError code=CODE                                     (server: a client's handshake failed)
//   error code=CODE reason=TEXT
//   end remotePort=R                                             (the peer ended: close_notify, then FIN)
const tls = require('tls');
const fs = require('fs');
const readline = require('readline');

const mode = process.argv[2];
const options = JSON.parse(process.argv[3]);

function report(event, fields) {
  const parts = [event];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${key}=${String(value).replace(/\s+/g, '_')}`);
  }
  process.stdout.write(parts.join(' ') + '\n');
}

function context() {
  const result = {};
  for (const file of ['cert', 'key', 'ca']) {
    if (options[file]) {
      result[file] = fs.readFileSync(options[file]);
    }
  }
  for (const version of ['minVersion', 'maxVersion']) {
    if (options[version]) {
      result[version] = options[version];
    }
  }
  return result;
}

function describe(socket) {
  const peer = socket.getPeerCertificate();
  return {
    remotePort: socket.remotePort,
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().standardName,
    authorized: socket.authorized,
    peer: (peer && peer.subject) ? peer.subject.CN : 'none',
  };
}

if (mode === 'server') {
  const settings = context();
  settings.requestCert = Boolean(options.requestCert);
  settings.rejectUnauthorized = Boolean(options.requestCert);
  const server = tls.createServer(settings, (socket) => {
    const remotePort = socket.remotePort;
    report('secure', describe(socket));
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('end', () => {
      report('end', { remotePort });
      socket.end();
    });
    socket.on('error', (error) => report('error', { code: error.code, reason: error.message }));
  });
  server.on('tlsClientError', (error) => report('tlsClientError', { code: error.code || 'none' }));
  server.listen(0, '127.0.0.1', () => report('listening', { port: server.address().port }));
} else {
  const settings = context();
  settings.host = '127.0.0.1';
  settings.port = options.port;
  const socket = tls.connect(settings, () => {
    report('secure', describe(socket));
    socket.write(options.send);
  });
  socket.on('data', (chunk) => report('data', { hex: chunk.toString('hex') }));
  socket.on('end', () => report('end', { remotePort: socket.localPort }));
  socket.on('error', (error) => report('error', { code: error.code, reason: error.message }));
}

// The test ends the peer by closing stdin (or by killing the process).
readline.createInterface({ input: process.stdin }).on('close', () => process.exit(0));
