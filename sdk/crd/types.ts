/**
 * Type aliases that carry schema meaning by name. The TypeScript checker erases aliases of
 * primitives, so the CRD generator recognises these by the name written at the use site.
 */

/** A 32-bit integer: `type: integer, format: int32`. A float default or bound is an error. */
export type Int32 = number;

/** A 64-bit integer: `type: integer, format: int64`. */
export type Int64 = number;

/**
 * A resource quantity such as `500m`, `1Gi` or `2`: int-or-string with the quantity pattern,
 * like controller-gen emits for resource.Quantity.
 */
export type Quantity = number | string;
