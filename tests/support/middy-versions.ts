/** The Middy majors the middleware is tested against (npm aliases in devDependencies). */
import middy7 from '@middy/core';
import middy5 from 'middy5';
import middy6 from 'middy6';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each major has its own types; the tests use the shared surface
type AnyMiddy = (handler: (event: any, context: any) => Promise<unknown>) => {
  use(middleware: object): AnyMiddy extends (...args: never[]) => infer R ? R : never;
  (event: unknown, context: unknown): Promise<unknown>;
};

export const MIDDY_VERSIONS: [string, AnyMiddy][] = [
  ['@middy/core 7', middy7 as unknown as AnyMiddy],
  ['@middy/core 6', middy6 as unknown as AnyMiddy],
  ['@middy/core 5', middy5 as unknown as AnyMiddy],
];
