import http from 'node:http';
import https from 'node:https';

/**
 * Gives the process's default HTTP agents a fresh connection for every request (no keep-alive), so
 * that the CometD long polls of the CDC subscription never run on a socket another client used before.
 * jsforce's streaming client (Faye) sends them through `node:http` with the default agent and offers
 * no way to pass another.
 *
 * Why: the OAuth token requests (axios, with a timeout) go through the same default agent; axios'
 * redirect layer (follow-redirects) makes a request's timeout `socket.on('timeout', socket.destroy)`
 * and leaves that listener on the socket when it returns to the keep-alive pool, where Node sets the
 * socket's timeout to the server's `Keep-Alive: timeout` hint minus a second (and keeps it when the
 * socket is reused, nodejs/node#53458). When the token host is the CometD host (the sandbox; a My
 * Domain login URL), the next long poll — held by the server for up to two minutes — gets that socket
 * and is destroyed after about 4 s. Faye reconnects, but change events the server had already handed
 * to the dead poll are gone: seen in the e2e runs as "Salesforce streaming connection lost" a few
 * seconds after every subscribe, and a lost Contact change. A fresh connection per request costs one
 * TCP/TLS handshake per poll (one per event burst or per two idle minutes) and per token request.
 * jsforce's REST calls go through undici and are not affected.
 */
export function useFreshConnectionsForLongPolls(): void {
  http.globalAgent = new http.Agent({ keepAlive: false });
  https.globalAgent = new https.Agent({ keepAlive: false });
}
