/**
 * The bench's reference: y-websocket 1.5.4's own in-memory server utilities (bin/utils.js,
 * setupWSConnection: one shared Y.Doc per room, no auth, no rules, no persistence) behind a bare
 * http + ws server, as its bin/server.js does. Installed under the alias y-websocket-ref.
 */
const http = require('node:http');
const path = require('node:path');
const { WebSocketServer } = require('ws');

// The package's exports map names ./bin/utils; resolve it through the package directory.
const refDir = path.dirname(require.resolve('y-websocket-ref/package.json'));
const { setupWSConnection } = require(path.join(refDir, 'bin', 'utils.js'));

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('reference');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => setupWSConnection(ws, req, { gc: true }));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
