/**
 * negotiator 1.x's Accept-Encoding module, imported alone (`@types/negotiator`
 * types only the package's index): the codings of `provided` the header
 * accepts, best first; among equal q-values, in the order of `preferred`.
 */
declare module 'negotiator/lib/encoding.js' {
  function preferredEncodings(accept: string | undefined, provided: readonly string[], preferred?: readonly string[]): string[];
  export default preferredEncodings;
}
