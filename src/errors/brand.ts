/**
 * Error classes recognized across two loaded copies of the library's modules.
 *
 * A `.ts` handler in a CommonJS package run by tsx gets the `dist` files turned
 * into CommonJS on `require`, while a module the library loads with `import()`
 * comes from the ESM copy: two `S3SpillError` classes, and `instanceof` of one
 * fails for an error made by the other. So each class carries a brand, a
 * `Symbol.for('lambda-s3-spill.<ClassName>')` (the global symbol registry is
 * shared by every copy) set on its prototype, and `instanceof` asks for the
 * brand (`static [Symbol.hasInstance]` of the base class, `S3SpillError`).
 *
 * @module errors/brand
 */

/** The static property holding a class's brand. */
const BRAND = Symbol.for('lambda-s3-spill.brand');

/** The brand of a class name: `Symbol.for('lambda-s3-spill.<name>')`. */
export function brandOf(name: string): symbol {
  return Symbol.for(`lambda-s3-spill.${name}`);
}

/**
 * Mark classes with the brands of their names: each prototype, and so every
 * instance of the class and of its subclasses, carries its brand.
 *
 * @param classes - the classes by name (`{ SpillUploadError }`: the key is the
 *   name, kept by a minifier that renames the class itself)
 */
export function brandClasses(classes: Record<string, abstract new (...args: never[]) => object>): void {
  for (const [name, cls] of Object.entries(classes)) {
    const brand = brandOf(name);
    Object.defineProperty(cls, BRAND, { value: brand });
    Object.defineProperty(cls.prototype, brand, { value: true });
  }
}

/**
 * `value instanceof cls`, by brand when `cls` has one of its own, else by the
 * prototype chain (a user's subclass without a brand).
 */
export function hasBrand(cls: object, value: unknown): boolean {
  const brand = Object.prototype.hasOwnProperty.call(cls, BRAND) ? (cls as Record<symbol, symbol>)[BRAND] : undefined;
  if (brand === undefined) return Function.prototype[Symbol.hasInstance].call(cls, value);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
