import axios from 'axios';
import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshConnectionsForLongPolls } from './long-poll-http-agents.js';

/** The port of this spec's server (the flow's test port range). */
const PORT = 20490;

/** A POST through the default agent, as Faye sends its long polls. */
function longPoll(): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port: PORT, path: '/cometd', method: 'POST' },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve(body));
      },
    );
    request.on('error', reject);
    request.end('[]');
  });
}

describe('HTTP agents for the CDC long polls', () => {
  // Like the Salesforce sandbox: Node's server defaults (Keep-Alive: timeout=5); a poll held 6 s.
  const server = http.createServer((request, response) => {
    setTimeout(() => response.end(request.url), request.url === '/cometd' ? 6_000 : 0);
  });
  const defaults = { http: http.globalAgent, https: https.globalAgent };

  beforeAll(async () => {
    server.listen(PORT, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(async () => {
    http.globalAgent = defaults.http;
    https.globalAgent = defaults.https;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keep a long poll alive after a token request to the same host (with keep-alive it is cut after ~4 s)', async () => {
    useFreshConnectionsForLongPolls();
    // The token request, as SalesforceAuth makes it (axios with a timeout).
    await axios.post(`http://127.0.0.1:${PORT}/services/oauth2/token`, '', { timeout: 30_000 });
    await expect(longPoll()).resolves.toBe('/cometd');
  }, 15_000);
});
