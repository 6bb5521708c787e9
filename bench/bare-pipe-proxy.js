// The benchmark's floor for a Node proxy: node:http in front of one upstream, each request piped straight through
// with Node's defaults (no framework, no headers added or checked). Run as a child: prints its URL on stdout.
//
//   node bench/bare-pipe-proxy.js http://127.0.0.1:PORT
import http from 'node:http';

const upstream = new URL(process.argv[2]);

const server = http.createServer((request, response) => {
  const outgoing = http.request(new URL(request.url, upstream), { method: request.method, headers: { ...request.headers, host: upstream.host } }, (answer) => {
    response.writeHead(answer.statusCode, answer.headers);
    answer.pipe(response);
  });
  outgoing.on('error', () => response.destroy());
  response.on('close', () => outgoing.destroy());
  request.pipe(outgoing);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
