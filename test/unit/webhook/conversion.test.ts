import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject, WebhookServer } from '../../../sdk/webhook/index.ts';
import { newTestServer, send, type ServingFiles } from './fixtures.ts';

interface WidgetV1 extends KubernetesObject {
  spec: { size: number };
}
interface WidgetV2 extends KubernetesObject {
  spec: { replicas: number };
}

const group = 'example.typerator.dev';

function conversionReview(desiredAPIVersion: string, objects: unknown[], uid = 'conv-1') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: { uid, desiredAPIVersion, objects },
  };
}

interface ConversionReply {
  apiVersion: string;
  kind: string;
  response: {
    uid: string;
    convertedObjects: KubernetesObject[];
    result: { status: string; message?: string };
  };
}

describe('conversion webhooks', () => {
  let server: WebhookServer;
  let files: ServingFiles;
  before(async () => {
    ({ server, files } = await newTestServer());
    server.convert(
      { group, kind: 'Widget' },
      {
        'v1->v2': (object: WidgetV1): WidgetV2 => {
          const { spec, ...rest } = object;
          return { ...rest, spec: { replicas: spec.size } };
        },
        'v2->v1': (object: WidgetV2): WidgetV1 => {
          const { spec, ...rest } = object;
          return { ...rest, spec: { size: spec.replicas } };
        },
      },
    );
    server.convert({ group, kind: 'Gadget', path: '/convert-gadget' }, (object, desiredVersion) => {
      if (desiredVersion === 'v9') throw new Error('v9 is not a version of Gadget');
      return { ...object, converted: desiredVersion };
    });
    server.convert({ group, kind: 'Sloth', handlerTimeoutMs: 100 }, async (object, _desiredVersion) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return object;
    });
    await server.start();
  });
  after(async () => {
    await server.stop();
    files.remove();
  });

  const post = async (path: string, body: unknown) => {
    const reply = await send(`${server.url}${path}`, files.caPem, JSON.stringify(body));
    return {
      status: reply.status,
      text: reply.text,
      body: reply.status === 200 ? (reply.json() as ConversionReply) : undefined,
    };
  };

  it('converts every object to the desired version per version pair, echoing the uid', async () => {
    const objects = [
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'a', uid: 'u-a' }, spec: { size: 3 } },
      {
        apiVersion: `${group}/v2`,
        kind: 'Widget',
        metadata: { name: 'b', uid: 'u-b' },
        spec: { replicas: 5 },
      },
    ];
    const { status, body } = await post(
      '/convert-example-typerator-dev-widget',
      conversionReview(`${group}/v2`, objects, 'u-42'),
    );
    assert.equal(status, 200);
    assert.equal(body?.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(body.kind, 'ConversionReview');
    assert.equal(body.response.uid, 'u-42');
    assert.deepEqual(body.response.result, { status: 'Success' });
    assert.deepEqual(body.response.convertedObjects, [
      {
        apiVersion: `${group}/v2`,
        kind: 'Widget',
        metadata: { name: 'a', uid: 'u-a' },
        spec: { replicas: 3 },
      },
      objects[1],
    ]);
  });

  it('fails the review, with a message naming the pair, when no converter exists', async () => {
    const objects = [
      { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'a' }, spec: { size: 1 } },
    ];
    const { body } = await post(
      '/convert-example-typerator-dev-widget',
      conversionReview(`${group}/v3`, objects),
    );
    assert.equal(body?.response.result.status, 'Failure');
    assert.match(body.response.result.message ?? '', /no converter from v1 to v3/);
    assert.deepEqual(body.response.convertedObjects, []);
  });

  it('fails the review when a converter throws', async () => {
    const objects = [{ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g' } }];
    const { body } = await post('/convert-gadget', conversionReview(`${group}/v9`, objects));
    assert.equal(body?.response.result.status, 'Failure');
    assert.match(body.response.result.message ?? '', /v9 is not a version of Gadget/);
  });

  it('sets apiVersion on the result of a function converter', async () => {
    const objects = [{ apiVersion: `${group}/v1`, kind: 'Gadget', metadata: { name: 'g' } }];
    const { body } = await post('/convert-gadget', conversionReview(`${group}/v2`, objects));
    assert.deepEqual(body?.response.convertedObjects, [
      { apiVersion: `${group}/v2`, kind: 'Gadget', metadata: { name: 'g' }, converted: 'v2' },
    ]);
  });

  it('fails the review when the converter overruns its time budget', async () => {
    const objects = [{ apiVersion: `${group}/v1`, kind: 'Sloth', metadata: { name: 's' } }];
    const { status, body } = await post(
      '/convert-example-typerator-dev-sloth',
      conversionReview(`${group}/v2`, objects),
    );
    assert.equal(status, 200);
    assert.equal(body?.response.result.status, 'Failure');
    assert.match(body?.response.result.message ?? '', /did not answer within 100 ms/);
  });

  it('refuses malformed ConversionReviews with 400', async () => {
    const cases: [unknown, RegExp][] = [
      [
        { ...conversionReview('x/v1', []), apiVersion: 'apiextensions.k8s.io/v1beta1' },
        /apiVersion must be apiextensions\.k8s\.io\/v1/,
      ],
      [{ ...conversionReview('x/v1', []), kind: 'AdmissionReview' }, /kind must be ConversionReview/],
      [{ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' }, /^request is required$/],
      [conversionReview('x/v1', [], ''), /^request\.uid is required$/],
      [conversionReview('', []), /^request\.desiredAPIVersion is required$/],
      [
        { ...conversionReview('x/v1', []), request: { uid: 'u', desiredAPIVersion: 'x/v1', objects: {} } },
        /request\.objects must be an array/,
      ],
      [conversionReview('x/v1', [1]), /request\.objects\[0\] must be an object/],
    ];
    for (const [body, message] of cases) {
      const reply = await post('/convert-gadget', body);
      assert.equal(reply.status, 400, reply.text);
      assert.match(reply.text, message);
    }
  });
});
