import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGuid, encodeGuid, formatGuidBraced, parseGuid } from '../../src/format/guid.js';

test('GUID codec uses the Windows mixed-endian layout', () => {
  const bytes = encodeGuid('54c84888-01d1-4c1e-bed6-282c98241303');
  assert.deepEqual([...bytes.subarray(0, 8)], [0x88, 0x48, 0xc8, 0x54, 0xd1, 0x01, 0x1e, 0x4c]);
  assert.deepEqual([...bytes.subarray(8)], [0xbe, 0xd6, 0x28, 0x2c, 0x98, 0x24, 0x13, 0x03]);
  assert.equal(decodeGuid(bytes), '54c84888-01d1-4c1e-bed6-282c98241303');
  assert.equal(formatGuidBraced('54c84888-01d1-4c1e-bed6-282c98241303'), '{54C84888-01D1-4C1E-BED6-282C98241303}');
  assert.equal(parseGuid('{BF2297DC-34BA-11DC-868A-E19155D89593}'), 'bf2297dc-34ba-11dc-868a-e19155d89593');
  assert.throws(() => parseGuid('nope'), /not a GUID/);
});
