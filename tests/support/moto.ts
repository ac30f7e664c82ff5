/** moto in server mode for the tests: the launcher the demo uses (samples/local/moto-server.ts). */
export { requireMotoServer, startMoto, type Moto } from '../../samples/local/moto-server.js';
