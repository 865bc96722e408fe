import {
  ADMISSION_API_VERSIONS,
  ADMISSION_OPERATIONS,
  type AdmissionApiVersion,
  type AdmissionRequest,
} from './admission-review.ts';
import { CONVERSION_API_VERSION, type ConversionRequest } from './conversion-review.ts';
import { WebhookRequestError } from './errors.ts';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (message: string) => new WebhookRequestError(400, message);

/** Parses a request body as JSON; malformed JSON is a 400 that says so. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw invalid('request body is empty; expected a JSON review');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw invalid(`request body is not valid JSON: ${detail}`);
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value;
}

function requireReviewHeader(body: unknown, kind: string, apiVersions: readonly string[]): JsonObject {
  if (!isObject(body))
    throw invalid(`request body must be a JSON object of kind ${kind}, got ${describeValue(body)}`);
  if (typeof body['apiVersion'] !== 'string' || !apiVersions.includes(body['apiVersion']))
    throw invalid(`apiVersion must be ${apiVersions.join(' or ')}, got ${describeValue(body['apiVersion'])}`);
  if (body['kind'] !== kind) throw invalid(`kind must be ${kind}, got ${describeValue(body['kind'])}`);
  const request = body['request'];
  if (request === undefined || request === null) throw invalid('request is required');
  if (!isObject(request)) throw invalid(`request must be an object, got ${describeValue(request)}`);
  if (typeof request['uid'] !== 'string' || request['uid'] === '') throw invalid('request.uid is required');
  return request;
}

function optionalString(request: JsonObject, field: string): void {
  const value = request[field];
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw invalid(`request.${field} must be a string, got ${describeValue(value)}`);
}

function optionalObject(request: JsonObject, field: string): void {
  const value = request[field];
  if (value !== undefined && value !== null && !isObject(value))
    throw invalid(`request.${field} must be an object, got ${describeValue(value)}`);
}

/** Checks the shape of an AdmissionReview body and returns its request and apiVersion. */
export function parseAdmissionReview(body: unknown): {
  apiVersion: AdmissionApiVersion;
  request: AdmissionRequest;
} {
  const request = requireReviewHeader(body, 'AdmissionReview', ADMISSION_API_VERSIONS);
  const operation = request['operation'];
  if (typeof operation !== 'string' || !(ADMISSION_OPERATIONS as readonly string[]).includes(operation))
    throw invalid(
      `request.operation must be one of ${ADMISSION_OPERATIONS.join(', ')}, got ${describeValue(operation)}`,
    );
  for (const field of ['name', 'namespace', 'subResource']) optionalString(request, field);
  for (const field of ['kind', 'resource', 'userInfo', 'object', 'oldObject']) optionalObject(request, field);
  const dryRun = request['dryRun'];
  if (dryRun !== undefined && dryRun !== null && typeof dryRun !== 'boolean')
    throw invalid(`request.dryRun must be a boolean, got ${describeValue(dryRun)}`);
  const userInfo = request['userInfo'];
  if (isObject(userInfo)) {
    const groups = userInfo['groups'];
    if (
      groups !== undefined &&
      groups !== null &&
      !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
    )
      throw invalid('request.userInfo.groups must be an array of strings');
    if (userInfo['username'] !== undefined && typeof userInfo['username'] !== 'string')
      throw invalid('request.userInfo.username must be a string');
  }
  return {
    // Checked by requireReviewHeader.
    apiVersion: (body as { apiVersion: AdmissionApiVersion }).apiVersion,
    request: request as unknown as AdmissionRequest,
  };
}

/** Checks the shape of a ConversionReview body and returns its request. */
export function parseConversionReview(body: unknown): ConversionRequest {
  const request = requireReviewHeader(body, 'ConversionReview', [CONVERSION_API_VERSION]);
  const desired = request['desiredAPIVersion'];
  if (typeof desired !== 'string' || desired === '') throw invalid('request.desiredAPIVersion is required');
  const objects = request['objects'];
  if (!Array.isArray(objects))
    throw invalid(`request.objects must be an array, got ${describeValue(objects)}`);
  objects.forEach((object: unknown, index) => {
    if (!isObject(object))
      throw invalid(`request.objects[${index}] must be an object, got ${describeValue(object)}`);
  });
  return request as unknown as ConversionRequest;
}
