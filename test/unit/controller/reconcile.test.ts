import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Client } from '../../../sdk/client/client.ts';
import { ConflictError, apiErrorFrom } from '../../../sdk/client/errors.ts';
import { ignoreNotFound, requeueAfter, type ReconcileContext } from '../../../sdk/controller/reconcile.ts';

const context: ReconcileContext = {
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
  client: {} as Client,
  reconcileId: 'r1',
};
const request = { namespace: 'ns', name: 'a' };
const description = { method: 'GET', path: '/api/v1/namespaces/ns/configmaps/a' };

describe('ignoreNotFound', () => {
  it('passes results through, ends on NotFound, and rethrows anything else', async () => {
    assert.deepEqual(await ignoreNotFound(() => Promise.resolve(requeueAfter(5)))(request, context), {
      requeueAfterMs: 5,
    });
    const notFound = apiErrorFrom(404, { kind: 'Status', code: 404, reason: 'NotFound' }, description);
    assert.equal(
      await ignoreNotFound(() => Promise.reject<undefined>(notFound))(request, context),
      undefined,
    );
    const conflict = apiErrorFrom(409, { kind: 'Status', code: 409, reason: 'Conflict' }, description);
    assert.ok(conflict instanceof ConflictError);
    await assert.rejects(
      ignoreNotFound(() => Promise.reject<undefined>(conflict))(request, context),
      ConflictError,
    );
  });
});
