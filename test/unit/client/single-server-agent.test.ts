import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { describe, it } from 'node:test';
import { SingleServerHttpsAgent } from '../../../sdk/client/single-server-agent.ts';

describe('SingleServerHttpsAgent', () => {
  it('names its one pool once, as Node would name it for the first request', () => {
    const tls = { keepAlive: true, ca: 'C'.repeat(1500), cert: 'X'.repeat(1200), key: 'K'.repeat(1600) };
    const agent = new SingleServerHttpsAgent(tls);
    const request = { host: '127.0.0.1', port: 6443, ...tls };
    const first = agent.getName(request);
    assert.equal(first, new HttpsAgent(tls).getName(request), 'the name Node itself computes');
    assert.ok(first.length > 4000, 'Node folds the CA, certificate and key into the name');
    assert.equal(agent.getName({ ...request }), first);
    assert.equal(agent.getName(), first, 'later requests reuse it without recomputing');
    agent.destroy();
  });
});
