// The Typerator side of the webhook comparison in `npm run bench -- peers`
// (test/bench/peers-webhook.bench.ts): a WebhookServer with one validating handler for ConfigMaps,
// deciding as test/bench/webhook.bench.ts's does and as the controller-runtime peer's webhook mode
// (controller-runtime/webhook.go) does: deny a ConfigMap whose data has a key "forbidden", allow any
// other. Serves tls.crt/tls.key from --cert-dir on 127.0.0.1 at /validate--v1-configmap until
// SIGTERM.
//
//   node test/bench/peers/typerator-webhook.ts --cert-dir=/tmp/certs --port=9443
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { allow, deny, WebhookServer } from '../../../sdk/webhook/index.ts';

const { values } = parseArgs({
  options: { 'cert-dir': { type: 'string' }, port: { type: 'string', default: '9443' } },
});
const certDir = values['cert-dir'];
if (!certDir) throw new Error('--cert-dir is required');

// Warnings only, as webhook.bench.ts: per-request lines are at debug either way.
const server = new WebhookServer({
  host: '127.0.0.1',
  port: Number(values.port),
  certDir,
  logger: pino({ level: 'warn' }),
});
server.validate<{ data?: Record<string, string> }>(
  { group: '', version: 'v1', kind: 'ConfigMap' },
  (context) => (context.object?.data?.['forbidden'] === undefined ? allow() : deny('forbidden key')),
);
await server.start();
process.once('SIGTERM', () => {
  void server.stop().finally(() => process.exit(0));
});
