/** Parameter meanings of the codes 0x01–0x3F, in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import {
  BY_P1,
  CONTEXT_RECORD,
  CURRENT_IRQL,
  DEVICE_OBJECT,
  EXCEPTION_ADDRESS,
  EXCEPTION_CODE,
  FAULTING_IP,
  IRP,
  IRQL_AT_FAULT,
  MDL,
  MEMORY_REFERENCED,
  NONE,
  RESERVED,
  SOURCE_LOCATION,
  TRAP_FRAME,
  ZERO,
  access,
  accessedAddress,
  filterContextRecord,
  filterExceptionRecord,
  p,
} from './common.js';

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details0000(): DetailRows {
  return [
    [
      0x00000001,
      {
        summary:
          'A thread left a system call or worker routine with its APC state index or kernel APC disable count out of balance.',
        parameters: [
          p('Routine', 'Address of the system service or worker routine that was running.'),
          p('ApcStateIndex', "The thread's ApcStateIndex; non-zero means it is still attached to another process."),
          p(
            'CombinedApcDisable',
            "The thread's combined APC disable value: SpecialApcDisable in the high 16 bits, KernelApcDisable in the low 16 bits.",
          ),
          p('Call type', '0 for a system call, 1 for a worker routine.'),
        ],
      },
    ],
    [0x02, { summary: 'A device queue that should have been busy was found idle.' }],
    [0x03, { summary: 'An invalid processor affinity set was used.' }],
    [0x04, { summary: 'An incorrect data access trap occurred.' }],
    [
      0x05,
      {
        summary:
          'A thread attached to a process where that is not allowed, e.g. KeAttachProcess while already attached.',
        parameters: [
          p(
            'Target process',
            'Dispatcher object of the process to attach to; if already attached, that of the original process.',
          ),
          p('Attached process', 'Dispatcher object of the process the thread is attached to now.'),
          p('ApcStateIndex', "The thread's APC state index."),
          p('DPC active', 'Non-zero when a DPC was running on the current processor.'),
        ],
      },
    ],
    [
      0x06,
      {
        summary:
          'A thread detached from a process in an invalid way, e.g. KeUnstackDetachProcess inside an image-load notify routine.',
      },
    ],
    [0x07, { summary: 'An invalid software interrupt was requested.' }],
    [0x08, { summary: 'Code that must run at DISPATCH_LEVEL ran at another IRQL.' }],
    [0x09, { summary: 'The IRQL was lower than the operation requires.' }],
    [
      0x0a,
      {
        summary:
          'Kernel code touched pageable or invalid memory while running at an IRQL where page faults cannot be serviced.',
        parameters: [
          MEMORY_REFERENCED,
          IRQL_AT_FAULT,
          access(
            'Operation',
            'Bit 0 set for a write, clear for a read; bit 3 set for an instruction fetch (only on hardware that reports it): 0 read, 1 write, 8 execute.',
            [
              [0x0, 'read'],
              [0x1, 'write'],
              [0x8, 'execute'],
            ],
          ),
          FAULTING_IP,
        ],
      },
    ],
    [0x0b, { summary: 'An exception occurred where exception handling is not supported.' }],
    [0x0c, { summary: 'A thread waited on more objects than it is allowed to.', parameters: NONE }],
    [0x0d, { summary: 'Mutexes were acquired out of their level order.' }],
    [0x0e, { summary: 'A system thread returned from its start routine.' }],
    [0x0f, { summary: 'A processor asked for a spin lock it already holds.', parameters: NONE }],
    [0x10, { summary: 'A spin lock was released by a processor that did not hold it.' }],
    [0x11, { summary: 'A thread released a mutex it does not own.' }],
    [
      0x12,
      {
        summary: 'The kernel met an exception or interrupt it cannot classify.',
        parameters: [
          p('Trap type', 'What kind of unknown trap occurred; selects the meaning of parameter 2.'),
          p('Detail', 'Meaning depends on parameter 1; see its case.'),
          RESERVED,
          RESERVED,
        ],
        cases: [
          [
            1,
            'An unexpected interrupt.',
            [p('Interrupt vector', 'Vector of the unexpected interrupt.'), RESERVED, RESERVED],
          ],
          [2, 'An unknown floating-point exception.'],
          [3, 'Enabled and asserted floating-point status bits (processor-specific).'],
        ],
      },
    ],
    [0x13, { summary: 'The thread reaper list was unexpectedly empty (code no longer used by Windows).' }],
    [0x14, { summary: 'The process create/delete lock was not held where it had to be.' }],
    [0x15, { summary: 'The last-chance exception service was called from kernel mode.' }],
    [0x16, { summary: 'Creating a client ID (CID) handle failed.' }],
    [0x17, { summary: 'Deleting a client ID (CID) handle failed.' }],
    [
      0x00000018,
      {
        summary: "An object's reference count does not fit the state the object is in.",
        parameters: [
          p('Object type', 'Type of the object whose reference count was being decremented.'),
          p('Object', 'Address of that object.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x00000019,
      {
        summary: 'The pool manager found a damaged pool block header; parameter 1 says which check failed.',
        parameters: [
          p('Violation', 'Which pool header check failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x2,
            "Special pool fill pattern no longer intact; the block's owner probably wrote outside it.",
            [p('Pool entry', 'The entry being checked.'), p('Block size', 'Size of the pool block.'), ZERO],
          ],
          [
            0x3,
            'Free list links do not agree; when the list is sound all three values are equal.',
            [
              p('Pool entry', 'The entry being checked.'),
              p('Flink', 'Forward link read back from the free list.'),
              p('Blink', 'Backward link read back from the free list.'),
            ],
          ],
          [
            0x5,
            'Two neighbouring pool headers contradict each other; at least one is damaged.',
            [p('First entry', 'One of the two pool entries.'), RESERVED, p('Second entry', 'The other pool entry.')],
          ],
          [
            0x6,
            "A header's previous-size field is too large.",
            [
              p('Miscalculated entry', 'The entry whose position came out wrong.'),
              RESERVED,
              p('Bad entry', 'The entry whose header caused the miscalculation.'),
            ],
          ],
          [
            0x7,
            "A pool block header's size field is damaged.",
            [ZERO, RESERVED, p('Bad entry', 'The damaged pool entry.')],
          ],
          [
            0x8,
            'A pool block header says the block has size zero.',
            [ZERO, RESERVED, p('Bad entry', 'The damaged pool entry.')],
          ],
          [
            0x9,
            "A header's size field is too large.",
            [
              p('Miscalculated entry', 'The entry whose position came out wrong.'),
              RESERVED,
              p('Bad entry', 'The entry whose header caused the miscalculation.'),
            ],
          ],
          [
            0xa,
            "A block header's size is wrong: walking the page did not reach the expected entry.",
            [
              p('Expected entry', 'The pool entry the walk should have found.'),
              RESERVED,
              p('Page', 'Virtual address of the page that should hold that entry.'),
            ],
          ],
          [
            [0xd, 0xe, 0xf, 0x23, 0x24, 0x25],
            'The header of a free block changed after it was freed, usually because the block before it was overrun.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x20,
            "A pool block header's size field is damaged.",
            [
              p('Expected entry', 'The pool entry that should have been found.'),
              p('Next entry', 'The following pool entry.'),
              RESERVED,
            ],
          ],
          [
            0x21,
            'Bytes just past the block being freed were overwritten: its user overran it.',
            [
              p('Block', 'Pointer being freed.'),
              p('Allocated size', 'Bytes allocated for the block.'),
              p('Found value', 'The damaged value found after the block.'),
            ],
          ],
          [
            0x22,
            'The address being freed has no tracking entry: a double free, or a pointer that was never allocated.',
            [p('Address', 'The address being freed.'), RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0x0000001a,
      {
        summary:
          'The memory manager found its own data (page tables, PFN database, working sets, pool) inconsistent; parameter 1 names the check.',
        parameters: [
          p('Subtype', 'Code of the memory manager check that failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [0x31, "An image's relocation fix-up table or code stream is damaged, most likely by hardware."],
          [
            0x3f,
            'A page read back from the paging file failed its CRC check.',
            [
              p('Pagefile offset', 'Offset of the page in the paging file.'),
              p('Page CRC', 'CRC computed over the page as read.'),
              p('Expected CRC', 'CRC the page should have had.'),
            ],
          ],
          [
            0x403,
            'Page table entries and the PFN database disagree; often hardware, especially when parameters 3 and 4 differ in one bit.',
          ],
          [
            0x404,
            'While a system page was deleted its PFN entry pointed at a different PTE than the one in use.',
            [
              p('Expected PTE', 'The PTE the deletion was working on.'),
              p('PTE contents', 'Contents of that PTE.'),
              p("PFN's PTE", 'The PTE address recorded in the PFN entry.'),
            ],
          ],
          [
            0x411,
            'A page table entry is damaged.',
            [p('PTE address', 'Address of the damaged PTE.'), RESERVED, RESERVED],
          ],
          [0x1010, 'A pageable section was unlocked although it was not locked (never locked, or unlocked twice).'],
          [
            0x1233,
            'A driver mapped a physical page that was not locked, so its contents or attributes could change under it.',
            [p('PFN', 'Page frame number the driver tried to map.'), RESERVED, RESERVED],
          ],
          [0x1234, 'A caller tried to lock a pageable section that does not exist.'],
          [0x1235, 'A caller tried to protect an MDL whose mapping is invalid.'],
          [
            0x1236,
            'An MDL handed in contains an unlocked or invalid physical page.',
            [MDL, p('PFN entry', 'Address of the offending PFN entry.'), p('PFN', 'The offending page frame number.')],
          ],
          [
            0x1240,
            'An MDL was built for a virtual range that is not resident.',
            [MDL, p('PTE address', 'Address of the PTE that was not valid.'), RESERVED],
          ],
          [
            0x3300,
            'A write hit an address that is wrongly marked copy-on-write.',
            [
              accessedAddress('Faulting address', 'The address written.', 'write'),
              p('PTE contents', 'Contents of its PTE.'),
              p('Address space', 'Type of the virtual address space.'),
            ],
          ],
          [0x3451, 'The PTEs of an outswapped kernel stack are damaged.'],
          [
            0x3453,
            'Page table pages of an exited process could not all be deleted because references remain; the process page tables are damaged.',
          ],
          [
            0x3470,
            'A cached kernel stack was damaged while it sat on the free list.',
            [p('Address', 'Virtual address of the stack.'), p('Cookie', "The stack's cookie value."), RESERVED],
          ],
          [
            0x4477,
            'A driver wrote to an unallocated user-space address of the System process.',
            [accessedAddress('Address', 'The address written.', 'write'), RESERVED, RESERVED],
          ],
          [
            0x5100,
            'The allocation bitmap is damaged: the memory manager was about to reuse a virtual address already in use.',
          ],
          [
            0x5305,
            'A caller tried to free an invalid pool address.',
            [p('Address', 'The virtual address being freed.'), p('Region size', 'Size of the region.'), RESERVED],
          ],
          [
            0x6001,
            "The memory store's private memory range is damaged and cannot be read.",
            [
              p('Status', 'NTSTATUS returned.', 'status'),
              p('Store address', "Virtual address in the store's private range."),
              MDL,
            ],
          ],
          [
            [0x8886, 0x8887],
            'Two standby-list pages that must have the same page priority do not.',
            [RESERVED, RESERVED, p('Priorities', 'The differing priority values.')],
          ],
          [[0x8888, 0x8889], 'Internal memory manager structures are damaged.'],
          [0x888a, 'Internal memory manager structures, probably a PTE or PFN entry, are damaged.'],
          [
            0x9696,
            "A PFN entry's links no longer lead to its top-level process; the PFN database is damaged.",
            [p('PFN', 'The page frame number involved.'), RESERVED, RESERVED],
          ],
          [
            0x15000,
            'A range could not be unsecured because it was not found: wrong address or wrong process context.',
            [p('Address', 'The virtual address being looked up.'), RESERVED, RESERVED],
          ],
          [
            0x15001,
            'Unsecuring previously secured memory failed, e.g. MmUnsecureVirtualMemory called in the wrong process.',
          ],
          [
            0x41201,
            'While a virtual address was queried its PFN entry and current PTE disagreed.',
            [
              p('PTE', 'The PTE for the address.'),
              p('PTE contents', 'Contents of that PTE.'),
              p('VAD', 'The virtual address descriptor.'),
            ],
          ],
          [
            0x41202,
            'A non-zero PTE turned out to be damaged while its page protection was being worked out.',
            [
              p('PTE address', 'Address of the PTE.'),
              p('PTE contents', 'Contents of the PTE.'),
              p('VAD', 'The virtual address descriptor.'),
            ],
          ],
          [0x41284, 'A PTE or the working set list is damaged.'],
          [0x41286, 'A caller tried to free an invalid pool address.'],
          [
            0x41287,
            'A page fault happened while working set synchronization was held, which is not allowed.',
            [p('Address', 'The virtual address referenced.'), RESERVED, RESERVED],
          ],
          [0x41785, 'The working set list is damaged.'],
          [
            0x41790,
            'A page table page is damaged.',
            [
              p(
                'Page table',
                'On 64-bit Windows, address of the PFN entry of the page table page; on 32-bit, pointer to its used-PTE count.',
              ),
              p('Used PTEs', 'On 32-bit Windows, the used-PTE count.'),
              RESERVED,
            ],
          ],
          [
            0x41792,
            'A damaged PTE was found.',
            [
              p('PTE address', 'Address of the PTE.'),
              p('PTE low', 'Low part of the PTE.'),
              p('PTE high', 'High part of the PTE.'),
            ],
          ],
          [0x61940, 'A page directory entry was invalidated unexpectedly.'],
          [
            0x61941,
            'The paging hierarchy is damaged.',
            [p('Address', 'Pointer to the virtual address that faulted.'), RESERVED, RESERVED],
          ],
          [
            0x61946,
            'An MDL being built is wrong, almost always a driver probing for write access while servicing a paging read.',
          ],
          [
            0x61948,
            "Reference counts of an I/O space region were being decremented but the region's accounting node was missing (never locked, or already unlocked).",
            [
              p('Base frame', 'First I/O page frame of the range.'),
              p('Page count', 'Pages in the region.'),
              p('Frame', 'The I/O frame whose node was not found.'),
            ],
          ],
          [
            0x61949,
            'IoPageFrameNode is null.',
            [p('PageFrameIndex', 'The page frame index involved.'), RESERVED, RESERVED],
          ],
          [
            0x6194a,
            'An I/O space physical page being unmapped was dereferenced although it was not referenced.',
            [
              p('Range', "First value describing the caller's I/O space range."),
              p('Range', 'Second value describing that range.'),
              p('Page', 'The I/O space page expected to be referenced.'),
            ],
          ],
          [
            0x03030308,
            'A range being removed or truncated is still in use by the loader.',
            [p('HighestPhysicalPage', 'Highest physical page of the system.'), RESERVED, RESERVED],
          ],
          // Values used by earlier Windows versions.
          [0x777, 'A system cache address was unlocked although it was not locked (never mapped, or unlocked twice).'],
          [0x778, 'The last system cache view address was used instead of being kept back.'],
          [[0x780, 0x781], 'The PTEs mapping a system cache view are damaged.'],
          [
            0x1000,
            'A caller of MmGetSystemAddressForMdl* asked to map a fully cached page as non-cached; the MDL asked for a bug check on failure.',
          ],
          [
            0x1241,
            "An MDL's virtual range was unmapped underneath the call that built the MDL.",
            [MDL, p('PTE address', 'Address of the PTE involved.'), RESERVED],
          ],
          [0x5003, 'The working set free list is damaged, probably by hardware.'],
          [
            0x5200,
            'A page on a free pool SLIST is damaged: a write after free in a driver, or an overrun from the page before.',
            [
              p('Free block', 'Address of a free pool block.'),
              p('Found value', 'The value found at that address.'),
              p('Expected value', 'The value that should have been there.'),
            ],
          ],
          [
            [0x8884, 0x8885],
            'Two standby-list pages that must have the same page priority do not.',
            [RESERVED, RESERVED, p('Priorities', 'The differing priority values.')],
          ],
          [0x41283, 'The working set index stored in a PTE is damaged.'],
          [
            0x41793,
            'A page table page is damaged (check removed after Windows 10 version 1803).',
            [
              p('Last PTE', 'Address of the last PTE processed.'),
              p('Non-zero PTEs', 'Count of non-zero PTEs found.'),
              p('Expected count', 'Count of non-zero PTEs the page table should hold.'),
            ],
          ],
          [0x03030303, 'The boot loader is broken (Itanium only).'],
        ],
      },
    ],
    [0x1b, { summary: 'A PFN share count went wrong (code no longer used by Windows).' }],
    [
      0x1c,
      {
        summary:
          'A reference count went wrong (overflow, underflow or use after free); used for many kinds of counts, not only PFNs.',
        parameters: NONE,
      },
    ],
    [0x1d, { summary: 'No spin lock was available.' }],
    [
      0x1e,
      {
        summary: 'An exception raised in kernel mode was not caught by any handler.',
        parameters: [
          EXCEPTION_CODE,
          EXCEPTION_ADDRESS,
          p('Exception parameter 0', 'ExceptionInformation[0] of the exception record.'),
          p('Exception parameter 1', 'ExceptionInformation[1] of the exception record.'),
        ],
        cases: [
          [
            0xc0000005,
            'STATUS_ACCESS_VIOLATION: a memory access violation.',
            [
              EXCEPTION_ADDRESS,
              access('Access', 'How the address was accessed: 0 read, 1 write, 8 execute (a DEP violation).', [
                [0, 'read'],
                [1, 'write'],
                [8, 'execute'],
              ]),
              p('Address accessed', 'The address the code tried to access.', 'referencedAddress'),
            ],
          ],
        ],
      },
    ],
    [0x1f, { summary: 'Converting the ownership of a shared resource went wrong.' }],
    [
      0x20,
      {
        summary: 'A thread exited while an asynchronous procedure call (APC) was still pending for it.',
        parameters: [
          p('APC', 'Address of the APC still pending at exit.'),
          p('APC disable count', "The thread's kernel APC disable count."),
          CURRENT_IRQL,
          RESERVED,
        ],
      },
    ],
    [
      0x21,
      {
        summary: 'More quota was returned to a block than had been charged to it.',
        parameters: [
          p('Process', 'The process charged in the first place, if known.'),
          p('Quota type', 'Which quota (the PS_QUOTA_TYPE values of the WDK headers).'),
          p('Returned', 'Amount of quota being returned.'),
          p('Not returned', 'Part of that amount that could not be returned.'),
        ],
      },
    ],
    [0x22, { summary: 'A file system problem (generic code).' }],
    [
      0x23,
      {
        summary: 'The FAT file system driver hit a condition it cannot recover from.',
        parameters: [
          SOURCE_LOCATION,
          filterExceptionRecord('FatExceptionFilter'),
          filterContextRecord('FatExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [
      0x24,
      {
        summary: 'The NTFS file system driver hit a condition it cannot recover from.',
        parameters: [
          SOURCE_LOCATION,
          filterExceptionRecord('NtfsExceptionFilter'),
          filterContextRecord('NtfsExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [
      0x25,
      {
        summary: 'The named pipe file system (NPFS) driver hit a condition it cannot recover from.',
        parameters: [SOURCE_LOCATION, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x26,
      {
        summary: 'The CD-ROM file system (CDFS) driver hit a condition it cannot recover from.',
        parameters: [
          SOURCE_LOCATION,
          filterExceptionRecord('CdExceptionFilter'),
          filterContextRecord('CdExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [
      0x27,
      {
        summary: 'The SMB redirector file system (RDBSS) hit a condition it cannot recover from.',
        parameters: [
          p(
            'Problem type',
            'High 16 bits name the failing part: 0xCA55 cache support, 0xC1EE cleanup, 0xC10E close, 0xBAAD exception filter.',
          ),
          filterExceptionRecord('RxExceptionFilter'),
          filterContextRecord('RxExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [0x28, { summary: 'An access token was found damaged.' }],
    [0x29, { summary: 'The security system hit a fatal problem.' }],
    [
      0x2a,
      {
        summary: 'An IRP was found holding contradictory information.',
        parameters: [p('IRP', 'Address of the inconsistent IRP.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x2b, { summary: 'The kernel-mode stack was overrun.', parameters: [TRAP_FRAME, RESERVED, RESERVED, RESERVED] }],
    [0x2c, { summary: 'Internal error in a storage port driver.' }],
    [0x2d, { summary: 'Internal error in the SCSI disk driver.' }],
    [
      0x2e,
      {
        summary: 'A parity error in system memory was detected (usually hardware).',
        parameters: [
          p('Virtual address', 'Virtual address whose access faulted.', 'referencedAddress'),
          p('Physical address', 'Physical address whose access faulted.'),
          p('Processor status', 'The processor status register (PSR).'),
          p('Faulting instruction', 'The faulting instruction register (FIR).', 'faultingInstruction'),
        ],
      },
    ],
    [0x2f, { summary: 'A bus error occurred while an instruction was fetched.' }],
    [
      0x30,
      {
        summary: 'A trap frame was given an invalid stack pointer.',
        parameters: [
          p('New stack pointer', 'The stack pointer value being set.'),
          p('Old stack pointer', 'The stack pointer before.'),
          TRAP_FRAME,
          ZERO,
        ],
      },
    ],
    [0x31, { summary: 'System initialization failed early (phase 0).', parameters: NONE }],
    [
      0x32,
      {
        summary: 'System initialization failed (phase 1).',
        parameters: [
          p('Status', 'NTSTATUS telling why initialization failed.', 'status'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [0x33, { summary: 'An initialization routine was called when it should not have been.' }],
    [
      0x34,
      {
        summary: "The file systems' cache manager hit a condition it cannot recover from.",
        parameters: [SOURCE_LOCATION, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x35,
      {
        summary: 'IoCallDriver was given an IRP with no stack locations left.',
        parameters: [IRP, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x36,
      {
        summary: 'A driver deleted a device object whose reference count was not zero.',
        parameters: [DEVICE_OBJECT, RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x37, { summary: 'Internal error in the floppy disk driver.' }],
    [0x38, { summary: 'Internal error in the serial port driver.' }],
    [
      0x39,
      {
        summary: 'A worker routine returned while still owning a mutex.',
        parameters: [
          p('Worker routine', 'Address of the worker routine at fault.'),
          p('Parameter', 'The argument passed to that routine.'),
          p('Work item', 'Address of the work item.'),
          RESERVED,
        ],
      },
    ],
    [0x3a, { summary: 'Unwinding went wrong at the boundary of the previous user-mode frame.' }],
    [
      0x3b,
      {
        summary: 'An exception escaped from code running on behalf of a system service.',
        parameters: [EXCEPTION_CODE, EXCEPTION_ADDRESS, CONTEXT_RECORD, p('Not used', 'Always 0.')],
      },
    ],
    [0x3c, { summary: 'An unwind through an interrupt frame was attempted.' }],
    [
      0x3d,
      {
        summary: 'An exception raised while an interrupt was being serviced was not handled.',
        parameters: [
          p('Exception record', 'Address of the exception record, when available.', 'exceptionRecord'),
          p('Context record', 'Address of the context record, when available.', 'contextRecord'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0x3e,
      {
        summary: 'The processors are not symmetric: this multiprocessor configuration is not supported.',
        parameters: NONE,
      },
    ],
    [
      0x3f,
      {
        summary: 'The system ran out of system page table entries, often because heavy I/O fragmented them.',
        parameters: [
          p('PTE type', '0: system expansion PTEs; 1: nonpaged pool expansion PTEs.'),
          p('Request size', 'Size of the request that could not be met.'),
          p('Free PTEs', 'System PTEs free.'),
          p('Total PTEs', 'System PTEs in all.'),
        ],
      },
    ],
  ];
}
