/**
 * The error of `lambda-s3-spill dev` and `check` for what the user must fix
 * before anything runs (a module that does not load, an export that is not a
 * function, a port in use, a missing optional peer): the CLI prints its message
 * alone, without a stack, and exits 1.
 *
 * @module dev/errors
 */
export class DevSetupError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DevSetupError';
  }
}
