/** Parameter meanings of the codes 0xC0–0xFF, in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import {
  BY_P1,
  CURRENT_IRQL,
  FAULTING_IP,
  FAULTING_IP_IF_KNOWN,
  FREED_OR_OVERRUN_POOL,
  IRQL_AT_FAULT,
  MDL,
  MDL_FLAGS,
  MEMORY_REFERENCED,
  NONE,
  POOL_ADDRESS,
  POOL_TYPE,
  RAISED_IRQL_FAULT,
  READ_OR_WRITE,
  RESERVED,
  RULE_STATE,
  RULE_TEXT,
  ZERO,
  p,
} from './common.js';

export const DETAILS_00C0: DetailRows = [
  [
    0x000000c1,
    {
      summary: 'Special pool caught a driver writing outside its block or misusing the pool; parameter 4 says how.',
      parameters: [
        p(
          'Address or IRQL',
          'Usually the address the driver tried to free; the current IRQL for subtypes 0x30 and 0x31.',
        ),
        p('Detail', 'Meaning depends on parameter 4; see its case.'),
        p('Detail', 'Meaning depends on parameter 4; see its case.'),
        p('Subtype', 'Which special pool check failed; selects the meaning of the other parameters.'),
      ],
      caseParameter: 4,
      cases: [
        [
          0x20,
          'A driver freed pool that was never allocated.',
          [p('Address', 'The address the driver tried to free.'), RESERVED, ZERO],
        ],
        [
          [0x21, 0x22],
          'A driver freed a bad address.',
          [
            p('Address', 'The address the driver tried to free.'),
            p('Bytes requested', 'Size asked for.'),
            p('Bytes given', 'Size actually handed to the caller.'),
          ],
        ],
        [
          0x23,
          'A freed block was fine, but bytes near it in the same page were damaged.',
          [p('Address', 'The address freed.'), p('Damaged at', 'Address where the damage was found.'), RESERVED],
        ],
        [
          0x24,
          'A freed block had bytes beyond its end overwritten.',
          [p('Address', 'The address freed.'), p('Damaged at', 'Address where the damage was found.'), RESERVED],
        ],
        [
          0x30,
          'A driver allocated pool at an IRQL that is not allowed.',
          [CURRENT_IRQL, POOL_TYPE, p('Size', 'Number of bytes requested.')],
        ],
        [
          0x31,
          'A driver freed pool at an IRQL that is not allowed.',
          [CURRENT_IRQL, POOL_TYPE, p('Address', 'The address freed.')],
        ],
        [
          0x32,
          'A freed block had a single-bit error in nearby bytes of the same page.',
          [p('Address', 'The address freed.'), p('Damaged at', 'Address of the flipped bit.'), RESERVED],
        ],
      ],
    },
  ],
  [
    0x000000c2,
    {
      summary: 'The current thread made a pool request that is not allowed; parameter 1 says which.',
      parameters: [p('Violation', 'Kind of bad pool request; selects the meaning of the other parameters.'), ...BY_P1],
      cases: [
        [
          0x0,
          'A pool allocation of zero bytes was requested.',
          [ZERO, POOL_TYPE, p('Pool tag', 'Tag of the request.')],
        ],
        [
          [0x1, 0x2, 0x4],
          'A pool header is damaged.',
          [p('Pool header', 'Address of the pool header.'), p('Header contents', 'First part of the header.'), ZERO],
        ],
        [
          0x6,
          'Pool that was already freed was freed again.',
          [RESERVED, p('Pool header', 'Address of the pool header.'), p('Header contents', 'Contents of the header.')],
        ],
        [
          0x7,
          'Pool that was already freed was freed again.',
          [
            RESERVED,
            p('Header contents', 'Contents of the pool header.'),
            p('Block', 'Address of the block being freed.'),
          ],
        ],
        [
          0x8,
          'Pool was allocated at an IRQL that is not allowed.',
          [CURRENT_IRQL, POOL_TYPE, p('Size', 'Bytes requested.')],
        ],
        [0x9, 'Pool was freed at an IRQL that is not allowed.', [CURRENT_IRQL, POOL_TYPE, POOL_ADDRESS]],
        [
          0xa,
          'Pool was freed with a tag other than the one it was allocated with (it may belong to someone else).',
          [
            POOL_ADDRESS,
            p('Allocator tag', 'Tag the block was allocated with.'),
            p('Free tag', 'Tag passed to the free.'),
          ],
        ],
        [
          [0xb, 0xc, 0xd],
          'Quota was released on a damaged pool allocation.',
          [POOL_ADDRESS, p('Pool tag', 'Tag of the allocation.'), p('Quota process', 'The bad quota process pointer.')],
        ],
        [
          0x40,
          'Kernel pool was freed at a user-mode address.',
          [p('Address', 'Start of the block.'), p('System space start', 'Start of system address space.'), ZERO],
        ],
        [
          [0x41, 0x47],
          'A nonpaged pool address that is not allocated was freed.',
          [
            p('Address', 'Start of the block.'),
            p('Page frame', 'Physical page frame.'),
            p('Highest frame', 'Highest physical page frame.'),
          ],
        ],
        [
          [0x42, 0x43],
          'A virtual address that never belonged to any pool was freed.',
          [p('Address', 'The address freed.'), ZERO, ZERO],
        ],
        [
          0x44,
          'A nonpaged pool address that is not allocated was freed.',
          [p('Address', 'Start of the block.'), RESERVED, ZERO],
        ],
        [0x46, 'An invalid pool address was freed.', [p('Address', 'Start of the block.'), ZERO, ZERO]],
        [
          0x48,
          'A paged pool address that is not allocated was freed.',
          [p('Address', 'Start of the block.'), RESERVED, RESERVED],
        ],
        [
          0x50,
          'A paged pool address that is not allocated was freed.',
          [
            p('Address', 'Start of the block.'),
            p('Page offset', 'Offset in pages from the start of paged pool.'),
            p('Paged pool size', 'Size of paged pool, in bytes.'),
          ],
        ],
        [
          0x60,
          'An invalid contiguous memory address was freed (a bad pointer passed to MmFreeContiguousMemory).',
          [p('Address', 'Start of the block.'), ZERO, ZERO],
        ],
        [
          0x99,
          'Pool was freed at an invalid address, or the pool header is damaged.',
          [p('Address', 'The address freed.'), ZERO, ZERO],
        ],
        [
          0x9a,
          'An allocation was marked MUST_SUCCEED, a pool type no longer supported.',
          [POOL_TYPE, p('Size', 'Bytes requested.'), p('Pool tag', 'Tag of the request.')],
        ],
        [
          0x9b,
          'Pool was requested with a tag of 0, which cannot be tracked.',
          [POOL_TYPE, p('Size', 'Bytes requested.'), p('Caller', 'Address of the caller.')],
        ],
        [
          0x9c,
          'Pool was requested with the tag "BIG", which cannot be tracked.',
          [POOL_TYPE, p('Size', 'Bytes requested.'), p('Caller', 'Address of the caller.')],
        ],
        [
          0x9d,
          'Pool was requested with a tag containing no letters or digits.',
          [p('Tag', 'The tag used.'), POOL_TYPE, p('Caller', 'Address of the caller.')],
        ],
        [
          0x41286,
          'A paged pool address in the middle of an allocation was freed.',
          [RESERVED, RESERVED, p('Page offset', 'Offset in pages from the start of paged pool.')],
        ],
      ],
    },
  ],
  [
    0x000000c4,
    {
      summary: 'Driver Verifier caught a driver breaking a rule; parameter 1 names the rule.',
      parameters: [
        p('Violation', 'Driver Verifier check that failed; selects the meaning of the other parameters.'),
        ...BY_P1,
      ],
      cases: [
        [
          0x0,
          'The driver requested a zero-byte pool allocation.',
          [CURRENT_IRQL, POOL_TYPE, p('Size', 'Bytes requested.')],
        ],
        [
          0x1,
          'The driver allocated paged pool above APC_LEVEL.',
          [CURRENT_IRQL, POOL_TYPE, p('Size', 'Bytes requested.')],
        ],
        [
          0x2,
          'The driver allocated nonpaged pool above DISPATCH_LEVEL.',
          [CURRENT_IRQL, POOL_TYPE, p('Size', 'Bytes requested.')],
        ],
        [0x10, 'The driver freed an address no allocation returned.', [p('Address', 'The bad address.'), ZERO, ZERO]],
        [0x11, 'The driver freed paged pool above APC_LEVEL.', [CURRENT_IRQL, POOL_TYPE, POOL_ADDRESS]],
        [0x12, 'The driver freed nonpaged pool above DISPATCH_LEVEL.', [CURRENT_IRQL, POOL_TYPE, POOL_ADDRESS]],
        [
          [0x13, 0x14],
          'The driver freed pool that was already freed.',
          [RESERVED, p('Pool header', 'Address of the pool header.'), p('Header contents', 'Contents of the header.')],
        ],
        [
          0x15,
          'The pool being freed contains a timer that is still active.',
          [p('Timer', 'Address of the timer.'), POOL_TYPE, POOL_ADDRESS],
        ],
        [
          0x16,
          'The driver freed pool at a bad address or passed bad arguments to a memory routine.',
          [RESERVED, POOL_ADDRESS, ZERO],
        ],
        [
          0x17,
          'The pool being freed contains an ERESOURCE that is still active.',
          [p('Resource', 'Address of the resource.'), POOL_TYPE, POOL_ADDRESS],
        ],
        [
          0x30,
          'KeRaiseIrql was asked for a lower IRQL than the current one.',
          [CURRENT_IRQL, p('Requested IRQL', 'IRQL passed in.'), ZERO],
        ],
        [
          0x31,
          'KeLowerIrql was asked for a higher IRQL, or for one not allowed inside a DPC.',
          [
            CURRENT_IRQL,
            p('Requested IRQL', 'IRQL passed in.'),
            p('Reason', '0: the new IRQL is bad; 1: the new IRQL is not allowed inside a DPC routine.'),
          ],
        ],
        [
          0x32,
          'KeReleaseSpinLock was called at an IRQL other than DISPATCH_LEVEL (perhaps a double release).',
          [CURRENT_IRQL, p('Spin lock', 'Address of the spin lock.'), ZERO],
        ],
        [
          0x33,
          'A fast mutex was acquired above APC_LEVEL.',
          [CURRENT_IRQL, p('Fast mutex', 'Address of the fast mutex.'), ZERO],
        ],
        [
          0x34,
          'A fast mutex was released at an IRQL other than APC_LEVEL.',
          [
            CURRENT_IRQL,
            p('APC disable count', "The thread's APC disable count."),
            p('Fast mutex', 'Address of the fast mutex.'),
          ],
        ],
        [
          0x35,
          'The kernel released a spin lock at an IRQL other than DISPATCH_LEVEL.',
          [CURRENT_IRQL, p('Spin lock', 'Address of the spin lock.'), p('Old IRQL', 'IRQL to return to.')],
        ],
        [
          0x36,
          'The kernel released a queued spin lock at an IRQL other than DISPATCH_LEVEL.',
          [CURRENT_IRQL, p('Spin lock number', 'Number of the queued spin lock.'), p('Old IRQL', 'IRQL to return to.')],
        ],
        [
          [0x37, 0x38],
          'A resource was acquired (0x37) or released (0x38) without APCs disabled.',
          [
            CURRENT_IRQL,
            p('APC disable count', "The thread's APC disable count."),
            p('Resource', 'Address of the resource.'),
          ],
        ],
        [
          [0x39, 0x3a],
          'An "unsafe" mutex acquire (0x39) or release (0x3A) was entered at an IRQL other than APC_LEVEL.',
          [
            CURRENT_IRQL,
            p('APC disable count', "The thread's APC disable count."),
            p('Mutex', 'Address of the mutex.'),
          ],
        ],
        [
          0x3b,
          'A KeWaitXxx routine was called at DISPATCH_LEVEL or above.',
          [CURRENT_IRQL, p('Object', 'Object waited on.'), p('Timeout', 'The time-out argument.')],
        ],
        [
          0x3c,
          'ObReferenceObjectByHandle was given a bad handle.',
          [p('Handle', 'The handle passed.'), p('Object type', 'Object type asked for.'), ZERO],
        ],
        [0x3e, 'KeLeaveCriticalRegion was called by a thread not in a critical region.', [ZERO, ZERO, ZERO]],
        [
          0x3f,
          "An object's reference count went wrong: referenced when already at zero, or dereferenced past zero.",
          [
            p('Object', 'Address of the object.'),
            p('New count', 'Resulting reference count (-1 on the dereference path, 1 on the reference path).'),
            ZERO,
          ],
        ],
        [
          [0x40, 0x41],
          'KeAcquireSpinLockAtDpcLevel (0x40) or KeReleaseSpinLockFromDpcLevel (0x41) was called below DISPATCH_LEVEL.',
          [CURRENT_IRQL, p('Spin lock', 'Address of the spin lock.'), ZERO],
        ],
        [
          0x42,
          'KeAcquireSpinLock was called above DISPATCH_LEVEL.',
          [CURRENT_IRQL, p('Spin lock', 'Address of the spin lock.'), ZERO],
        ],
        [
          0x51,
          'The driver freed memory after writing past its end (pool tracking).',
          [
            p('Allocation', 'Base address of the allocation.'),
            p('Reference', 'Address of the write beyond the end.'),
            p('Charged bytes', 'Bytes charged for the allocation.'),
          ],
        ],
        [
          0x60,
          'The driver is unloading without freeing its pool.',
          [
            p('Paged bytes', 'Bytes still allocated from paged pool.'),
            p('Nonpaged bytes', 'Bytes still allocated from nonpaged pool.'),
            p('Allocations', 'Number of allocations not freed.'),
          ],
        ],
        [
          0x61,
          'A driver thread allocated pool while the driver was unloading.',
          [
            p('Paged bytes', 'Bytes allocated from paged pool.'),
            p('Nonpaged bytes', 'Bytes allocated from nonpaged pool.'),
            p('Allocations', 'Number of allocations not freed.'),
          ],
        ],
        [
          0x62,
          'The driver is unloading without freeing its pool.',
          [
            p('Driver name', 'Name of the driver.'),
            RESERVED,
            p('Allocations', 'Allocations not freed, paged and nonpaged together.'),
          ],
        ],
        [
          0x6f,
          'MmProbeAndLockPages was called on pages outside the PFN database.',
          [MDL, p('Page', 'Physical page being locked.'), p('Highest page', 'Highest physical page of the system.')],
        ],
        [
          0x70,
          'MmProbeAndLockPages was called above DISPATCH_LEVEL.',
          [CURRENT_IRQL, MDL, p('Access mode', 'Access mode passed.')],
        ],
        [0x78, 'MmUnlockPages was called above DISPATCH_LEVEL.', [CURRENT_IRQL, MDL, ZERO]],
        [0x7c, 'MmUnlockPages was given an MDL whose pages were never locked.', [MDL, MDL_FLAGS, ZERO]],
        [
          0x80,
          'KeSetEvent was called above DISPATCH_LEVEL.',
          [CURRENT_IRQL, p('Event', 'Address of the event.'), ZERO],
        ],
        [0x91, 'The driver switched stacks in a way the system does not support.', [RESERVED, RESERVED, RESERVED]],
        [0xc0, 'IoCallDriver was called with interrupts disabled.', [p('IRP', 'Address of the IRP.'), ZERO, RESERVED]],
        [
          0xc1,
          'A dispatch routine returned with interrupts disabled.',
          [p('Dispatch routine', 'Address of the dispatch routine.'), RESERVED, RESERVED],
        ],
        [
          0xc5,
          "A dispatch routine changed the thread's APC disable count.",
          [
            p('Dispatch routine', 'Address of the dispatch routine.'),
            p('APC disable count', 'Count now.'),
            p('Previous count', 'Count before the call.'),
          ],
        ],
        [
          0xe0,
          'A kernel function that needs a kernel-mode address was given a user-mode one.',
          [p('Address', 'The user-mode address passed.'), p('Size', 'Size of the range in bytes.'), RESERVED],
        ],
        [
          0xe2,
          'An IRP with RequestorMode KernelMode holds a user-mode address.',
          [p('IRP', 'Address of the IRP.'), p('Address', 'The user-mode address in it.'), RESERVED],
        ],
        [
          0xe3,
          'A driver called a ZwXxx routine with a user-mode address.',
          [p('Call site', 'Address of the call.'), p('Address', 'The user-mode address passed.'), RESERVED],
        ],
        [
          0xe6,
          'A Zw routine was called not at PASSIVE_LEVEL, or with special kernel APCs disabled.',
          [
            p('Call site', 'Address in the driver that made the call.'),
            CURRENT_IRQL,
            p('Special kernel APCs', 'State of special kernel APC delivery.'),
          ],
        ],
        [
          0xf0,
          'memcpy was called with overlapping source and destination.',
          [p('Destination', 'Destination buffer.'), p('Source', 'Source buffer.'), p('Size', 'Bytes to copy.')],
        ],
        [
          0xf6,
          'A driver referenced a user-mode handle as if it were a kernel handle.',
          [
            p('Handle', 'The handle value.'),
            p('Process', 'Current process.'),
            p('Call site', 'Address in the driver making the reference.'),
          ],
        ],
        [
          0x1000,
          'Deadlock detection: a thread tried to take exclusively a resource it holds shared.',
          [p('Resource', 'Address of the resource.'), RESERVED, RESERVED],
        ],
        [
          0x1001,
          'Deadlock detection: a lock hierarchy violation was found.',
          [p('Resource', 'Resource that closed the cycle.'), RESERVED, RESERVED],
        ],
        [
          0x2000,
          'Code integrity: an executable pool type was requested.',
          [p('Call site', 'Address in the driver.'), POOL_TYPE, p('Pool tag', 'Tag, if given.')],
        ],
        [
          0x2001,
          'Code integrity: an executable page protection was requested.',
          [p('Call site', 'Address in the driver.'), p('Protection', 'The WIN32_PROTECTION_MASK asked for.'), ZERO],
        ],
        [
          0x2003,
          'Code integrity: the image has a section that is both executable and writable.',
          [
            p('Image name', 'Image file name (Unicode string).'),
            p('Section header', 'Address of the section header.'),
            p('Section name', 'Section name (UTF-8).'),
          ],
        ],
        [
          [0x20002, 0x20003, 0x20004, 0x20011, 0x2001f],
          'A DDI compliance rule on IRQL was violated (IrqlApcLte, IrqlDispatch, IrqlExAllocatePool, IrqlKeDispatchLte, IrqlZwPassive).',
          [RULE_TEXT, RULE_STATE, RESERVED],
        ],
      ],
    },
  ],
  [
    0x000000c5,
    {
      summary:
        'The system touched invalid pool memory at too high an IRQL, typically because a driver damaged the pool.',
      parameters: RAISED_IRQL_FAULT,
    },
  ],
  [
    0x000000c7,
    {
      summary:
        'A kernel timer or DPC is somewhere it must not be, or a DPC routine left state it must preserve changed.',
      parameters: [p('Violation', 'What was wrong; selects the meaning of the other parameters.'), ...BY_P1],
      cases: [
        [
          0x0,
          'A timer object lies in memory where timers are not allowed (for example pool being freed).',
          [
            p('Timer', 'Address of the timer.'),
            p('Range start', 'Start of the memory range checked.'),
            p('Range end', 'End of the memory range checked.'),
          ],
        ],
        [
          0x1,
          'A DPC object lies in memory where DPCs are not allowed.',
          [
            p('DPC', 'Address of the DPC object.'),
            p('Range start', 'Start of the memory range checked.'),
            p('Range end', 'End of the memory range checked.'),
          ],
        ],
        [
          0x2,
          'A DPC routine lies in memory where it is not allowed (for example an unloaded driver).',
          [
            p('DPC routine', 'Address of the DPC routine.'),
            p('Range start', 'Start of the memory range checked.'),
            p('Range end', 'End of the memory range checked.'),
          ],
        ],
        [
          0x3,
          'A DPC object names a processor that does not exist.',
          [
            p('DPC', 'Address of the DPC object.'),
            p('Processor', 'Processor number in the DPC.'),
            p('Processor count', 'Number of processors in the system.'),
          ],
        ],
        [
          [0x4, 0x5],
          "A DPC routine (0x5: a timer's DPC routine) changed the thread's APC disable count.",
          [
            p('DPC routine', 'Address of the DPC routine.'),
            p('Count before', 'APC disable count before the call.'),
            p('Count after', 'APC disable count after the call.'),
          ],
        ],
      ],
    },
  ],
  [
    0x000000cb,
    {
      summary: 'A driver did not unlock pages it had locked in a process after an I/O.',
      parameters: [
        p('Lock tracking', 'Address of the internal lock tracking structure.'),
        ZERO,
        MDL,
        p('Pages', 'Number of pages still locked.'),
      ],
    },
  ],
  [
    0x000000cc,
    {
      summary: 'The system referenced special-pool memory that had already been freed.',
      parameters: FREED_OR_OVERRUN_POOL,
    },
  ],
  [
    0x000000cd,
    {
      summary: 'The system accessed memory past the end of a special-pool allocation.',
      parameters: FREED_OR_OVERRUN_POOL,
    },
  ],
  [
    0x000000ce,
    {
      summary:
        'A driver unloaded while work it had started (timers, DPCs, worker threads, lookaside lists) was still pending.',
      parameters: [MEMORY_REFERENCED, READ_OR_WRITE, FAULTING_IP_IF_KNOWN, RESERVED],
    },
  ],
  [
    0x000000d0,
    {
      summary:
        'The system touched invalid memory at too high an IRQL, typically because a driver damaged memory manager pool.',
      parameters: RAISED_IRQL_FAULT,
    },
  ],
  [
    0x000000d1,
    {
      summary: 'A driver accessed pageable or invalid memory at DISPATCH_LEVEL or above.',
      parameters: [MEMORY_REFERENCED, IRQL_AT_FAULT, p('Access', '0 read, 1 write, 2 or 8 execute.'), FAULTING_IP],
    },
  ],
  [
    0x000000d5,
    {
      summary: 'A driver referenced special-pool memory it had already freed.',
      parameters: FREED_OR_OVERRUN_POOL,
    },
  ],
  [
    0x000000d6,
    {
      summary: 'A driver accessed memory past the end of its special-pool allocation.',
      parameters: FREED_OR_OVERRUN_POOL,
    },
  ],
  [
    0x000000e2,
    {
      summary: 'A crash was triggered on purpose from the keyboard or the kernel debugger.',
      parameters: NONE,
    },
  ],
  [
    0x000000ea,
    {
      summary:
        'A thread in a device driver (typically a display driver waiting on its hardware) is spinning without end.',
      parameters: [
        p('Thread', 'Address of the stuck thread object.'),
        p('DEFERRED_WATCHDOG', 'Address of the deferred watchdog object.'),
        p('Driver name', 'Address of the name of the driver held responsible.'),
        p('Hit count', 'Under a kernel debugger, how often the intercepted bug check was hit; 1 on the blue screen.'),
      ],
    },
  ],
  [
    0x000000ef,
    {
      summary: 'A process the system cannot run without has ended.',
      parameters: [
        p('Process', 'Address of the process object.'),
        p('Kind', '0 if a process ended, 1 if a thread ended.'),
        RESERVED,
        RESERVED,
      ],
    },
  ],
  [
    0x000000f4,
    {
      summary: 'A process or thread essential to the system exited or was terminated.',
      parameters: [
        p('Object type', '3 for a process, 6 for a thread.'),
        p('Object', 'Address of the process or thread object that ended.'),
        p('Image name', 'Image file name of the process.'),
        p('Message', 'Address of an ASCII string explaining the stop.'),
      ],
    },
  ],
  [
    0x000000fc,
    {
      summary: 'The processor was made to execute code in a page marked no-execute.',
      parameters: [
        p('Address', 'Virtual address whose execution was attempted.'),
        p('PTE contents', 'Contents of the PTE mapping that address.'),
        RESERVED,
        RESERVED,
      ],
    },
  ],
];
