// Kubernetes resource quantities (500m, 512Mi, 1.5Gi, 2e3) as plain numbers. client-node's
// quantityToScalar is not exported from its entry point, returns bigint for binary suffixes and
// throws on fractions such as 1.5Gi, which are valid quantities; a price only needs a float.

/** A string that is not a Kubernetes quantity. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
  readonly quantity: string;

  constructor(quantity: string) {
    super(`"${quantity}" is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 1.5Gi)`);
    this.quantity = quantity;
  }
}

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const QUANTITY =
  /^([+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/** The value of a quantity in base units (cores for CPU, bytes for memory). */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = QUANTITY.exec(quantity.trim());
  if (!match?.[1]) throw new QuantityError(quantity);
  const [, mantissa = '', exponent, suffix = ''] = match;
  const value = exponent ? Number(mantissa + exponent) : Number(mantissa) * (SUFFIX[suffix] ?? Number.NaN);
  if (!Number.isFinite(value)) throw new QuantityError(quantity);
  return value;
}
