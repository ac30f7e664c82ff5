/**
 * `lambda-s3-spill/dev`: the dev server and the deployment check as functions,
 * for a user's own tests. A separate entry point: the main entry never imports
 * it, so neither it nor what it loads (s3rver, tsx: optional peers) can reach a
 * Lambda bundle.
 *
 * @packageDocumentation
 */
export { startDevServer, formatRecord, type DevServer, type DevServerOptions, type RequestRecord, type Outcome } from './server.js';
export { deploymentProblems, readEnvFile } from './check.js';
export type { DevFrontDoor } from './front-door.js';
export { DevSetupError } from './errors.js';
export { LOCAL_BUCKET_CORS } from './local-s3.js';
export { DEV_MARKER } from '../s3/endpoint-guard.js';
