/** Parameter meanings of the codes 0x200 and above (including the _M variants), in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import { BY_P1, NONE, RESERVED, ZERO, p } from './common.js';

const BRB = p('BRB', 'Address of the Bluetooth request block.');
const SERVER_HANDLE = p('Server handle', 'The server handle.');

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function detailsHigh(): DetailRows {
  return [
    [
      0x356,
      {
        summary: 'The Xbox eractrl.sys driver could not move the console into or out of connected standby in time.',
        parameters: [
          p('CS exit', 'Whether the stuck transition was the exit from connected standby.'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xbfe,
      {
        summary: 'The Bluetooth verifier caught a driver misusing the Bluetooth stack; parameter 1 says how.',
        parameters: [
          p('Subtype', 'Which Bluetooth verifier check failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [0x1, 'A Bluetooth request block (BRB) already in use was submitted.', [BRB, RESERVED, RESERVED]],
          [0x2, 'A BRB still in use was freed.', [BRB, RESERVED, RESERVED]],
          [
            0x3,
            'An invalid BRB type was allocated or initialized.',
            [BRB, p('PDO extension', 'The PDO extension, if known.'), RESERVED],
          ],
          [0x4, 'An invalid BRB pointer was submitted.', [BRB, RESERVED, RESERVED]],
          [
            0x5,
            'A BRB of invalid size was submitted.',
            [BRB, p('Actual size', 'Size of the BRB.'), p('Expected size', 'Size it should have.')],
          ],
          [0x6, 'IOCTL_BTH_GET_DEVICE_INFO was called with invalid parameters.', [RESERVED, RESERVED, RESERVED]],
          [
            0x7,
            'BRB_L2CA_UNREGISTER_SERVER was submitted with an invalid server handle.',
            [SERVER_HANDLE, RESERVED, RESERVED],
          ],
          [
            0x8,
            'BRB_L2CA_CLOSE_CHANNEL was submitted with an invalid channel handle.',
            [BRB, p('Channel handle', 'The channel handle.'), RESERVED],
          ],
          [
            0x9,
            'BRB_SCO_UNREGISTER_SERVER was submitted with an invalid server handle.',
            [SERVER_HANDLE, RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0xbff,
      {
        summary: 'The Bluetooth miniport extensible driver verifier caught a violation; parameter 1 says which.',
        parameters: [p('Subtype', 'Which check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A packet was returned with a type that does not match its request.',
            [p('Returned type', 'Packet type returned.'), p('Expected type', 'Packet type expected.'), RESERVED],
          ],
          [
            0x2,
            'An unexpected status was returned, so the packet was discarded.',
            [p('Status', 'The unexpected status.', 'status'), RESERVED, RESERVED],
          ],
          [
            0x3,
            'The lower transport driver reported a wrong output buffer size for the bytes it wrote.',
            [p('Size', 'The unexpected buffer size.'), p('Expected size', 'The size expected.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x20001,
      {
        summary: 'The hypervisor hit an error it cannot recover from.',
        parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x1000007e, { summary: 'A system thread raised an exception that no handler caught (the _M form of 0x7E).' }],
    [
      0x1000007f,
      { summary: 'The processor raised a trap the kernel may not catch, or a double fault (the _M form of 0x7F).' },
    ],
    [0x1000008e, { summary: 'An exception raised by kernel-mode code was not caught (the _M form of 0x8E).' }],
    [0x100000ea, { summary: 'A thread in a device driver is spinning without end (the _M form of 0xEA).' }],
    [
      0x4000008a,
      {
        summary:
          'A thread ended while it still owned a kernel mutex (a driver returned to user mode holding it, or faulted).',
        parameters: [
          p('Thread', 'Address of the KTHREAD that owns the mutex.'),
          p('Mutex', 'Address of the KMUTEX it owns.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xc0000218,
      {
        summary: 'A registry hive file could not be loaded; it is missing or damaged.',
        parameters: [p('Hive name', 'Address of the name of the hive that failed to load.'), ZERO, ZERO, ZERO],
      },
    ],
    [
      0xc000021a,
      {
        summary: 'A critical user-mode process (Winlogon) ended unexpectedly.',
        parameters: [
          p('Message', 'Address of a string naming the problem.'),
          p('Status', 'The error code.', 'status'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xc0000221,
      {
        summary: 'A driver or system library image is damaged: its checksum does not match.',
        parameters: NONE,
      },
    ],
    [
      0xdeaddead,
      {
        summary: 'A crash was initiated on purpose (the alternative code for a manually initiated crash).',
        parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
      },
    ],
  ];
}
