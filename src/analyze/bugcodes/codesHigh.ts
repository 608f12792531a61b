/** Parameter meanings of the codes 0x200 and above (including the _M variants), in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import { NONE, RESERVED, ZERO, p } from './common.js';

export const DETAILS_HIGH: DetailRows = [
  [
    0x00020001,
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
      summary: 'A thread ended while it still owned a kernel mutex.',
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
        p('Status', 'The error code.'),
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
