import type { ConversionRequest, ConversionResponse, KubernetesObject } from './conversion-review.ts';
import { ConversionError } from './errors.ts';
import { withDeadline } from './handler-deadline.ts';

/**
 * Converts one object to `desiredVersion` (the version name, e.g. `v2`). The SDK sets `apiVersion`
 * on the result; metadata must be kept (the apiserver rejects changes other than labels/annotations).
 */
export type ConversionFunction = (
  object: KubernetesObject,
  desiredVersion: string,
) => KubernetesObject | Promise<KubernetesObject>;

/**
 * Converters per version pair, keyed `'<from>-><to>'`, e.g.
 * `{ 'v1->v2': (o: WidgetV1): WidgetV2 => …, 'v2->v1': (o: WidgetV2): WidgetV1 => … }`.
 * A pair with no entry fails the conversion with a message naming it.
 */
// `never` as the parameter type lets each entry declare its own typed parameter.
export type VersionPairConverters = Readonly<
  Record<`${string}->${string}`, (object: never) => KubernetesObject | Promise<KubernetesObject>>
>;

/** Either form a conversion handler can take. */
export type Converter = ConversionFunction | VersionPairConverters;

const versionOf = (apiVersion: string | undefined) => (apiVersion ?? '').split('/').pop() ?? '';

/** Turns a pair table into a function over (object, desiredVersion). */
export function converterFunction(converter: Converter): ConversionFunction {
  if (typeof converter === 'function') return converter;
  return (object, desiredVersion) => {
    const from = versionOf(object.apiVersion);
    const convert = converter[`${from}->${desiredVersion}`] as
      ((object: KubernetesObject) => KubernetesObject | Promise<KubernetesObject>) | undefined;
    if (!convert)
      throw new ConversionError(`no converter from ${from || '(no version)'} to ${desiredVersion}`);
    return convert(object);
  };
}

/**
 * Converts every object of a ConversionReview request. Objects already at the desired version pass
 * through untouched; any failure fails the whole review, as the API requires.
 */
export async function convertRequest(
  convert: ConversionFunction,
  request: ConversionRequest,
  webhookPath: string,
  timeoutMs: number,
): Promise<ConversionResponse> {
  const desiredVersion = versionOf(request.desiredAPIVersion);
  try {
    const convertedObjects = await withDeadline(webhookPath, timeoutMs, async () => {
      const results: KubernetesObject[] = [];
      for (const object of request.objects) {
        if (object.apiVersion === request.desiredAPIVersion) {
          results.push(object);
          continue;
        }
        const converted = await convert(structuredClone(object), desiredVersion);
        results.push({ ...converted, apiVersion: request.desiredAPIVersion });
      }
      return results;
    });
    return { uid: request.uid, convertedObjects, result: { status: 'Success' } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      uid: request.uid,
      convertedObjects: [],
      result: { status: 'Failure', message: `conversion to ${request.desiredAPIVersion} failed: ${reason}` },
    };
  }
}
