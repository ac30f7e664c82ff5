/** Where moto cannot start, the tests fail with a message that says how to install it (no skip). */
import { requireMotoServer } from '../support/moto.js';

it('names the install command when neither moto_server nor python3 -m moto.server runs', () => {
  expect(() => requireMotoServer({ PATH: '/nonexistent' })).toThrow("python3 -m pip install 'moto[server]'");
});

it('finds moto on this machine', () => {
  expect(['moto_server', 'python3']).toContain(requireMotoServer().command);
});
