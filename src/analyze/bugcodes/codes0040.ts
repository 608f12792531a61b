/** Parameter meanings of the codes 0x40–0x7F, in our own words (facts from each code's public reference page). */
import type { DetailRows, OtherParams } from './common.js';
import {
  BY_P1,
  CONTEXT_RECORD,
  CURRENT_IRQL,
  DRIVER_OBJECT,
  EXCEPTION_ADDRESS,
  EXCEPTION_CODE,
  EXCEPTION_RECORD,
  FAULTING_IP_IF_KNOWN,
  IRP,
  MEMORY_REFERENCED,
  NONE,
  RESERVED,
  SOURCE_LOCATION,
  STATUS,
  UNDOCUMENTED,
  ZERO,
  access,
  p,
} from './common.js';

const INIT_STATUS = p('Status', 'NTSTATUS that made initialization fail.', 'status');
const DRIVER_STACKS = p('Driver stacks', 'Address of the driver stack traces when their tracking is on, else 0.');
const STACK_SIGNATURE: OtherParams = [
  p('Found value', 'The value found on the stack where the signature should be.'),
  ZERO,
  p('Signature address', 'Address of the signature on the kernel stack.'),
];
// NDIS (0x7C)
const ADAPTER = p('Miniport adapter', 'Address of the miniport adapter block (!ndiskd.netadapter).');
const DRIVER_BLOCK = p('Driver block', 'Address of the NDIS_M_DRIVER_BLOCK.');
const MINIPORT_INTERRUPT = p('Interrupt', 'Address of the NDIS_MINIPORT_INTERRUPT.');
const TIMER_QUEUE = p('Timer queue', "Address of the miniport's timer queue (NDIS_MINIPORT_TIMER).");
const DRIVER_HANDLE = p('Driver handle', 'Handle of the driver (!ndiskd.minidriver or !ndiskd.filterdriver).');
const RECEIVED_PACKET: OtherParams = [
  ADAPTER,
  p('Packet', 'Address of the packet descriptor the driver used (!ndiskd.pkt).'),
  p('Packet array', 'Address of the packet array holding that descriptor.'),
];

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details0040(): DetailRows {
  return [
    [0x40, { summary: 'A driver misused IoBuildPartialMdl: the target MDL is too small.', parameters: NONE }],
    [
      0x41,
      {
        summary: 'A kernel-mode thread asked for more must-succeed pool than there is.',
        parameters: [
          p('Request size', 'Size of the request that could not be met.'),
          p('Nonpaged pages used', 'Pages used from nonpaged pool.'),
          p('Large requests', 'Count of nonpaged pool requests larger than a page.'),
          p('Available pages', 'Pages available.'),
        ],
      },
    ],
    [0x42, { summary: 'Internal error in the AT disk driver.' }],
    [0x43, { summary: 'A partition that does not exist was referred to.' }],
    [
      0x00000044,
      {
        summary: 'A driver completed an IRP that had already been completed.',
        parameters: [p('IRP', 'Address of the IRP completed twice.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x45, { summary: 'Not enough system map registers were available.' }],
    [0x46, { summary: 'A reference to an unknown logon session was released.' }],
    [0x47, { summary: 'A reference was taken to an unknown logon session.' }],
    [
      0x48,
      {
        summary: 'An IRP was cancelled after it had been completed.',
        parameters: [IRP, p('Cancel routine', 'The cancel routine the driver set.'), RESERVED, RESERVED],
      },
    ],
    [0x49, { summary: 'A page fault occurred while interrupts were disabled.' }],
    [
      0x0000004a,
      {
        summary: 'A thread went back to user mode from a system call while its IRQL was still above PASSIVE_LEVEL.',
        parameters: [
          p('System call', 'Address of the system service routine.'),
          p('IRQL', 'The IRQL at return.', 'irql'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [0x4b, { summary: 'Internal error in the STREAMS environment.' }],
    [0x4c, { summary: 'A fatal hard error was not handled.' }],
    [
      0x4d,
      {
        summary: 'No free pages were left to continue.',
        parameters: [
          p('Dirty pages', 'Total dirty pages.'),
          p('Dirty pagefile pages', 'Dirty pages bound for the paging file.'),
          p('Nonpaged pool free', 'Nonpaged pool available at the crash.'),
          p('Last write status', 'Status of the latest modified-page write.', 'status'),
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
    [0x4f, { summary: 'Internal error in NDIS.' }],
    [
      0x50,
      {
        summary: 'Kernel code referenced memory that is not valid and could not be brought in.',
        parameters: [
          MEMORY_REFERENCED,
          access(
            'Operation',
            'x64/x86 since Windows 10 1507: 0 read, 2 write, 0x10 execute; Arm: 0 read, 1 write, 8 execute; older x64/x86: 0 read, 1 write.',
            [
              [0x0, 'read'],
              [0x1, 'write'],
              [0x2, 'write'],
              [0x8, 'execute'],
              [0x10, 'execute'],
            ],
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
      0x51,
      {
        summary: 'A severe registry error occurred.',
        parameters: [
          RESERVED,
          RESERVED,
          p('Hive', 'Address of the hive, if known.'),
          p('Check result', 'When the hive is damaged, what HvCheckHive returned, if known.'),
        ],
      },
    ],
    [0x52, { summary: 'The mailslot file system hit a condition it cannot recover from.' }],
    [0x53, { summary: 'No boot device was found.' }],
    [0x54, { summary: 'Internal error in the LAN Manager server.' }],
    [0x55, { summary: 'A data coherency exception occurred.' }],
    [0x56, { summary: 'An instruction coherency exception occurred.' }],
    [0x57, { summary: 'Internal error in the XNS transport.' }],
    [0x58, { summary: 'Windows started from the wrong half of a mirrored partition.', parameters: NONE }],
    [
      0x59,
      {
        summary: 'The Pinball (HPFS) file system hit a condition it cannot recover from.',
        parameters: [SOURCE_LOCATION, RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x5a, { summary: 'A critical service failed.' }],
    [0x5b, { summary: 'Setting an environment variable failed.' }],
    [0x5c, { summary: 'The hardware abstraction layer (HAL) failed to initialize early in startup.' }],
    [0x5d, { summary: 'Windows was started on a processor it does not support.', parameters: NONE }],
    [0x5e, { summary: 'The object manager failed to initialize.' }],
    [0x5f, { summary: 'The security subsystem failed to initialize.' }],
    [0x60, { summary: 'The process manager failed to initialize.' }],
    [0x61, { summary: 'The HAL failed to initialize (phase 1).' }],
    [0x62, { summary: 'The object manager failed to initialize (phase 1).' }],
    [0x63, { summary: 'The security subsystem failed to initialize (phase 1).' }],
    [0x64, { summary: 'Symbolic link support failed to initialize.' }],
    [0x65, { summary: 'The memory manager failed to initialize (phase 1).' }],
    [0x66, { summary: 'The cache manager failed to initialize.' }],
    [
      0x67,
      {
        summary: 'The registry configuration failed to initialize.',
        parameters: [
          RESERVED,
          p('Location', 'Selector telling where in the configuration code it failed.'),
          p('Status', 'NTSTATUS of the failure.', 'status'),
          RESERVED,
        ],
      },
    ],
    [0x68, { summary: 'File system support failed to initialize.' }],
    [0x69, { summary: 'The I/O system failed to initialize.', parameters: NONE }],
    [0x6a, { summary: 'Local procedure call (LPC) support failed to initialize.' }],
    [
      0x6b,
      {
        summary: 'Windows failed to initialize (process manager, phase 1).',
        parameters: [INIT_STATUS, RESERVED, RESERVED, RESERVED],
      },
    ],
    [0x6c, { summary: 'The security reference monitor failed to initialize.' }],
    [0x6d, { summary: 'Session initialization failed (step 1).', parameters: [INIT_STATUS, ZERO, ZERO, ZERO] }],
    [0x6e, { summary: 'Session initialization failed (step 2).', parameters: [INIT_STATUS, ZERO, ZERO, ZERO] }],
    [0x6f, { summary: 'Session initialization failed (step 3).', parameters: [INIT_STATUS, ZERO, ZERO, ZERO] }],
    [0x70, { summary: 'Session initialization failed (step 4).', parameters: [INIT_STATUS, ZERO, ZERO, ZERO] }],
    [0x71, { summary: 'Session initialization failed (step 5).', parameters: [INIT_STATUS, ZERO, ZERO, ZERO] }],
    [0x72, { summary: 'Assigning drive letters failed.' }],
    [
      0x73,
      {
        summary: 'A core system hive could not be linked into the registry tree.',
        parameters: [
          p('One', 'Always 1.'),
          p('Status', 'NTSTATUS that made Windows decide the hive failed to load.', 'status'),
          p('Hive index', 'Index of the hive in the hive list.'),
          p('File name', 'Address of a UNICODE_STRING holding the hive file name.'),
        ],
      },
    ],
    [
      0x74,
      {
        summary: 'The registry holds an error: the system configuration information is bad.',
        parameters: [RESERVED, RESERVED, RESERVED, p('Status', 'NTSTATUS of the failure, if known.', 'status')],
      },
    ],
    [
      0x75,
      {
        summary: 'The SYSTEM hive file could not be converted to a mapped file.',
        parameters: [
          p('One', 'Always 1.'),
          p('Status', 'NTSTATUS of the failed conversion.', 'status'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x76,
      {
        summary: 'A driver did not unlock pages it locked for I/O, or unlocked pages that were not locked.',
        parameters: [p('Violation', 'Which error; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x0,
            'The process being ended still has locked pages: a driver did not unlock memory it locked there.',
            [
              p('Process', 'Address of the process object.'),
              p('Locked pages', 'Count of pages still locked.'),
              DRIVER_STACKS,
            ],
          ],
          [
            0x1,
            'A driver unlocked process pages that were not locked.',
            [
              p('MDL', 'The MDL the driver passed.'),
              p('Locked pages', 'Pages currently locked in that process.'),
              DRIVER_STACKS,
            ],
          ],
        ],
      },
    ],
    [
      0x77,
      {
        summary: 'A page of the kernel stack could not be read back from the paging file.',
        parameters: [
          p(
            'Status or source',
            'If 0, 1 or 2, where the page came from (see its case); otherwise the NTSTATUS of the failure.',
          ),
          p('I/O status', 'The I/O status of the read.', 'status'),
          p('Pagefile number', 'Which paging file.'),
          p('Pagefile offset', 'Offset of the page in that file.'),
        ],
        cases: [
          [0x0, 'The page came from the page cache.', STACK_SIGNATURE],
          [0x1, 'The page came from disk.', STACK_SIGNATURE],
          [
            0x2,
            'The page came from disk; the storage stack reported success but the transfer size is not PAGE_SIZE.',
            STACK_SIGNATURE,
          ],
        ],
      },
    ],
    [0x78, { summary: 'An unexpected break during HAL initialization, e.g. /break set without kernel debugging.' }],
    [
      0x79,
      {
        summary: 'The hardware abstraction layer (HAL) does not match the kernel or the machine.',
        parameters: [p('Mismatch', 'Which mismatch; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'The processor control block (PRCB) release levels differ: something is out of date.',
            [
              p('Kernel PRCB level', 'Major PRCB level of ntoskrnl.exe.'),
              p('HAL PRCB level', 'Major PRCB level of hal.dll.'),
              RESERVED,
            ],
          ],
          [
            0x2,
            'The build types differ.',
            [
              p('Kernel build type', 'Build type of ntoskrnl.exe: 0 MP free, 1 MP checked, 2 UP free, 3 UP checked.'),
              p('HAL build type', 'Build type of hal.dll, same coding.'),
              RESERVED,
            ],
          ],
          [
            0x3,
            'The loader and HAL versions differ.',
            [
              p('Extension size', 'Size of the loader parameter extension.'),
              p('Major version', 'Major version of the loader parameter extension.'),
              p('Minor version', 'Minor version of the loader parameter extension.'),
            ],
          ],
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
          p(
            'I/O status',
            'Status of the failed read (usually an I/O error NTSTATUS such as 0xC000009C or 0xC000016A).',
            'status',
          ),
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
      0x7c,
      {
        summary: 'NDIS found an error in a networking driver; parameter 1 names the rule broken.',
        parameters: [p('Violation', 'Which NDIS check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x01,
            'NdisMAllocateSharedMemory was called at raised IRQL.',
            [ADAPTER, p('Length', 'Length of the shared memory asked for.'), CURRENT_IRQL],
          ],
          [
            0x02,
            'A shared memory page allocated earlier was found damaged.',
            [
              ADAPTER,
              p('Page', 'The damaged shared memory page.'),
              p('Wrapper context', "Address of the NDIS_WRAPPER_CONTEXT tracking the driver's shared memory."),
            ],
          ],
          [
            0x03,
            'NdisMFreeSharedMemory(Async) was called on shared memory already freed.',
            [
              ADAPTER,
              p('Page', 'The page the memory was allocated from.'),
              p('Address', 'Virtual address of the shared memory.'),
            ],
          ],
          [
            0x04,
            'AddDevice was called with a driver not registered with NDIS (instrumented NDIS only).',
            [DRIVER_BLOCK, DRIVER_OBJECT, ZERO],
          ],
          [
            0x05,
            'An Ethernet driver indicated a receive with a packet descriptor the protocol stack still uses (stack location check).',
            RECEIVED_PACKET,
          ],
          [
            0x06,
            'An Ethernet driver indicated a receive with a packet descriptor the protocol stack still uses (reference count check).',
            RECEIVED_PACKET,
          ],
          [
            0x07,
            'An FDDI driver indicated a receive with a packet descriptor the protocol stack still uses.',
            RECEIVED_PACKET,
          ],
          [0x08, 'A miniport halted without deregistering its interrupt.', [ADAPTER, MINIPORT_INTERRUPT, ZERO]],
          [0x09, 'A miniport halted without cancelling all its timers.', [ADAPTER, TIMER_QUEUE, ZERO]],
          [
            0x0a,
            'A miniport driver is being unloaded too early.',
            [DRIVER_BLOCK, DRIVER_OBJECT, p('Reference count', "The miniport driver's reference count.")],
          ],
          [
            0x0b,
            'A miniport failed initialization without deregistering its interrupt.',
            [ADAPTER, MINIPORT_INTERRUPT, ZERO],
          ],
          [0x0c, 'A miniport failed initialization without cancelling all its timers.', [ADAPTER, TIMER_QUEUE, ZERO]],
          [
            0x0d,
            'A miniport halted (called from initialization after it reported success) without deregistering its interrupt.',
            [ADAPTER, MINIPORT_INTERRUPT, ZERO],
          ],
          [
            0x0e,
            'A miniport halted (called from initialization after it reported success) without cancelling all its timers.',
            [ADAPTER, TIMER_QUEUE, ZERO],
          ],
          [
            0x0f,
            'NdisMResetComplete was called with no reset pending.',
            [ADAPTER, p('Reset status', 'The reset status.'), p('AddressingReset', 'The AddressingReset BOOLEAN.')],
          ],
          [
            0x10,
            'After resuming from low power, a miniport failed initialization without deregistering its interrupt.',
            [ADAPTER, MINIPORT_INTERRUPT, ZERO],
          ],
          [
            0x11,
            'After resuming from low power, a miniport failed initialization without cancelling all its timers.',
            [ADAPTER, TIMER_QUEUE, ZERO],
          ],
          [
            0x12,
            'A miniport indicated a receive with a packet descriptor the protocol stack still uses (reference count check).',
            RECEIVED_PACKET,
          ],
          [
            0x13,
            'A Token-Ring miniport indicated a receive with a packet descriptor the protocol stack still uses.',
            RECEIVED_PACKET,
          ],
          [
            0x14,
            'NdisWaitEvent was called at an illegal IRQL.',
            [p('IRQL', 'The IRQL at the call.', 'irql'), ZERO, ZERO],
          ],
          [0x15, 'A miniport called an API reserved for older (NDIS 5) drivers.', [ADAPTER, ZERO, ZERO]],
          [
            0x16,
            'A protocol driver opened an adapter wrongly during binding.',
            [
              p('Protocol', 'Address of the protocol (!ndiskd.protocol).'),
              p('Bind context', 'Context area the protocol allocated (ndis!NDIS_BIND_CONTEXT).'),
              p('Open handle', 'Address of the open handle (!ndiskd.mopen).'),
            ],
          ],
          [
            0x17,
            'An interface provider deregistered before removing all its interfaces.',
            [p('Provider', 'Interface provider handle (!ndiskd.ifprovider).'), ZERO, ZERO],
          ],
          [
            0x1b,
            'Adding an interface to the ifStackTable would create a cycle.',
            [
              p('HigherLayerIfIndex', 'Higher layer index being added.'),
              p('LowerLayerIfIndex', 'Lower layer index being added.'),
              ZERO,
            ],
          ],
          [
            0x1c,
            'A miniport failed an OID request that must not fail.',
            [
              ADAPTER,
              p('OID', 'The OID that failed.'),
              p('Status', 'NDIS_STATUS the request completed with.', 'status'),
            ],
          ],
          [
            0x1d,
            'A miniport or filter completed an OID request illegally (BytesWritten larger than the buffer?).',
            [
              p('Adapter or filter', 'Address of the miniport adapter or filter module block.'),
              p('OID request', 'Address of the NDIS_OID_REQUEST (!ndiskd.oid).'),
              ZERO,
            ],
          ],
          [
            0x1e,
            'An internal NDIS reference count went wrong (underflow or tag mismatch).',
            [
              ZERO,
              p('Refcount block', 'Internal handle (ndis!NDIS_REFCOUNT_BLOCK, !ndiskd.ndisref).'),
              p('Reftag', 'The current reference tag.'),
            ],
          ],
          [
            0x1f,
            'A miniport completed a state transition illegally.',
            [
              p('Transition', 'What failed: a pause-complete or restart-complete with no such operation pending.'),
              ADAPTER,
              ZERO,
            ],
          ],
          [
            0x20,
            'A miniport or filter indicated an illegal NDIS_STATUS_INDICATION.',
            [
              p('Indication type', 'Type of the status indication.'),
              p('Driver handle', 'Handle of the driver instance that indicated it.'),
              p('Payload', 'Address of the indication payload.'),
            ],
          ],
          [
            0x21,
            'A driver built an invalid NDIS_OBJECT_HEADER.',
            [DRIVER_HANDLE, p('Object', 'The object with the bad header; its type depends on the API called.'), ZERO],
          ],
          [
            0x22,
            'A miniport or filter indicated an illegal NET_PNP_EVENT_NOTIFICATION.',
            [DRIVER_HANDLE, p('Event', 'The NET_PNP_EVENT_NOTIFICATION.'), ZERO],
          ],
          [
            0x23,
            'An error in the Packet Direct data path.',
            [
              p(
                'PD subtype',
                'Which Packet Direct rule was broken: wrong thread, illegal arm or drain notification, filter interference, buffer manager group, bad buffer setup.',
              ),
              p(
                'PD object',
                'Depends on parameter 2: the NDIS_PD_EC, queue tracker, filter module, buffer manager group or source buffer.',
              ),
              p(
                'PD handle',
                'Depends on parameter 2: the expected ETHREAD, the client or provider handle, or the target PD_BUFFER.',
              ),
            ],
          ],
          [
            0x24,
            'An internal NDIS operation failed unexpectedly (likely a bug in NDIS itself).',
            [p('Operation', 'Which operation failed (1: KeWaitForSingleObject).'), STATUS, ZERO],
          ],
          [
            0x25,
            'NDIS watchdog: a call into another network driver took too long (a deadlock, lost NBLs, a stuck OID).',
            [
              p(
                'Operation',
                'What timed out: 0x01-0x04 protocol pause, PnP event, status, unbind; 0x11-0x14 filter pause, PnP event, status, detach; 0x21-0x26 miniport pause, halt, OID, filter OID, miniport idle, cancel idle.',
              ),
              p(
                'Triage block',
                'Address of the NDIS_WATCHDOG_TRIAGE_BLOCK (StartTime, TimeoutMilliseconds, TargetObject, PrimaryThread).',
              ),
              p('Detail', 'Depends on parameter 2: the stuck PnP event code, NDIS_STATUS or OID; otherwise 0.'),
            ],
          ],
          [
            0x26,
            'A miniport completed an OID request that was not pending on it (completed twice?).',
            [
              p('Miniport driver', 'The miniport driver handle (!ndiskd.minidriver).'),
              p('OID request', 'The request being completed.'),
              ZERO,
            ],
          ],
          [
            0x27,
            'A driver leaked a NET_BUFFER_LIST.',
            [
              p(
                'Where',
                'Where the leak was found (1: the NBL tracker; the driver unbinding or deregistering is the likely culprit).',
              ),
              ZERO,
              ZERO,
            ],
          ],
        ],
      },
    ],
    [
      0x7d,
      {
        summary: 'There is not enough memory to start Windows.',
        parameters: [
          p('Pages found', 'Physical pages found.'),
          p('Lowest page', 'Lowest physical page.'),
          p('Highest page', 'Highest physical page.'),
          ZERO,
        ],
      },
    ],
    [
      0x7e,
      {
        summary: 'A system thread raised an exception that no handler caught.',
        parameters: [EXCEPTION_CODE, EXCEPTION_ADDRESS, EXCEPTION_RECORD, CONTEXT_RECORD],
      },
    ],
    [
      0x0000007f,
      {
        summary: 'The processor raised a trap the kernel may not catch, or a double fault.',
        parameters: [
          p('Trap number', 'Processor exception vector that occurred (8, a double fault, is the usual one).'),
          UNDOCUMENTED,
          UNDOCUMENTED,
          UNDOCUMENTED,
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
}
