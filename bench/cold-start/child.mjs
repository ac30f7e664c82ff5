// One fresh process of the cold-start section (bench/cold-start.ts): load a bundle,
// time the load (the process's own start excluded; wall time and the process's CPU time), invoke the handler once, print
// one JSON line. Plain JavaScript run by node itself (no tsx hooks in the timing).
// argv: bundle path, 'cjs' | 'esm', 'fits' | 'spill'.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [bundle, format, mode] = process.argv.slice(2);
const c0 = process.cpuUsage();
const t0 = performance.now();
const mod = format === 'esm' ? await import(pathToFileURL(bundle).href) : createRequire(import.meta.url)(bundle);
const t1 = performance.now();
const cpu = process.cpuUsage(c0);
const event = { version: '2.0', rawPath: '/', rawQueryString: mode, headers: {}, requestContext: { http: { method: 'GET', path: '/' } } };
const out = await mod.handler(event, { getRemainingTimeInMillis: () => 30_000 });
const t2 = performance.now();
const status = out?.statusCode ?? (out === undefined ? 'undefined' : typeof out);
process.stdout.write(
  `${JSON.stringify({ importMs: t1 - t0, importCpuMs: (cpu.user + cpu.system) / 1000, invokeMs: t2 - t1, status, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
);
process.exit(0);
