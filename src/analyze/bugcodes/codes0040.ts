/** Parameter meanings of the codes 0x40–0x7F, in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import {
  BY_P1,
  EXCEPTION_ADDRESS,
  EXCEPTION_CODE,
  FAULTING_IP_IF_KNOWN,
  MEMORY_REFERENCED,
  RESERVED,
  ZERO,
  p,
} from './common.js';

export const DETAILS_0040: DetailRows = [
  [
    0x00000044,
    {
      summary: 'A driver completed an IRP that had already been completed.',
      parameters: [p('IRP', 'Address of the IRP completed twice.'), RESERVED, RESERVED, RESERVED],
    },
  ],
  [
    0x0000004a,
    {
      summary: 'A thread went back to user mode from a system call while its IRQL was still above PASSIVE_LEVEL.',
      parameters: [
        p('System call', 'Address of the system service routine.'),
        p('IRQL', 'The IRQL at return.'),
        ZERO,
        ZERO,
      ],
    },
  ],
  [
    0x0000004e,
    {
      summary: 'A list in the page frame number (PFN) database is damaged; parameter 1 says what was wrong.',
      parameters: [p('Violation', 'Which PFN check failed; selects the meaning of the other parameters.'), ...BY_P1],
      cases: [
        [
          0x1,
          'A list head is damaged.',
          [p('ListHead', 'The damaged list head value.'), p('Available pages', 'Count of available pages.'), ZERO],
        ],
        [
          0x2,
          'A list entry is damaged.',
          [
            p('Entry', 'The entry being removed from the list.'),
            p('Highest page', 'Highest physical page number.'),
            p('Reference count', 'Reference count of the entry being removed.'),
          ],
        ],
        [
          0x6,
          'Hardware or prototype PTE data is damaged (single-bit memory errors, faulty DMA and the like).',
          [
            p('PFN', 'Page frame number.'),
            p('Prototype PTE', 'The prototype PTE.'),
            p('PTE contents', 'Contents of the PTE.'),
          ],
        ],
        [
          0x7,
          'A driver unlocked a page more often than it locked it.',
          [p('PFN', 'Page frame number.'), p('Share count', "The page's current share count."), ZERO],
        ],
        [
          0x8d,
          'The free page list is damaged; most likely a hardware fault.',
          [p('PFN', 'Page frame number whose state does not fit.'), ZERO, ZERO],
        ],
        [
          0x8f,
          'The head of the free or zeroed page list is damaged.',
          [p('New page', 'New page number.'), p('Old page', 'Old page number.'), ZERO],
        ],
        [
          0x99,
          'A PTE or PFN entry is damaged.',
          [p('PFN', 'Page frame number.'), p('Page state', 'Current state of the page.'), ZERO],
        ],
        [
          0x9a,
          'A driver freed a page that is still locked for I/O.',
          [
            p('PFN', 'Page frame number.'),
            p('Page state', 'Current state of the page.'),
            p('Reference count', 'Reference count of the entry being removed.'),
          ],
        ],
      ],
    },
  ],
  [
    0x00000050,
    {
      summary: 'Kernel code referenced memory that is not valid and could not be brought in.',
      parameters: [
        MEMORY_REFERENCED,
        p(
          'Operation',
          'x64/x86 since Windows 10 1507: 0 read, 2 write, 0x10 execute; Arm: 0 read, 1 write, 8 execute; older x64/x86: 0 read, 1 write.',
        ),
        FAULTING_IP_IF_KNOWN,
        p(
          'Fault type',
          '0 PTE marked free; 2 no valid page table; 3 session address used from a process without a session (until Windows 10 RS3); 4 non-canonical address; 0xF user address accessed where kernel code may not.',
        ),
      ],
    },
  ],
  [
    0x0000007a,
    {
      summary: 'A page of kernel data could not be read back into memory from the paging file.',
      parameters: [
        p(
          'Lock type or PTE',
          'If 1-4 (with the layout below), the kind of lock held; otherwise the address of the PTE of the page.',
        ),
        p('I/O status', 'Status of the failed read (usually an I/O error NTSTATUS such as 0xC000009C or 0xC000016A).'),
        p(
          'Process, InPageSupport or PTE contents',
          'Lock type 1 with parameter 3 zero: the current process; lock types 2-3 with zero: 0; lock types 3-4 with non-zero: the InPageSupport structure; PTE layout: the PTE contents.',
        ),
        p('Faulting address', 'Virtual address that could not be paged in.'),
      ],
    },
  ],
  [
    0x0000007b,
    {
      summary: 'Windows lost access to the boot (system) partition during startup.',
      parameters: [
        p(
          'Device or name',
          'Address of a UNICODE_STRING with the ARC name of the boot device, or of the DEVICE_OBJECT that could not be mounted (its first USHORT, the Type, is 3).',
        ),
        ZERO,
        ZERO,
        ZERO,
      ],
    },
  ],
  [
    0x0000007e,
    {
      summary: 'A system thread raised an exception that no handler caught.',
      parameters: [
        EXCEPTION_CODE,
        EXCEPTION_ADDRESS,
        p('Exception record', 'Address of the EXCEPTION_RECORD (`.exr` on it).'),
        p('Context record', 'Address of the CONTEXT at the exception (`.cxr` on it).'),
      ],
    },
  ],
  [
    0x0000007f,
    {
      summary: 'The processor raised a trap the kernel may not catch, or a double fault.',
      parameters: [
        p('Trap number', 'Processor exception vector that occurred (8, a double fault, is the usual one).'),
        RESERVED,
        RESERVED,
        RESERVED,
      ],
      cases: [
        [0x0, 'Divide error: a DIV or IDIV with a zero divisor (or a quotient that does not fit).'],
        [0x1, 'Debug exception (system debugger call).'],
        [0x3, 'Breakpoint (INT 3).'],
        [0x4, 'Overflow: INTO executed with the overflow flag set.'],
        [0x5, 'BOUND range exceeded.'],
        [0x6, 'Invalid opcode, usually a damaged instruction pointer or damaged code.'],
        [0x7, 'Device not available: a floating-point instruction with no coprocessor.'],
        [
          0x8,
          'Double fault: a fault while delivering another fault, most often a kernel stack overflow, otherwise hardware.',
        ],
        [0xa, 'Invalid task state segment.'],
        [0xb, 'Segment not present.'],
        [0xc, 'Stack-segment fault: a reference beyond the stack limits.'],
        [0xd, 'General protection fault.'],
        [0xf, 'Reserved trap.'],
        [0x10, 'x87 floating-point error.'],
        [0x11, 'Alignment check.'],
      ],
    },
  ],
];
