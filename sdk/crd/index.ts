/**
 * CRD generation from TypeScript types: `generateCrds` reads API types marked with JSDoc markers
 * (see markers.ts / README.md) and returns structural apiextensions.k8s.io/v1 CRDs.
 */
export {
  generateCrds,
  resolveEntryFiles,
  DEFAULT_ENTRIES,
  type GenerateCrdsOptions,
} from './generate-crds.ts';
export { generateTypeSchema, type TypeSchemaOptions } from './type-schema.ts';
export type { GeneratedCrd } from './assemble-crd.ts';
export {
  writeCrdFiles,
  checkCrdFiles,
  DEFAULT_OUT_DIR,
  type WriteCrdFilesResult,
  type CrdFilesCheck,
} from './crd-files.ts';
export { renderCrdYaml } from './crd-yaml.ts';
export { crdJsonBytes, ANNOTATION_SIZE_LIMIT_BYTES } from './crd-size.ts';
export { shortenDescription, limitCrdDescriptions } from './description-budget.ts';
export { checkStructuralSchema } from './structural-check.ts';
export type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  PrinterColumn,
} from './custom-resource-definition.ts';
export type { JsonSchema, ValidationRule } from './json-schema.ts';
export type { ResourceVersion } from './resource-version.ts';
export type { Int32, Int64, Quantity } from './types.ts';
export { markerNames, type MarkerName, type MarkerValues } from './markers.ts';
export type { SourceLocation } from './source-location.ts';
export {
  CrdSourceError,
  MarkerError,
  UnsupportedTypeError,
  StructuralSchemaError,
  ResourceDeclarationError,
  SourceSyntaxError,
  CrdGenerationError,
  NoResourcesError,
  InvalidOptionError,
} from './errors.ts';
