/** Parameter meanings of the codes 0xC0–0xFF, in our own words (facts from each code's public reference page). */
import type { CaseRow, DetailRows, OtherParams } from './common.js';
import {
  BY_P1,
  CURRENT_IRQL,
  DEVICE_OBJECT,
  DRIVER_OBJECT,
  FAULTING_IP,
  FAULTING_IP_IF_KNOWN,
  FREED_OR_OVERRUN_POOL,
  IRP,
  IRQL_AT_FAULT,
  MDL,
  MDL_FLAGS,
  MEMORY_REFERENCED,
  NONE,
  NOT_USED,
  POOL_ADDRESS,
  POOL_TYPE,
  RAISED_IRQL_FAULT,
  READ_OR_WRITE,
  RESERVED,
  THREAD,
  UNDOCUMENTED,
  ZERO,
  access,
  accessedAddress,
  dependsOn,
  p,
  rules,
} from './common.js';

// Driver Verifier (0xC4)
const SPIN_LOCK = p('Spin lock', 'Address of the spin lock.');
const APC_DISABLE_COUNT = p('APC disable count', "The thread's APC disable count.");
const ALLOCATION = p('Allocation', 'Base address of the allocation.');
const CHARGED_BYTES = p('Charged bytes', 'Bytes charged for the allocation.');
const ACCESS_MODE = p('Access mode', 'Access mode passed.');
const UNMAPPED_ADDRESS = p('Address', 'Virtual address being unmapped.');
const NOT_LOCKED_PAGE = p('Unlocked page', 'First page frame number that is not locked.');
const LOWER_DEVICE = p('Lower device', 'Device object of the lower device.');
const SECTOR = p('Sector', 'Number of the sector where the error was found.');
const BAD_MDL_FLAGS = p('Bad flags', 'The MDL flags that are wrong.');
const PARTIAL_MDL_FLAG = p('Partial flag', 'The unexpected partial-MDL flag.');
const LOOKASIDE = p('Lookaside list', 'Address of the lookaside list.');
const ALLOCATION_START = p('Allocation', 'Start of the pool allocation.');
const ALLOCATION_SIZE = p('Size', 'Size of the pool allocation.');
const ERESOURCE = p('ERESOURCE', 'Address of the ERESOURCE.');
const REMOVE_LOCK = p(
  'Remove lock',
  "Address of the IO_REMOVE_LOCK (for a driver that is not a checked build, Driver Verifier's shadow lock).",
);
const DRIVER_START = p('Driver', 'Start address of the driver.');
const CALL_SITE = p(
  'Faulting instruction',
  'Address in the driver where the offending call was made.',
  'faultingInstruction',
);
const PUSHLOCK = p('Pushlock', 'Address of the pushlock.');
const COMPLETION_ROUTINE = p('Completion routine', 'Address of the completion routine.');
const ISR = p('ISR', 'Address of the interrupt service routine.');
const WAIT_ARGUMENTS: OtherParams = [
  p('IRQL address', 'Address of the IRQL value.'),
  p('Object', 'Address of the object waited on.'),
  p('Timeout', 'Address of the time-out value.'),
];
const WORK_ITEM = p('Work item', 'Address of the work item.');
const FREED_BLOCK = p('Block', 'Address of the pool block being freed.');
const RESOURCE = p('Resource', 'Address of the resource.');
const LOCK = p('Lock', 'Address of the lock.');
const INVARIANT_MDL: OtherParams = [
  p('Device', 'Device object the IRP was sent to.'),
  p('IRP', 'Address of the IRP.'),
  p('Buffer', 'System-space virtual address of the buffer the MDL describes.'),
];
const IMAGE_NAME = p('Image name', 'Image file name (Unicode string).');
const SECTION_HEADER = p('Section header', 'Address of the section header.');
const SECTION_NAME = p('Section name', 'Section name (UTF-8 string).');
const NBL = p('NetBufferList', 'Address of the NetBufferList.');
const VSWITCH = p('Switch', 'Address of the virtual switch object, if any.');
const VSWITCH_CONTEXT = p('Switch context', 'Address of the virtual switch context.');

// I/O verification (0xC9): the I/O error codes, with what parameters 2-4 hold
const DETECTED_AT = p(
  'Faulting instruction',
  'Address in the driver code where the error was found.',
  'faultingInstruction',
);
type IoErrorLayout =
  | 'none'
  | 'reserved'
  | 'irpOnly'
  | 'site'
  | 'siteReserved'
  | 'siteDevice'
  | 'siteIrp'
  | 'siteIrpDevice'
  | 'siteIrpProvider'
  | 'siteIrpExpected'
  | 'siteIrpStatus'
  | 'siteIrpIrql'
  | 'siteTwoDevices';
const IO_ERROR_LAYOUTS: Readonly<Record<IoErrorLayout, OtherParams>> = {
  none: [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED],
  reserved: [RESERVED, RESERVED, UNDOCUMENTED],
  irpOnly: [UNDOCUMENTED, IRP, UNDOCUMENTED],
  site: [DETECTED_AT, UNDOCUMENTED, UNDOCUMENTED],
  siteReserved: [DETECTED_AT, RESERVED, RESERVED],
  siteDevice: [DETECTED_AT, DEVICE_OBJECT, UNDOCUMENTED],
  siteIrp: [DETECTED_AT, IRP, UNDOCUMENTED],
  siteIrpDevice: [DETECTED_AT, IRP, DEVICE_OBJECT],
  siteIrpProvider: [DETECTED_AT, IRP, p('ProviderId', 'The WMI provider ID.')],
  siteIrpExpected: [DETECTED_AT, IRP, p('Expected status', 'The status that was expected.', 'status')],
  siteIrpStatus: [DETECTED_AT, IRP, p('Status', 'The status returned.', 'status')],
  siteIrpIrql: [DETECTED_AT, IRP, p('IRQL', 'The IRQL that is not allowed.', 'irql')],
  siteTwoDevices: [DETECTED_AT, p('First device', 'First device object.'), p('Second device', 'Second device object.')],
};
function ioErrors(rows: readonly (readonly [number, string, IoErrorLayout])[]): CaseRow[] {
  return rows.map(([key, description, layout]) => [
    key,
    `I/O error 0x${key.toString(16).toUpperCase()}: ${description}`,
    IO_ERROR_LAYOUTS[layout],
  ]);
}
// Locked pages and PTE misuse (0xD9, 0xDA)
const LOCK_TRACKER = p('Lock tracker', 'Address of the internal lock tracking structure.');
const INITIAL_MAPPING = p('Initial mapping', 'The first mapping.');
const MAPPINGS = p('Mappings', 'Number of mappings.');
const MAPPING_POOL = p('Pool type', 'Type of mapping pool.');
const MISSING_MAPPING: OtherParams = [
  p('Mapping', 'The mapping that does not exist.'),
  p('Freeing', 'Mappings the caller frees.'),
  MAPPING_POOL,
];
const FIRST_MAPPING = p('First mapping', 'The first mapping address.');
const CALLER_TAG = p('Caller tag', "The caller's identifying tag.");
const OWNER_TAG = p('Owner tag', "The owner's identifying tag.");
const BIOS_DEFINED = p('BIOS data', 'Set by the BIOS, not Windows; only the hardware vendor can read it.');
const WORK_ITEM_ADDRESS = p('Work item', 'Address of the work item.');
const QUEUE_NUMBER = p('Queue', 'Queue number.');
// DMA verification (0xE6)
const DMA_ADAPTER = p('DMA adapter', 'Address of the DMA adapter.');
const VERIFIER_DATA = p('Verifier data', "Address of Driver Verifier's internal data for it.");
const DMA_UNDOCUMENTED: OtherParams = [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED];
const MINIPORT_NAME = p('Driver name', 'Address of the Unicode string naming the miniport driver.');
const STALL_DELAY = p('Delay', 'Delay asked for, in microseconds.');
const HW_DEVICE_EXTENSION = p('Device extension', "Address of the miniport's HW_DEVICE_EXTENSION.");
const CALLBACK_DATA = p('Callback data', 'Address of the callback data of the operation.');
const FILTER_CONTEXT = p('Context', "Address of the minifilter's context structure.");
const CONTEXT_NODE = p('CONTEXT_NODE', 'Address of the CONTEXT_NODE.');

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details00C0(): DetailRows {
  return [
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
        parameters: [
          p('Violation', 'Kind of bad pool request; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
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
            [
              RESERVED,
              p('Pool header', 'Address of the pool header.'),
              p('Header contents', 'Contents of the header.'),
            ],
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
            [
              POOL_ADDRESS,
              p('Pool tag', 'Tag of the allocation.'),
              p('Quota process', 'The bad quota process pointer.'),
            ],
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
            'A free was given a paged pool address inside an allocation rather than at its start.',
            [RESERVED, RESERVED, p('Page offset', 'Offset in pages from the start of paged pool.')],
          ],
        ],
      },
    ],
    [
      0xc4,
      {
        summary: 'Driver Verifier caught a driver breaking a rule; parameter 1 names the rule.',
        parameters: [
          p('Violation', 'Driver Verifier check that failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          // Pool allocation and IRQL
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
          [
            0x3,
            'The driver asked for more than one page of must-succeed pool, the most this API allows.',
            [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x10, 'The driver freed an address no allocation returned.', [p('Address', 'The bad address.'), ZERO, ZERO]],
          [0x11, 'The driver freed paged pool above APC_LEVEL.', [CURRENT_IRQL, POOL_TYPE, POOL_ADDRESS]],
          [0x12, 'The driver freed nonpaged pool above DISPATCH_LEVEL.', [CURRENT_IRQL, POOL_TYPE, POOL_ADDRESS]],
          [
            [0x13, 0x14],
            'The driver freed pool that was already freed.',
            [
              RESERVED,
              p('Pool header', 'Address of the pool header.'),
              p('Header contents', 'Contents of the header.'),
            ],
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
          // IRQL and synchronization
          [
            0x30,
            'KeRaiseIrql was given an IRQL lower than the current one or above HIGH_LEVEL (an uninitialized variable?).',
            [CURRENT_IRQL, p('Requested IRQL', 'IRQL passed in.'), ZERO],
          ],
          [
            0x31,
            'KeLowerIrql was given an IRQL higher than the current one or above HIGH_LEVEL, or one not allowed inside a DPC.',
            [
              CURRENT_IRQL,
              p('Requested IRQL', 'IRQL passed in.'),
              p('Reason', '0: the new IRQL is bad; 1: the new IRQL is not allowed inside a DPC routine.'),
            ],
          ],
          [
            0x32,
            'KeReleaseSpinLock was called at an IRQL other than DISPATCH_LEVEL (perhaps a double release).',
            [CURRENT_IRQL, SPIN_LOCK, ZERO],
          ],
          [
            0x33,
            'A fast mutex was acquired above APC_LEVEL.',
            [CURRENT_IRQL, p('Fast mutex', 'Address of the fast mutex.'), ZERO],
          ],
          [
            0x34,
            'A fast mutex was released at an IRQL other than APC_LEVEL.',
            [CURRENT_IRQL, APC_DISABLE_COUNT, p('Fast mutex', 'Address of the fast mutex.')],
          ],
          [
            0x35,
            'The kernel released a spin lock at an IRQL other than DISPATCH_LEVEL.',
            [CURRENT_IRQL, SPIN_LOCK, p('Old IRQL', 'IRQL to return to.')],
          ],
          [
            0x36,
            'The kernel released a queued spin lock at an IRQL other than DISPATCH_LEVEL.',
            [
              CURRENT_IRQL,
              p('Spin lock number', 'Number of the queued spin lock.'),
              p('Old IRQL', 'IRQL to return to.'),
            ],
          ],
          [
            [0x37, 0x38],
            'A resource was acquired (0x37) or released (0x38) without APCs disabled.',
            [CURRENT_IRQL, APC_DISABLE_COUNT, p('Resource', 'Address of the resource.')],
          ],
          [
            [0x39, 0x3a],
            'An "unsafe" mutex acquire (0x39) or release (0x3A) was entered at an IRQL other than APC_LEVEL.',
            [CURRENT_IRQL, APC_DISABLE_COUNT, p('Mutex', 'Address of the mutex.')],
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
          [
            0x3d,
            'ExAcquireResourceExclusive was given a bad (unaligned) resource.',
            [ZERO, ZERO, p('Resource', 'Address of the bad resource.')],
          ],
          [0x3e, 'KeLeaveCriticalRegion was called by a thread not in a critical region.', [ZERO, ZERO, ZERO]],
          [
            0x3f,
            "An object's reference count went wrong: referenced or dereferenced while already at zero.",
            [
              p('Object', 'Address of the object.'),
              p('New count', 'Resulting reference count (-1 on the dereference path, 1 on the reference path).'),
              ZERO,
            ],
          ],
          [
            [0x40, 0x41],
            'KeAcquireSpinLockAtDpcLevel (0x40) or KeReleaseSpinLockFromDpcLevel (0x41) was called below DISPATCH_LEVEL.',
            [CURRENT_IRQL, SPIN_LOCK, ZERO],
          ],
          [0x42, 'KeAcquireSpinLock was called above DISPATCH_LEVEL.', [CURRENT_IRQL, SPIN_LOCK, ZERO]],
          // Pool tracking
          [
            0x51,
            'The driver freed memory after writing past its end (pool tracking).',
            [ALLOCATION, p('Reference', 'Address of the write beyond the end.'), CHARGED_BYTES],
          ],
          [
            0x52,
            'The driver freed memory after writing past its end (pool tracking).',
            [ALLOCATION, p('Hash entry', 'The hash entry.'), CHARGED_BYTES],
          ],
          [
            0x53,
            'The driver freed memory after writing past its end (pool tracking).',
            [ALLOCATION, p('Header', 'The header.'), RESERVED],
          ],
          [
            0x54,
            'The driver freed memory after writing past its end (pool tracking).',
            [ALLOCATION, RESERVED, p('Hash size', 'Size of the pool hash.')],
          ],
          [
            0x59,
            'The driver freed memory after writing past its end (pool tracking).',
            [ALLOCATION, p('List index', 'The list index.'), RESERVED],
          ],
          [
            0x60,
            'The driver is unloading without freeing its pool (pool tracking).',
            [
              p('Paged bytes', 'Bytes still allocated from paged pool.'),
              p('Nonpaged bytes', 'Bytes still allocated from nonpaged pool.'),
              p('Allocations', 'Number of allocations not freed.'),
            ],
          ],
          [
            0x61,
            'A driver thread allocated pool while the driver was unloading (pool tracking).',
            [
              p('Paged bytes', 'Bytes allocated from paged pool.'),
              p('Nonpaged bytes', 'Bytes allocated from nonpaged pool.'),
              p('Allocations', 'Number of allocations not freed.'),
            ],
          ],
          [
            0x62,
            'The driver is unloading without freeing its pool (pool tracking; `!verifier 3 driver.sys` lists the leaks).',
            [
              p('Driver name', 'Name of the driver.'),
              RESERVED,
              p('Allocations', 'Allocations not freed, paged and nonpaged together.'),
            ],
          ],
          // MDLs and mapping
          [
            0x6f,
            'MmProbeAndLockPages was called on pages outside the PFN database (e.g. a driver locking its own dual-port RAM).',
            [MDL, p('Page', 'Physical page being locked.'), p('Highest page', 'Highest physical page of the system.')],
          ],
          [0x70, 'MmProbeAndLockPages was called above DISPATCH_LEVEL.', [CURRENT_IRQL, MDL, ACCESS_MODE]],
          [
            0x71,
            'MmProbeAndLockProcessPages was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, MDL, p('Process', 'Address of the process.')],
          ],
          [
            0x72,
            'MmProbeAndLockSelectedPages was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, MDL, p('Process', 'Address of the process.')],
          ],
          [
            0x73,
            'MmMapIoSpace was called above DISPATCH_LEVEL.',
            [
              CURRENT_IRQL,
              p('Physical address', 'The physical address (32-bit Windows: its low 32 bits).'),
              p('Size', 'Bytes to map.'),
            ],
          ],
          [0x74, 'MmMapLockedPages (kernel mode) was called above DISPATCH_LEVEL.', [CURRENT_IRQL, MDL, ACCESS_MODE]],
          [0x75, 'MmMapLockedPages (user mode) was called above APC_LEVEL.', [CURRENT_IRQL, MDL, ACCESS_MODE]],
          [
            0x76,
            'MmMapLockedPagesSpecifyCache (kernel mode) was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, MDL, ACCESS_MODE],
          ],
          [
            0x77,
            'MmMapLockedPagesSpecifyCache (user mode) was called above APC_LEVEL.',
            [CURRENT_IRQL, MDL, ACCESS_MODE],
          ],
          [0x78, 'MmUnlockPages was called above DISPATCH_LEVEL.', [CURRENT_IRQL, MDL, ZERO]],
          [
            0x79,
            'MmUnmapLockedPages (kernel mode) was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, UNMAPPED_ADDRESS, MDL],
          ],
          [0x7a, 'MmUnmapLockedPages (user mode) was called above APC_LEVEL.', [CURRENT_IRQL, UNMAPPED_ADDRESS, MDL]],
          [
            0x7b,
            'MmUnmapIoSpace was called above APC_LEVEL.',
            [CURRENT_IRQL, UNMAPPED_ADDRESS, p('Size', 'Bytes to unmap.')],
          ],
          [0x7c, 'MmUnlockPages was given an MDL whose pages were never locked.', [MDL, MDL_FLAGS, ZERO]],
          [
            0x7d,
            'MmUnlockPages was given an MDL of nonpaged pool pages (which must never be unlocked).',
            [MDL, MDL_FLAGS, ZERO],
          ],
          [
            0x7e,
            'MmAllocatePagesForMdl(Ex) or MmFreePagesFromMdl was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, p('DISPATCH_LEVEL', 'The highest IRQL allowed.'), ZERO],
          ],
          [0x7f, 'BuildMdlForNonPagedPool was given an MDL of paged pool pages.', [CURRENT_IRQL, MDL, MDL_FLAGS]],
          [
            0x80,
            'KeSetEvent was called above DISPATCH_LEVEL.',
            [CURRENT_IRQL, p('Event', 'Address of the event.'), ZERO],
          ],
          [
            0x81,
            'The driver called MmMapLockedPages (MmMapLockedPagesSpecifyCache with BugCheckOnFailure FALSE is the one to use).',
            [MDL, MDL_FLAGS, ZERO],
          ],
          [
            0x82,
            'MmMapLockedPagesSpecifyCache was called with BugCheckOnFailure TRUE (it should be FALSE).',
            [MDL, MDL_FLAGS, ZERO],
          ],
          [
            0x83,
            'MmMapIoSpace was called on a physical range whose pages were not locked first.',
            [p('Physical address', 'Start of the physical range to map.'), p('Size', 'Bytes to map.'), NOT_LOCKED_PAGE],
          ],
          [
            0x85,
            'MmMapLockedPages was called on an MDL whose pages were not locked first.',
            [MDL, p('Pages', 'Pages to map.'), NOT_LOCKED_PAGE],
          ],
          [
            0x89,
            'An MDL not marked as I/O holds addresses that are not memory.',
            [
              MDL,
              p('Entry', 'Address of the non-memory page entry in the MDL.'),
              p('Page', 'The non-memory page number.'),
            ],
          ],
          [
            0x91,
            'The driver switched stacks in a way the system does not support (KeExpandKernelStackAndCallout is the way).',
            [RESERVED, RESERVED, RESERVED],
          ],
          // Disk integrity
          [
            0xa0,
            'Disk integrity checking found a CRC error on a hard disk sector.',
            [p('IRP', 'The IRP making the read or write.'), LOWER_DEVICE, SECTOR],
          ],
          [
            0xa1,
            'Disk integrity checking found a CRC error on a sector, after the IRP completed.',
            [p('IRP copy', 'A copy of the read or write IRP (the real one has completed).'), LOWER_DEVICE, SECTOR],
          ],
          [
            0xa2,
            'Disk integrity checking found that its checksum copies disagree (perhaps a paging error).',
            [p('IRP', 'The IRP making the read or write, or a copy of it.'), LOWER_DEVICE, SECTOR],
          ],
          // MDL flags
          [
            0xb0,
            'MmProbeAndLockPages was given an MDL with wrong flags (e.g. one built by MmBuildMdlForNonPagedPool).',
            [MDL, MDL_FLAGS, BAD_MDL_FLAGS],
          ],
          [0xb1, 'MmProbeAndLockProcessPages was given an MDL with wrong flags.', [MDL, MDL_FLAGS, BAD_MDL_FLAGS]],
          [
            0xb2,
            'MmMapLockedPages was given an MDL with wrong flags (already mapped to system space, or not locked).',
            [MDL, MDL_FLAGS, BAD_MDL_FLAGS],
          ],
          [
            0xb3,
            'MmMapLockedPages was given an MDL missing the flags it needs (e.g. not locked).',
            [MDL, MDL_FLAGS, p('Missing flags', 'Flags expected, at least one of which is missing.')],
          ],
          [
            0xb4,
            'MmUnlockPages was given a partial MDL (built by IoBuildPartialMdl).',
            [MDL, MDL_FLAGS, PARTIAL_MDL_FLAG],
          ],
          [
            0xb5,
            'MmUnmapLockedPages was given a partial MDL (built by IoBuildPartialMdl).',
            [MDL, MDL_FLAGS, PARTIAL_MDL_FLAG],
          ],
          [
            0xb6,
            'MmUnmapLockedPages was given an MDL not mapped to a system address.',
            [MDL, MDL_FLAGS, p('Missing flag', 'The flag that should be set.')],
          ],
          [
            0xb7,
            'The BIOS damaged low physical memory during a sleep transition.',
            [
              p('Pages', 'Number of damaged physical pages.'),
              p('First page', 'First damaged physical page.'),
              p('Last page', 'Last damaged physical page.'),
            ],
          ],
          [0xb8, 'IoFreeMdl was called while the pages of the MDL are still mapped.', [MDL, MDL_FLAGS, RESERVED]],
          [0xb9, 'MmUnmapLockedPages was given a bad user-space address.', [UNMAPPED_ADDRESS, MDL, RESERVED]],
          // Interrupts and APCs around calls into drivers
          [0xc0, 'IoCallDriver was called with interrupts disabled.', [IRP, ZERO, RESERVED]],
          [
            0xc1,
            'A dispatch routine returned with interrupts disabled.',
            [p('Dispatch routine', 'Address of the dispatch routine.'), RESERVED, RESERVED],
          ],
          [0xc2, 'A Fast I/O dispatch routine was called with interrupts disabled.', [ZERO, ZERO, ZERO]],
          [
            0xc3,
            'A Fast I/O dispatch routine returned with interrupts disabled.',
            [p('Fast I/O routine', 'Address of the Fast I/O dispatch routine.'), RESERVED, RESERVED],
          ],
          [
            0xc5,
            "A dispatch routine changed the thread's APC disable count (critical region or mutex calls not paired).",
            [
              p('Dispatch routine', 'Address of the dispatch routine.'),
              p('APC disable count', 'Count now.'),
              p('Previous count', 'Count before the call.'),
            ],
          ],
          [
            0xc6,
            "A Fast I/O dispatch routine changed the thread's APC disable count.",
            [
              p('Fast I/O routine', 'Address of the Fast I/O dispatch routine.'),
              p('APC disable count', 'Count now.'),
              p('Previous count', 'Count before the call.'),
            ],
          ],
          // Lookaside lists, resources, remove locks
          [0xca, 'A lookaside list was initialized a second time.', [LOOKASIDE, RESERVED, RESERVED]],
          [0xcb, 'A lookaside list that was never initialized was deleted.', [LOOKASIDE, RESERVED, RESERVED]],
          [
            0xcc,
            'A pool block holding an active lookaside list was freed.',
            [LOOKASIDE, ALLOCATION_START, ALLOCATION_SIZE],
          ],
          [
            0xcd,
            'A lookaside list was created with a block size that is too small.',
            [LOOKASIDE, p('Block size', 'Block size asked for.'), p('Minimum', 'Smallest block size supported.')],
          ],
          [0xd0, 'An ERESOURCE was initialized a second time.', [ERESOURCE, RESERVED, RESERVED]],
          [0xd1, 'An ERESOURCE that was never initialized was deleted.', [ERESOURCE, RESERVED, RESERVED]],
          [0xd2, 'A pool block holding an active ERESOURCE was freed.', [ERESOURCE, ALLOCATION_START, ALLOCATION_SIZE]],
          [
            0xd5,
            'The IoReleaseRemoveLock tag does not match the IoAcquireRemoveLock tag (I/O verification).',
            [REMOVE_LOCK, p('Release tag', 'Tag passed to IoReleaseRemoveLock.'), RESERVED],
          ],
          [
            0xd6,
            'The IoReleaseRemoveLockAndWait tag does not match the IoAcquireRemoveLock tag (I/O verification).',
            [
              REMOVE_LOCK,
              p('Release tag', 'The tag that does not match.'),
              p('Acquire tag', 'Tag of the earlier IoAcquireRemoveLock.'),
            ],
          ],
          [
            0xd7,
            'A remove lock was initialized again (not allowed even after IoReleaseRemoveLockAndWait).',
            [
              p('Verifier lock', "Address of Driver Verifier's own remove lock."),
              p('Driver lock', 'Address of the remove lock the driver gave.'),
              RESERVED,
            ],
          ],
          // WMI and ETW
          [
            0xda,
            'A driver is unloading without deregistering its WMI callback.',
            [DRIVER_START, p('WMI callback', 'Address of the WMI callback in the driver.'), RESERVED],
          ],
          [0xdb, 'A device object still registered with WMI was deleted.', [DEVICE_OBJECT, RESERVED, RESERVED]],
          [0xdc, 'EtwUnregister was given an invalid RegHandle.', [RESERVED, RESERVED, RESERVED]],
          [
            0xdd,
            'A driver is unloading without calling EtwUnregister.',
            [
              p('EtwRegister call', 'Address of the call to EtwRegister.'),
              DRIVER_START,
              p('RegHandle', 'The ETW RegHandle (Windows 8 and later).'),
            ],
          ],
          // Addresses and handles
          [
            0xdf,
            'A synchronization object lives in session space, where other sessions or system threads may not see it.',
            [p('Object', 'Address of the synchronization object.'), ZERO, ZERO],
          ],
          [
            0xe0,
            'A kernel function that needs a kernel-mode address was given a user-mode one.',
            [p('Address', 'The user-mode address passed.'), p('Size', 'Size of the range in bytes.'), RESERVED],
          ],
          [
            0xe1,
            'A synchronization object has an invalid or pageable address.',
            [p('Object', 'Address of the synchronization object.'), RESERVED, RESERVED],
          ],
          [
            0xe2,
            'An IRP with RequestorMode KernelMode holds a user-mode address.',
            [IRP, p('Address', 'The user-mode address in it.'), RESERVED],
          ],
          [
            0xe3,
            'A driver called a ZwXxx routine with a user-mode address.',
            [CALL_SITE, p('Address', 'The user-mode address passed.'), RESERVED],
          ],
          [
            0xe4,
            'A driver called a ZwXxx routine with a malformed UNICODE_STRING.',
            [CALL_SITE, p('String', 'Address of the malformed UNICODE_STRING.'), RESERVED],
          ],
          [0xe5, 'A kernel API was called at the wrong IRQL.', [CURRENT_IRQL, RESERVED, RESERVED]],
          [
            0xe6,
            'A Zw routine was called not at PASSIVE_LEVEL, or with special kernel APCs disabled.',
            [CALL_SITE, CURRENT_IRQL, p('Special kernel APCs', 'State of special kernel APC delivery.')],
          ],
          [0xea, 'A pushlock was acquired with APCs enabled.', [CURRENT_IRQL, APC_DISABLE_COUNT, PUSHLOCK]],
          [0xeb, 'A pushlock was released with APCs enabled.', [CURRENT_IRQL, APC_DISABLE_COUNT, PUSHLOCK]],
          [
            0xf0,
            'memcpy was called with overlapping source and destination.',
            [p('Destination', 'Destination buffer.'), p('Source', 'Source buffer.'), p('Size', 'Bytes to copy.')],
          ],
          [
            0xf5,
            'ObReferenceObjectByHandle was given a NULL handle.',
            [p('Handle', 'The NULL handle.'), p('Object type', 'Object type asked for.'), RESERVED],
          ],
          [
            0xf6,
            'A driver referenced a user-mode handle as if it were a kernel handle.',
            [
              p('Handle', 'The handle value.'),
              p('Process', 'Current process.'),
              p('Faulting instruction', 'Address in the driver making the reference.', 'faultingInstruction'),
            ],
          ],
          [
            0xf7,
            'A driver made a user-mode reference to a kernel handle in the System process.',
            [
              p('Handle', 'The handle passed.'),
              p('Object type', 'Object type passed.'),
              p('Access mode', 'AccessMode passed.'),
            ],
          ],
          [
            0xfa,
            'An IRP completion routine returned at a different IRQL than it was called at.',
            [COMPLETION_ROUTINE, p('IRQL before', 'IRQL before the call.'), p('IRQL after', 'IRQL after the call.')],
          ],
          [
            0xfb,
            "An IRP completion routine changed the thread's APC disable count.",
            [COMPLETION_ROUTINE, p('APC disable count', 'Count now.'), p('Previous count', 'Count before the call.')],
          ],
          [
            0xfc,
            'ZwNotifyChangeKey was called from kernel mode with an unsupported ApcContext.',
            [CALL_SITE, p('ApcContext', 'The ApcContext passed.'), RESERVED],
          ],
          [0x105, 'The driver released an IRP with ExFreePool instead of IoFreeIrp.', [IRP, ZERO, ZERO]],
          [0x10a, 'The driver charged pool quota to the Idle process.', [ZERO, ZERO, ZERO]],
          [
            0x10b,
            'The driver charged pool quota from a DPC routine, where the current process is undefined.',
            [ZERO, ZERO, ZERO],
          ],
          [
            0x110,
            "The driver's interrupt service routine damaged the extended thread context.",
            [
              ISR,
              p('Context before', 'Address of the extended context saved before the ISR ran.'),
              p('Context after', 'Address of the extended context saved after.'),
            ],
          ],
          [
            0x111,
            'An interrupt service routine returned at a different IRQL.',
            [ISR, p('IRQL before', 'IRQL before the ISR.'), p('IRQL after', 'IRQL after the ISR.')],
          ],
          [
            0x115,
            'Shutdown has taken longer than 20 minutes.',
            [p('Thread', 'The thread doing the shutdown, which may be deadlocked.'), ZERO, ZERO],
          ],
          [0x11a, 'KeEnterCriticalRegion was called above APC_LEVEL.', [CURRENT_IRQL, ZERO, ZERO]],
          [0x11b, 'KeLeaveCriticalRegion was called above APC_LEVEL.', [CURRENT_IRQL, ZERO, ZERO]],
          [0x120, 'A thread waited above DISPATCH_LEVEL.', WAIT_ARGUMENTS],
          [0x121, 'A thread waited at DISPATCH_LEVEL with no time-out.', WAIT_ARGUMENTS],
          [
            0x122,
            'A thread waited at DISPATCH_LEVEL with a non-zero time-out (only allowed at APC_LEVEL or below).',
            WAIT_ARGUMENTS,
          ],
          [
            0x123,
            'A UserMode wait was made on an object that lives on the kernel stack.',
            [p('Object', 'Address of the object waited on.'), ZERO, ZERO],
          ],
          [
            0x130,
            'A work item lives in session space, where other sessions or system threads may not see it.',
            [WORK_ITEM, ZERO, ZERO],
          ],
          [
            0x131,
            'A work item is in pageable memory (the kernel uses work items at DISPATCH_LEVEL).',
            [WORK_ITEM, ZERO, ZERO],
          ],
          [
            0x135,
            'A cancelled IRP was not completed in the expected time.',
            [IRP, p('Allowed time', 'Milliseconds allowed between IoCancelIrp and completion.'), ZERO],
          ],
          [
            0x13a,
            'ExFreePool: a value Driver Verifier uses to track pool usage is wrong.',
            [
              FREED_BLOCK,
              p('Bad value', 'The incorrect value.'),
              p('Value address', 'Address of the incorrect value.'),
            ],
          ],
          [
            0x13b,
            'ExFreePool: a value Driver Verifier uses to track pool usage is wrong.',
            [
              FREED_BLOCK,
              p('Value address', 'Address of the incorrect value.'),
              p('Page pointer', 'Address of a pointer to the wrong memory page.'),
            ],
          ],
          [
            0x13c,
            'ExFreePool: a value Driver Verifier uses to track pool usage is wrong.',
            [
              FREED_BLOCK,
              p('Bad value', 'The incorrect value.'),
              p('Value address', 'Address of the incorrect value.'),
            ],
          ],
          [
            0x13d,
            'ExFreePool: a value Driver Verifier uses to track pool usage is wrong.',
            [
              FREED_BLOCK,
              p('Value address', 'Address of the incorrect value.'),
              p('Expected value', 'The value that was expected.'),
            ],
          ],
          [
            0x13e,
            'ExFreePool was given a different address than the one Driver Verifier tracks for the block.',
            [
              p('Caller address', 'Block address the caller passed.'),
              p('Tracked address', 'Block address Driver Verifier tracks.'),
              p('Tracked pointer', 'Address of the tracked block address.'),
            ],
          ],
          [
            0x13f,
            'ExFreePool is freeing a different number of bytes than Driver Verifier tracks for the block.',
            [
              FREED_BLOCK,
              p('Bytes freed', 'Bytes being freed.'),
              p('Tracked size', 'Address of the byte count Driver Verifier tracks.'),
            ],
          ],
          [
            0x140,
            'A non-locked MDL was built from pageable or tradable memory.',
            [CURRENT_IRQL, MDL, p('Virtual address', 'Virtual address of the MDL.')],
          ],
          [
            0x141,
            'The driver explicitly asked for physical memory below 4 GB.',
            [p('Highest address', 'Highest physical address asked for.'), p('Size', 'Bytes to allocate.'), ZERO],
          ],
          // Deadlock detection and I/O verification
          [
            0x1000,
            'Deadlock detection: a thread tried to take exclusively a resource it holds shared.',
            [RESOURCE, RESERVED, RESERVED],
          ],
          [
            0x1001,
            'Deadlock detection: a lock hierarchy violation was found (`!deadlock`).',
            [p('Resource', 'Resource that closed the cycle.'), RESERVED, RESERVED],
          ],
          [
            0x1002,
            'Deadlock detection: a resource was acquired before it was initialized.',
            [RESOURCE, RESERVED, RESERVED],
          ],
          [
            0x1003,
            'Deadlock detection: resources were released out of order.',
            [
              p('Resource', 'Resource being released.'),
              p('Expected resource', 'Resource that should have been released first.'),
              RESERVED,
            ],
          ],
          [
            0x1004,
            'Deadlock detection: a resource was released by a thread other than the one that acquired it.',
            [
              RESOURCE,
              p('Owner thread', 'Thread that acquired the resource.'),
              p('Current thread', 'Thread releasing it.'),
            ],
          ],
          [0x1005, 'Deadlock detection: a resource was initialized more than once.', [RESOURCE, RESERVED, RESERVED]],
          [
            0x1007,
            'Deadlock detection: a resource was released before it was acquired.',
            [RESOURCE, RESERVED, RESERVED],
          ],
          [0x1008, 'A lock was acquired with an API that does not match its type.', [LOCK, RESERVED, RESERVED]],
          [0x1009, 'A lock was released with an API that does not match its type.', [LOCK, RESERVED, RESERVED]],
          [
            0x100a,
            'A thread ended while it still owns a lock.',
            [p('Owner thread', 'Address of the owning thread.'), RESERVED, UNDOCUMENTED],
          ],
          [
            0x100b,
            'A lock was deleted while a thread still owns it.',
            [LOCK, p('Owner thread', 'Address of the owning thread.'), RESERVED],
          ],
          [
            0x1010,
            'The contents of the MDL buffer of a write IRP changed while they had to stay the same.',
            INVARIANT_MDL,
          ],
          [
            0x1011,
            'The contents of the MDL buffer of a read IRP changed during dispatch, or the buffer is backed by dummy pages.',
            INVARIANT_MDL,
          ],
          [
            0x1012,
            "Damage was found in Driver Verifier's extension state storage.",
            [
              p('Description', 'Address of a string describing the violation.'),
              p('Data', 'Data involved, or 0.'),
              p('Data', 'More data involved, or 0.'),
            ],
          ],
          [
            0x1013,
            "Damage was found in Driver Verifier's copy of the driver's original I/O callbacks.",
            [DRIVER_OBJECT, p('Callbacks', 'Address of the captured original I/O callbacks.'), RESERVED],
          ],
          // Code integrity
          [
            0x2000,
            'Code integrity: an executable pool type was requested (NonPagedPoolNx expected).',
            [CALL_SITE, POOL_TYPE, p('Pool tag', 'Tag, if given.')],
          ],
          [
            0x2001,
            'Code integrity: an executable page protection was requested.',
            [CALL_SITE, p('Protection', 'The WIN32_PROTECTION_MASK asked for.'), ZERO],
          ],
          [
            0x2002,
            'Code integrity: an executable MDL mapping was requested (MdlMappingNoExecute expected).',
            [CALL_SITE, p('Page priority', 'MM_PAGE_PRIORITY ORed with MdlMapping flags.'), ZERO],
          ],
          [
            0x2003,
            'Code integrity: the image has a section that is both executable and writable.',
            [IMAGE_NAME, SECTION_HEADER, SECTION_NAME],
          ],
          [
            0x2004,
            'Code integrity: the image has a section that is not page aligned.',
            [IMAGE_NAME, SECTION_HEADER, SECTION_NAME],
          ],
          [
            0x2005,
            'Code integrity: the import address table is in an executable section.',
            [IMAGE_NAME, p('IAT directory', 'The IAT directory.'), SECTION_NAME],
          ],
          // Hyper-V extensible switch
          [0xa001, 'VM switch: the SourceHandle of the NetBufferList is not set.', [NBL, VSWITCH, RESERVED]],
          [0xa002, 'VM switch: the forwarding detail of the NetBufferList is not zero.', [NBL, VSWITCH, RESERVED]],
          [0xa003, 'VM switch: a NetBufferList has a NULL packet header or routing context.', [NBL, VSWITCH, RESERVED]],
          [
            0xa004,
            'VM switch: an invalid port and NIC index combination.',
            [p('Port', 'ID of the invalid port.'), p('NIC index', 'The NIC index.'), VSWITCH],
          ],
          [
            0xa005,
            'VM switch: an invalid destination.',
            [NBL, p('Destinations', 'Address of the destination list.'), VSWITCH],
          ],
          [0xa006, 'VM switch: an invalid source NIC or port.', [NBL, VSWITCH, RESERVED]],
          [0xa007, 'VM switch: an invalid destination list.', [NBL, VSWITCH, RESERVED]],
          [
            0xa008,
            'VM switch: a NIC was referenced when that is not allowed.',
            [p('Parent NIC', 'The parent NIC object.'), p('NIC index', 'The NIC index.'), VSWITCH],
          ],
          [
            0xa009,
            'VM switch: a port was referenced when that is not allowed.',
            [p('Port', 'The port referenced.'), VSWITCH, RESERVED],
          ],
          [
            0xa00a,
            'VM switch: the failure context is already set.',
            [NBL, p('Context type', 'The ContextTypeInfo object.'), RESERVED],
          ],
          [
            0xa00b,
            'VM switch: an invalid direction for a dropped NetBufferList.',
            [NBL, p('Flags', 'The NDIS_SWITCH_REPORT_FILTERED_NBL_FLAGS value.'), VSWITCH],
          ],
          [
            0xa00c,
            'VM switch: a NetBufferList chain has several source ports although single-source was flagged.',
            [NBL, p('Send flags', 'The send flags.'), VSWITCH],
          ],
          [
            0xa00d,
            'VM switch: NetBufferLists of the chain have an invalid destination although destination-group was flagged.',
            [NBL, VSWITCH_CONTEXT, VSWITCH],
          ],
          [
            0xa00e,
            'VM switch: a NetBufferList was completed through WNV although its routing context says not to.',
            [NBL, VSWITCH_CONTEXT, VSWITCH],
          ],
          // DDI compliance rules
          ...rules('DDI compliance', [
            [
              0x20002,
              'IrqlApcLte',
              'state',
              'ObGetObjectSecurity and ObReleaseObjectSecurity only at IRQL <= APC_LEVEL',
            ],
            [0x20003, 'IrqlDispatch', 'state', 'certain routines only at DISPATCH_LEVEL'],
            [0x20004, 'IrqlExAllocatePool', 'state', 'ExAllocatePoolWithTag(Priority) only at IRQL <= DISPATCH_LEVEL'],
            [
              0x20005,
              'IrqlExApcLte1',
              'state',
              'ExAcquireFastMutex and ExTryToAcquireFastMutex only at IRQL <= APC_LEVEL',
            ],
            [0x20006, 'IrqlExApcLte2', 'state', 'certain routines only at IRQL <= APC_LEVEL'],
            [0x20007, 'IrqlExApcLte3', 'state', 'certain executive routines only at IRQL <= APC_LEVEL'],
            [0x20008, 'IrqlExPassive', 'state', 'certain executive routines only at PASSIVE_LEVEL'],
            [0x20009, 'IrqlIoApcLte', 'state', 'certain I/O manager routines only at IRQL <= APC_LEVEL'],
            [0x2000a, 'IrqlIoPassive1', 'state', 'certain I/O manager routines only at PASSIVE_LEVEL'],
            [0x2000b, 'IrqlIoPassive2', 'state', 'certain I/O manager routines only at PASSIVE_LEVEL'],
            [0x2000c, 'IrqlIoPassive3', 'state', 'certain I/O manager routines only at PASSIVE_LEVEL'],
            [0x2000d, 'IrqlIoPassive4', 'state', 'certain I/O manager routines only at PASSIVE_LEVEL'],
            [0x2000e, 'IrqlIoPassive5', 'state', 'certain I/O manager routines only at PASSIVE_LEVEL'],
            [0x2000f, 'IrqlKeApcLte1', 'state', 'certain kernel routines only at IRQL <= APC_LEVEL'],
            [0x20010, 'IrqlKeApcLte2', 'state', 'certain kernel routines only at IRQL <= APC_LEVEL'],
            [0x20011, 'IrqlKeDispatchLte', 'state', 'certain kernel routines only at IRQL <= DISPATCH_LEVEL'],
            [0x20015, 'IrqlKeReleaseSpinLock', 'state', 'KeReleaseSpinLock only at DISPATCH_LEVEL'],
            [
              0x20016,
              'IrqlKeSetEvent',
              'state',
              'KeSetEvent at IRQL <= DISPATCH_LEVEL without wait, <= APC_LEVEL with wait',
            ],
            [0x20019, 'IrqlMmApcLte', 'state', 'certain memory manager routines only at IRQL <= APC_LEVEL'],
            [0x2001a, 'IrqlMmDispatch', 'state', 'MmFreeContiguousMemory only at DISPATCH_LEVEL'],
            [0x2001b, 'IrqlObPassive', 'state', 'ObReferenceObjectByHandle only at PASSIVE_LEVEL'],
            [0x2001c, 'IrqlPsPassive', 'state', 'certain process and thread routines only at PASSIVE_LEVEL'],
            [0x2001d, 'IrqlReturn', 'ruleinfo'],
            [0x2001e, 'IrqlRtlPassive', 'state', 'RtlDeleteRegistryValue only at PASSIVE_LEVEL'],
            [0x2001f, 'IrqlZwPassive', 'state', 'ZwClose only at PASSIVE_LEVEL'],
            [0x20022, 'IrqlIoDispatch', 'text'],
            [0x20023, 'IrqlIoRtlZwPassive', 'text', 'the DDIs it lists only at PASSIVE_LEVEL'],
            [0x20024, 'IrqlNtifsApcPassive', 'text', 'the DDIs it lists only at PASSIVE_LEVEL or IRQL <= APC_LEVEL'],
            [0x20025, 'IrqlKeMore', 'text', 'a Microsoft-internal rule'],
            [0x40003, 'CriticalRegions', 'ruleinfo'],
            [0x40006, 'QueuedSpinLock', 'ruleinfo'],
            [0x40007, 'QueuedSpinLockRelease', 'ruleinfo'],
            [0x40009, 'SpinLock', 'ruleinfo'],
            [0x4000a, 'SpinlockRelease', 'ruleinfo'],
            [0x4000e, 'GuardedRegions', 'ruleinfo'],
            [0x4100b, 'RequestedPowerIrp', 'text'],
            [0x4100f, 'IoSetCompletionExCompleteIrp', 'ruleinfo'],
            [0x43006, 'PnpRemove', 'text'],
            [0x81001, 'KsDeviceMutex', 'ruleinfo'],
            [0x81002, 'KsStreamPointerClone', 'ruleinfo'],
            [0x81003, 'KsStreamPointerLock', 'text'],
            [0x81004, 'KsStreamPointerUnlock', 'ruleinfo'],
            [0x81005, 'KsCallbackReturn', 'text'],
            [0x81006, 'KsIrqlDeviceCallbacks', 'ruleinfo'],
            [0x81007, 'KsIrqlFilterCallbacks', 'ruleinfo'],
            [0x81008, 'KsIrqlPinCallbacks', 'ruleinfo'],
            [0x81009, 'KsIrqlDDIs', 'text'],
            [0x8100a, 'KsFilterMutex', 'ruleinfo'],
            [0x8100b, 'KsProcessingMutex', 'ruleinfo'],
            [0x8100c, 'KsInvalidStreamPointer', 'ruleinfo'],
            [0x82001, 'KsTimedPinSetDeviceState', 'ruleinfo'],
            [0x82002, 'KsTimedDeviceCallbacks', 'ruleinfo'],
            [0x82003, 'KsTimedFilterCallbacks', 'ruleinfo'],
            [0x82004, 'KsTimedPinCallbacks', 'ruleinfo'],
            [0x82005, 'KsTimedProcessingMutex', 'ruleinfo'],
            [0x91001, 'NdisOidComplete', 'ruleinfo'],
            [0x91002, 'NdisOidDoubleComplete', 'ruleinfo'],
            [0x9100e, 'NdisOidDoubleRequest', 'ruleinfo'],
            [0x92003, 'NdisTimedOidComplete', 'ruleinfo'],
            [0x9200d, 'NdisTimedDataSend', 'ruleinfo'],
            [0x9200f, 'NdisTimedDataHang', 'ruleinfo'],
            [0x92010, 'NdisFilterTimedPauseComplete', 'ruleinfo'],
            [0x92011, 'NdisFilterTimedDataSend', 'ruleinfo'],
            [0x92012, 'NdisFilterTimedDataReceive', 'ruleinfo'],
            [0x93004, 'WlanAssociation', 'ruleinfo'],
            [0x93005, 'WlanConnectionRoaming', 'ruleinfo'],
            [0x93006, 'WlanDisassociation', 'ruleinfo'],
            [0x93101, 'WlanAssert', 'text'],
            [0x94007, 'WlanTimedAssociation', 'ruleinfo'],
            [0x94008, 'WlanTimedConnectionRoaming', 'ruleinfo'],
            [0x94009, 'WlanTimedConnectRequest', 'ruleinfo'],
            [0x9400b, 'WlanTimedLinkQuality', 'ruleinfo'],
            [0x9400c, 'WlanTimedScan', 'ruleinfo'],
          ]),
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
      0xc6,
      {
        summary: 'A driver accessed pool memory it had already freed.',
        parameters: [MEMORY_REFERENCED, READ_OR_WRITE, p('Mode', '0 kernel mode, 1 user mode.'), RESERVED],
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
      0xc8,
      {
        summary: 'The processor runs at an IRQL other than the one expected here.',
        parameters: [
          p('IRQLs', '(current IRQL << 16) | (expected IRQL << 8) | a unique value saying where the check was made.'),
          p(
            'Detail',
            'Unique value 0 or 1: APC->KernelRoutine; 2: the callout routine; 3: the interrupt ServiceRoutine; 0xFE: 1 if APCs are disabled.',
          ),
          p('Detail', 'Unique value 0 or 1: the APC; 2: the callout parameter; 3: the KINTERRUPT.'),
          p('Detail', 'Unique value 0 or 1: APC->NormalRoutine.'),
        ],
      },
    ],
    [
      0xc9,
      {
        summary:
          'Driver Verifier I/O verification caught a driver misusing an IRP or the I/O manager; parameter 1 names the error.',
        parameters: [
          p('Violation', 'I/O verification check that failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x01,
            'The driver freed an object that is not an IRP (type not IO_TYPE_IRP).',
            [p('IRP', 'Address of the IRP being freed.'), ZERO, ZERO],
          ],
          [
            0x02,
            'The driver freed an IRP still tied to a thread.',
            [p('IRP', 'Address of the IRP being freed.'), ZERO, ZERO],
          ],
          [
            0x03,
            'IoCallDriver was given an IRP whose type is not IRP_TYPE.',
            [p('IRP', 'Address of the IRP being sent.'), ZERO, ZERO],
          ],
          [0x04, 'IoCallDriver was given an invalid device object.', [DEVICE_OBJECT, ZERO, ZERO]],
          [
            0x05,
            'The IRQL changed across a call to a dispatch routine.',
            [
              p('Device object', 'Device object of the driver at fault.'),
              p('IRQL before', 'IRQL before IoCallDriver.'),
              p('IRQL after', 'IRQL after IoCallDriver.'),
            ],
          ],
          [
            0x06,
            'IoCompleteRequest was called with a status marked pending (or -1).',
            [p('Status', 'The IRP status.', 'status'), p('IRP', 'Address of the IRP being completed.'), ZERO],
          ],
          [
            0x07,
            'IoCompleteRequest was called while the cancel routine was still set.',
            [
              p('Cancel routine', 'Address of the cancel routine.'),
              p('IRP', 'Address of the IRP being completed.'),
              ZERO,
            ],
          ],
          [
            0x08,
            'IoBuildAsynchronousFsdRequest was given an invalid buffer.',
            [
              DEVICE_OBJECT,
              p('Major function', 'IRP major function code.'),
              p('Exception status', 'Status of the exception raised.', 'status'),
            ],
          ],
          [
            0x09,
            'IoBuildDeviceIoControlRequest was given an invalid buffer.',
            [
              DEVICE_OBJECT,
              p('IOCTL', 'I/O control code.'),
              p('Exception status', 'Status of the exception raised.', 'status'),
            ],
          ],
          [
            0x0a,
            'IoInitializeTimer was given a device object whose timer is already initialized.',
            [DEVICE_OBJECT, ZERO, ZERO],
          ],
          [
            0x0c,
            'An IRP was given an I/O status block on a stack that has already unwound past it.',
            [p('I/O status block', 'Address of the I/O status block.'), ZERO, ZERO],
          ],
          [
            0x0d,
            'An IRP was given a user event on a stack that has already unwound past it.',
            [p('Event', 'Address of the user event object.'), ZERO, ZERO],
          ],
          [0x0e, 'IoCompleteRequest was called above DISPATCH_LEVEL.', [CURRENT_IRQL, IRP, ZERO]],
          [
            0x0f,
            'A create request was sent with a file object already closed or whose open was cancelled.',
            [
              p('Device object', 'Device object the IRP is sent to.'),
              IRP,
              p('File object', 'Address of the file object.'),
            ],
          ],
          [0x10, 'IoCallDriver was called above DISPATCH_LEVEL.', [CURRENT_IRQL, RESERVED, RESERVED]],
          [
            0x11,
            'IoCallDriver was called above DISPATCH_LEVEL (fast I/O dispatch).',
            [
              p('Fast I/O routine', 'Address of the fast I/O dispatch routine.'),
              p('IRQL before', 'IRQL before the call.'),
              CURRENT_IRQL,
            ],
          ],
          [
            0x12,
            'IoCallDriver was called above DISPATCH_LEVEL (dispatch routine).',
            [
              p('Dispatch routine', 'Address of the dispatch routine.'),
              p('IRQL before', 'IRQL before the call.'),
              CURRENT_IRQL,
            ],
          ],
          ...ioErrors([
            [0x200, 'An unknown I/O verification error.', 'none'],
            [
              0x201,
              'A device deleted itself while another device is still attached below it (IoDetachDevice forgotten?).',
              'site',
            ],
            [
              0x202,
              'A driver detached from a device object that is attached to nothing (detached twice?).',
              'siteDevice',
            ],
            [0x203, 'IoCallDriver was called without clearing the cancel routine of the IRP.', 'siteIrp'],
            [0x204, 'NULL was passed as a device object.', 'reserved'],
            [
              0x205,
              'The caller forwarded an IRP that is still queued below it (broken STATUS_PENDING handling).',
              'siteIrp',
            ],
            [0x206, 'The caller forwarded an IRP wrongly: the control field was not zeroed.', 'reserved'],
            [0x207, "The caller copied the stack by hand, including the upper layer's completion routine.", 'siteIrp'],
            [0x208, 'The IRP has almost no stack locations left (forwarded from another stack?).', 'siteIrp'],
            [
              0x209,
              'The caller completed an IRP that is still queued below it (broken STATUS_PENDING handling).',
              'siteIrp',
            ],
            [0x20a, 'IoFreeIrp was called on an IRP still in use.', 'reserved'],
            [0x20b, 'IoFreeIrp was called on an IRP still in use.', 'siteIrp'],
            [0x20c, 'IoFreeIrp was called on an IRP still queued to a thread.', 'siteIrp'],
            [
              0x20d,
              'IoInitializeIrp was given an IRP allocated by IoAllocateIrp: a quota leak (IoReuseIrp recycles).',
              'siteIrp',
            ],
            [0x20e, 'A PnP IRP has an invalid status (it must start as STATUS_NOT_SUPPORTED); not fatal.', 'siteIrp'],
            [0x20f, 'A power IRP has an invalid status (it must start as STATUS_NOT_SUPPORTED); not fatal.', 'siteIrp'],
            [0x210, 'A WMI IRP has an invalid status (it must start as STATUS_NOT_SUPPORTED); not fatal.', 'siteIrp'],
            [
              0x211,
              'An IRP was forwarded skipping a device object of the stack (sent to the PDO?); not fatal.',
              'siteIrp',
            ],
            [0x212, "The caller damaged or did not copy the IRP's stack properly; not fatal.", 'siteIrp'],
            [0x213, 'The caller changed the status of an IRP it does not understand; not fatal.', 'siteIrp'],
            [0x214, 'The caller set the Information field of an IRP that is not its business; not fatal.', 'siteIrp'],
            [
              0x215,
              'A failed IRP_MJ_PNP (status neither success nor STATUS_NOT_SUPPORTED) is being passed down; not fatal.',
              'siteIrp',
            ],
            [
              0x216,
              'An IRP_MJ_PNP status set earlier was turned into STATUS_NOT_SUPPORTED, which is reserved to the OS; not fatal.',
              'siteIrp',
            ],
            [0x217, 'The driver did not handle a required IRP; not fatal.', 'siteIrp'],
            [0x218, 'The driver answered an IRP reserved for other device objects of the stack; not fatal.', 'siteIrp'],
            [
              0x219,
              'A failed IRP_MJ_POWER (status neither success nor STATUS_NOT_SUPPORTED) is being passed down; not fatal.',
              'siteIrp',
            ],
            [0x21a, 'An IRP_MJ_POWER status set earlier was turned into STATUS_NOT_SUPPORTED; not fatal.', 'siteIrp'],
            [0x21b, 'A driver returned a suspicious status (an uninitialized variable?); not fatal.', 'irpOnly'],
            [
              0x21c,
              'The caller copied the IRP stack without setting a completion routine (IoSkipCurrentIrpStackLocation is cheaper); a warning.',
              'reserved',
            ],
            [0x21d, 'A dispatch routine did not detach from the stack below on a remove IRP.', 'siteIrpDevice'],
            [0x21e, 'A dispatch routine did not delete its device object on a remove IRP.', 'siteIrpDevice'],
            [0x21f, 'A driver has no dispatch routine for a required IRP major function; not fatal.', 'siteIrp'],
            [
              0x220,
              'IRP_MJ_SYSTEM_CONTROL was completed by someone other than its ProviderId; not fatal.',
              'siteIrpProvider',
            ],
            [
              0x221,
              'A PDO dispatch routine deleted its device object before the hardware was reported missing.',
              'siteIrpDevice',
            ],
            [
              0x222,
              "A bus filter's dispatch routine detached on a remove IRP while the PDO is still alive.",
              'siteIrpDevice',
            ],
            [
              0x223,
              "A bus filter's dispatch routine deleted its device object while the PDO is still present.",
              'siteIrpDevice',
            ],
            [0x224, "A dispatch routine returned a status other than the IRP's IoStatus.Status.", 'siteIrpExpected'],
            [
              0x225,
              'A dispatch routine returned the illegal status 0xFFFFFFFF (an uninitialized variable?); not fatal.',
              'siteIrpStatus',
            ],
            [
              0x226,
              'A dispatch routine returned without passing down or completing the IRP (or STATUS_PENDING was not returned).',
              'siteIrp',
            ],
            [0x227, 'An IRP completion routine is in pageable code.', 'siteIrp'],
            [
              0x228,
              'A completion routine did not mark the IRP pending although PendingReturned was set; not fatal.',
              'siteIrp',
            ],
            [0x229, 'A cancel routine was set for an IRP that lower drivers are still processing.', 'reserved'],
            [0x22a, 'The PDO did not answer a required IRP; not fatal.', 'siteIrp'],
            [
              0x22b,
              'The PDO did not put itself in the device relations of a TargetDeviceRelation query; not fatal.',
              'siteIrp',
            ],
            [0x22c, 'The TargetDeviceRelation query code did not reference the PDO (ObReferenceObject).', 'reserved'],
            [
              0x22d,
              'The caller completed an IRP_MJ_PNP it does not understand instead of passing it down; not fatal.',
              'siteIrp',
            ],
            [
              0x22e,
              'A successful IRP_MJ_PNP was completed by the caller where it should have gone down the stack; not fatal.',
              'siteIrp',
            ],
            [
              0x22f,
              'The caller completed an untouched IRP_MJ_PNP, or a non-PDO failed it with STATUS_NOT_SUPPORTED; not fatal.',
              'siteIrp',
            ],
            [
              0x230,
              'The caller completed an IRP_MJ_POWER it does not understand instead of passing it down; not fatal.',
              'siteIrp',
            ],
            [
              0x231,
              'A successful IRP_MJ_POWER was completed by the caller where it should have gone down the stack.',
              'siteIrp',
            ],
            [
              0x232,
              'The caller completed an untouched IRP_MJ_POWER, or a non-PDO failed it with STATUS_NOT_SUPPORTED; not fatal.',
              'siteIrp',
            ],
            [0x233, 'The Version of the query capabilities structure was not initialized; not fatal.', 'siteIrp'],
            [0x234, 'The Size of the query capabilities structure was not initialized; not fatal.', 'siteIrp'],
            [0x235, 'The Address of the query capabilities structure was not initialized to -1; not fatal.', 'siteIrp'],
            [
              0x236,
              'The UINumber of the query capabilities structure was not initialized to -1; not fatal.',
              'siteIrp',
            ],
            [0x237, 'A driver sent an IRP reserved for the system.', 'reserved'],
            [
              0x238,
              'IoInitializeIrp was given an IRP allocated by IoAllocateIrp (IoReuseIrp recycles); a warning.',
              'reserved',
            ],
            [
              0x239,
              'IoCompleteRequest was called on an IRP never sent through IoCallDriver or PoCallDriver; a warning.',
              'reserved',
            ],
            [0x23a, 'A driver forwarded an IRP at an IRQL not allowed for its major function.', 'siteIrp'],
            [0x23b, 'The caller changed the status of an IRP it does not understand; not fatal.', 'siteIrp'],
            [
              0x23c,
              'A driver completed an IRP without clearing its cancel routine (enhanced I/O verification).',
              'reserved',
            ],
            [0x23d, 'A driver returned STATUS_PENDING without calling IoMarkIrpPending; not fatal.', 'siteIrpStatus'],
            [0x23e, 'A driver marked an IRP pending but did not return STATUS_PENDING; not fatal.', 'siteIrpStatus'],
            [0x23f, 'A driver did not inherit DO_POWER_PAGABLE from the stack it attached to.', 'reserved'],
            [0x240, 'A driver deleted a device object that IoDeleteDevice had already deleted.', 'siteReserved'],
            [0x241, 'A driver detached its device object while handling a surprise-remove IRP.', 'siteIrpDevice'],
            [0x242, 'A driver deleted its device object while handling a surprise-remove IRP.', 'siteIrpDevice'],
            [0x243, 'A driver did not clear DO_DEVICE_INITIALIZING at the end of AddDevice.', 'reserved'],
            [
              0x244,
              'A driver did not copy DO_BUFFERED_IO or DO_DIRECT_IO from the device object it attached to.',
              'reserved',
            ],
            [0x245, 'A driver set both DO_BUFFERED_IO and DO_DIRECT_IO, which exclude each other.', 'reserved'],
            [0x246, 'A driver did not copy DeviceType from the device object it attached to.', 'reserved'],
            [0x247, 'A driver failed an IRP that may not fail.', 'reserved'],
            [0x248, 'A driver put a device object that is not a PDO into a device relations query.', 'siteIrpDevice'],
            [0x249, 'A driver enumerated two child PDOs with the same device ID; not fatal.', 'siteTwoDevices'],
            [0x24a, 'A driver called a file I/O function at an IRQL other than PASSIVE_LEVEL.', 'siteReserved'],
            [
              0x24b,
              'A TargetDeviceRelation query was completed as successful without being filled in or forwarded.',
              'siteDevice',
            ],
            [0x24c, 'A driver returned STATUS_PENDING without calling IoMarkIrpPending; not fatal.', 'siteIrpStatus'],
            [0x24d, 'A function that needs a PDO was given another device object.', 'siteIrpDevice'],
            [0x300, 'A driver returned a suspicious status (an uninitialized variable?); not fatal.', 'siteIrpStatus'],
            [0x301, 'A driver forwarded an IRP above DISPATCH_LEVEL; not fatal.', 'siteIrpIrql'],
            [
              0x302,
              'A driver forwarded an IRP at APC_LEVEL or above, where the completion APC cannot run (a likely deadlock); not fatal.',
              'siteIrpIrql',
            ],
            [0x306, 'A driver failed an IRP_MN_REMOVE_DEVICE request; not fatal.', 'siteIrp'],
            [
              0x307,
              'A driver issued a request with an already signaled event and got STATUS_PENDING (it may unwind too early); not fatal.',
              'siteIrp',
            ],
            [0x310, 'A driver reinitialized an IRP still in use; not fatal.', 'siteIrp'],
            [
              0x311,
              'A driver reinitialized an IRP built by IoMakeAssociatedIrp or an IoBuildXxxRequest routine; not fatal.',
              'siteIrp',
            ],
            [
              0x312,
              'The IRP Information field is larger than the output part of the system buffer; not fatal.',
              'siteIrp',
            ],
          ]),
        ],
      },
    ],
    [
      0xca,
      {
        summary: 'The Plug and Play manager hit a severe error, probably caused by a Plug and Play driver.',
        parameters: [p('Violation', 'Which PnP check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'Duplicate PDO: a driver enumerated several PDOs with the same device ID and unique ID.',
            [
              p('New PDO', 'Address of the PDO just reported.'),
              p('Older PDO', 'Address of the PDO it duplicates.'),
              RESERVED,
            ],
          ],
          [
            0x2,
            'Invalid PDO: an API that needs a PDO was given random memory, an FDO, or a PDO not yet reported to PnP.',
            [p('PDO', 'Address of the supposed PDO.'), DRIVER_OBJECT, RESERVED],
          ],
          [
            0x3,
            'Invalid ID: an enumerator returned an ID with illegal characters or without proper termination.',
            [
              p('PDO', 'Address of the PDO whose IDs were queried.'),
              p('ID buffer', 'Address of the ID buffer.'),
              p('ID type', '1 device ID, 2 unique ID, 3 hardware IDs, 4 compatible IDs.'),
            ],
          ],
          [
            0x4,
            'An enumerator returned a PDO it had deleted with IoDeleteDevice.',
            [p('PDO', 'Address of the PDO with DOE_DELETE_PENDING set.'), RESERVED, RESERVED],
          ],
          [
            0x5,
            'A PDO was freed while its devnode was still in the tree (a missing reference when returning it from a query IRP).',
            [p('PDO', 'Address of the PDO.'), RESERVED, RESERVED],
          ],
          [
            0x8,
            'A NULL pointer was returned as a bus relation.',
            [
              p('PDO', 'PDO whose stack returned the bad relations.'),
              p('Count', 'Number of PDOs returned.'),
              p('Index', 'Zero-based index of the first NULL PDO.'),
            ],
          ],
          [
            0x9,
            'IoDisconnectInterruptEx was given a connection type other than the one IoConnectInterruptEx returned.',
            [p('Connection type', 'The connection type passed.'), RESERVED, RESERVED],
          ],
          [
            0xa,
            'A driver did not keep its IRQL or combined APC disable count across a PnP notification.',
            [
              DRIVER_OBJECT,
              p('IRQL', 'IRQL after the callback returned.', 'irql'),
              p('APC disable count', 'Combined APC disable count after the callback returned.'),
            ],
          ],
          [
            0xb,
            'A removal relation of the device being removed was already deleted.',
            [p('PDO', 'The related PDO.'), p('Removal relations', 'The removal relations.'), RESERVED],
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
      0xcf,
      {
        summary: 'A driver not properly ported to Terminal Server referenced memory it must not.',
        parameters: FREED_OR_OVERRUN_POOL,
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
      0xd1,
      {
        summary: 'A driver accessed pageable or invalid memory at DISPATCH_LEVEL or above.',
        parameters: [
          MEMORY_REFERENCED,
          IRQL_AT_FAULT,
          access('Access', '0 read, 1 write, 2 or 8 execute.', [
            [0, 'read'],
            [1, 'write'],
            [2, 'execute'],
            [8, 'execute'],
          ]),
          FAULTING_IP,
        ],
      },
    ],
    [
      0xd2,
      {
        summary: 'An NDIS driver made an error; parameter 4 and the message printed tell which.',
        parameters: [
          p('Miniport block', 'Address of the miniport block (MiniBlock for the AddDevice and unload checks).'),
          p(
            'Detail',
            'Depends on the error: bytes requested, reset status, page, packet, driver object, interrupt or timer queue.',
          ),
          p(
            'Detail',
            'Depends on the error: AddressingReset, shared memory signature, packet array, wrapper context, timer queue or interrupt.',
          ),
          p(
            'Detail',
            'Depends on the error: 1 or 2 tell the initialization and halt cases apart; otherwise the address freed, packet count, signature, or 0.',
          ),
        ],
      },
    ],
    [
      0xd3,
      {
        summary: 'The system touched pageable memory at too high an IRQL: driver code or data must be nonpaged.',
        parameters: RAISED_IRQL_FAULT,
      },
    ],
    [
      0xd4,
      {
        summary: 'A driver unloaded without cancelling pending work; a scan at raised IRQL found it.',
        parameters: RAISED_IRQL_FAULT,
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
      0xd7,
      {
        summary: 'A driver tried to unmap an address that was not mapped.',
        parameters: [
          p('Address', 'Virtual address to unmap.'),
          p('Operation', '1 the view is being unmapped; 2 the view is being committed.'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0xd8,
      {
        summary: 'No system page table entries are left: a driver used too many.',
        parameters: [
          p('Driver name', 'Address of the name (Unicode string) of the driver at fault, or 0.'),
          p('Driver PTEs', 'PTEs that driver uses (when parameter 1 is not 0).'),
          p('Free PTEs', 'System PTEs free.'),
          p('Total PTEs', 'System PTEs in all.'),
        ],
      },
    ],
    [
      0xd9,
      {
        summary: 'The internal structures tracking locked pages are damaged.',
        parameters: [p('Violation', 'What was wrong; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x01,
            'An MDL is being inserted twice in the same process list.',
            [LOCK_TRACKER, MDL, p('Locked pages', 'Pages locked for the current process.')],
          ],
          [
            0x02,
            'An MDL is being inserted twice in the system-wide list.',
            [LOCK_TRACKER, MDL, p('Locked pages', 'Pages locked for the current process.')],
          ],
          [
            0x03,
            'An MDL was found twice in the process list while being freed.',
            [p('First tracker', 'First tracking structure found.'), LOCK_TRACKER, MDL],
          ],
          [
            0x04,
            'An MDL was found in the system-wide list at free time although it had been removed.',
            [LOCK_TRACKER, MDL, ZERO],
          ],
        ],
      },
    ],
    [
      0xda,
      {
        summary: 'A page table entry routine was used wrongly; parameter 1 says how.',
        parameters: [p('Violation', 'Which misuse; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x01,
            'The mapping being freed is a duplicate.',
            [LOCK_TRACKER, MDL, p('Duplicate', 'Address of the duplicate tracking structure.')],
          ],
          [
            0x02,
            'The number of mappings being freed is wrong.',
            [
              LOCK_TRACKER,
              p('Expected', 'Mappings the system expects to free.'),
              p('Requested', 'Mappings the driver asks to free.'),
            ],
          ],
          [
            0x03,
            'The mapping address being freed is wrong.',
            [
              p('First tracker', 'First tracking structure found.'),
              p('Expected', 'Mapping address the system expects.'),
              p('Requested', 'Mapping address the driver gave.'),
            ],
          ],
          [
            0x04,
            'The first page of the mapped MDL changed since it was mapped.',
            [
              LOCK_TRACKER,
              p('Expected page', 'Page frame that should be first in the MDL.'),
              p('Current page', 'Page frame first in the MDL now.'),
            ],
          ],
          [
            0x05,
            'The start virtual address of the MDL being freed changed since it was mapped.',
            [
              p('First tracker', 'First tracking structure found.'),
              p('Expected', 'Virtual address the system expects to free.'),
              p('Requested', 'Virtual address the driver asks to free.'),
            ],
          ],
          [
            0x06,
            'The MDL being freed was never mapped, or is not mapped now.',
            [
              MDL,
              p('Address', 'Virtual address the driver gave.'),
              p('Mappings', 'Mappings to free, as the driver gave.'),
            ],
          ],
          [0x07, 'A mapping range is being allocated twice (Windows 2000).', [INITIAL_MAPPING, MAPPINGS, RESERVED]],
          [
            0x08,
            'The caller frees the wrong number of mappings (Windows 2000).',
            [
              INITIAL_MAPPING,
              p('Freeing', 'Mappings the caller frees.'),
              p('Expected', 'Mappings the system thinks should be freed.'),
            ],
          ],
          [
            0x09,
            'Some of the mappings the caller frees are not allocated (Windows 2000).',
            [
              INITIAL_MAPPING,
              p('Freeing', 'Mappings the caller frees.'),
              p('Free index', 'Index of a mapping the system thinks is already free.'),
            ],
          ],
          [
            0x0a,
            'The caller asks to allocate zero mappings (Windows 2000).',
            [
              p('Bug check on failure', '1 if the MDL asked for a bug check on failure, else 0.'),
              p('Mappings', 'Mappings being allocated.'),
              MAPPING_POOL,
            ],
          ],
          [
            0x0b,
            'The mapping list was already damaged: a damaged mapping lies below the lowest mapping address (Windows 2000).',
            [p('Bad mapping', 'The damaged mapping.'), p('Mappings', 'Mappings being allocated.'), MAPPING_POOL],
          ],
          [
            0x0c,
            'The mapping list was already damaged: a damaged mapping lies above the lowest mapping address (Windows 2000).',
            [p('Bad mapping', 'The damaged mapping.'), p('Mappings', 'Mappings being allocated.'), MAPPING_POOL],
          ],
          [
            0x0d,
            'The caller frees zero mappings (Windows 2000).',
            [INITIAL_MAPPING, p('Freeing', 'Mappings the caller frees.'), MAPPING_POOL],
          ],
          [
            0x0e,
            'The caller frees mappings whose guard mapping was overwritten (Windows 2000).',
            [INITIAL_MAPPING, p('Freeing', 'Mappings the caller frees.'), MAPPING_POOL],
          ],
          [
            0x0f,
            'The caller frees a mapping that does not exist, below the lowest mapping address (Windows 2000).',
            MISSING_MAPPING,
          ],
          [
            0x10,
            'The caller frees a mapping that does not exist, above the highest mapping address (Windows 2000).',
            MISSING_MAPPING,
          ],
          [
            0x11,
            'The caller frees a mapping that does not exist, at the base of the mapping space (Windows 2000).',
            MISSING_MAPPING,
          ],
          [
            0x100,
            'The caller asked for zero mappings.',
            [
              p('Mappings', 'Mappings asked for.'),
              CALLER_TAG,
              p('Caller', "Address of the routine that called this routine's caller."),
            ],
          ],
          [0x101, 'The caller frees a mapping range it does not own.', [FIRST_MAPPING, CALLER_TAG, OWNER_TAG]],
          [0x102, 'The mapping space the caller frees seems empty.', [FIRST_MAPPING, CALLER_TAG, RESERVED]],
          [
            0x103,
            'The mapping space the caller frees is still reserved (MmUnmapReservedMapping must come before MmFreeMappingAddress).',
            [p('Mapping', 'Address of the invalid mapping.'), CALLER_TAG, p('Mappings', 'Mappings in the space.')],
          ],
          [
            0x104,
            'The caller maps an MDL into a mapping space it does not own.',
            [FIRST_MAPPING, CALLER_TAG, OWNER_TAG],
          ],
          [
            0x105,
            'The caller maps an MDL into an invalid mapping space (a bad address?).',
            [FIRST_MAPPING, CALLER_TAG, RESERVED],
          ],
          [
            0x107,
            'The caller maps an MDL into a mapping space not properly reserved (MmUnmapReservedMapping first).',
            [
              FIRST_MAPPING,
              p('Non-empty mapping', 'Address of the mapping that is not empty.'),
              p('Last mapping', 'The last mapping address.'),
            ],
          ],
          [0x108, 'The caller unmaps a locked mapping space it does not own.', [FIRST_MAPPING, CALLER_TAG, OWNER_TAG]],
          [0x109, 'The caller unmaps a locked virtual space that seems empty.', [FIRST_MAPPING, CALLER_TAG, RESERVED]],
          [
            0x10a,
            'The caller unmaps more mappings than the locked space holds.',
            [FIRST_MAPPING, p('Mappings', 'Mappings in the locked space.'), p('Unmapping', 'Mappings to unmap.')],
          ],
          [
            0x10b,
            'The caller unmaps part of a locked space that is not mapped.',
            [FIRST_MAPPING, CALLER_TAG, p('Unmapping', 'Mappings to unmap.')],
          ],
          [
            0x10c,
            'The caller does not unmap the whole locked mapping space.',
            [FIRST_MAPPING, CALLER_TAG, p('Unmapping', 'Mappings to unmap.')],
          ],
          [0x200, 'The caller reserves a mapping space that holds no mappings.', [FIRST_MAPPING, ZERO, ZERO]],
          [
            [0x201, 0x202],
            'A mapping the caller reserves is already reserved.',
            [
              FIRST_MAPPING,
              p('Reserved mapping', 'Address of the mapping already reserved.'),
              p('Mappings', 'Mappings to reserve.'),
            ],
          ],
          [0x300, 'The caller releases a mapping space that holds no mappings.', [FIRST_MAPPING, ZERO, ZERO]],
          [
            0x301,
            'The caller releases a mapping it may not release.',
            [p('Mapping', 'Address of the mapping.'), ZERO, ZERO],
          ],
          [
            0x302,
            'The caller releases a system address that is not mapped.',
            [p('Address', 'The address being released.'), RESERVED, RESERVED],
          ],
          [
            0x303,
            'The caller releases a mapping range that was not reserved.',
            [FIRST_MAPPING, p('Mappings', 'Mappings to release.'), ZERO],
          ],
          [
            0x304,
            'The caller releases a mapping range that starts inside another allocation.',
            [FIRST_MAPPING, p('Mappings', 'Mappings to release.'), ZERO],
          ],
          [
            0x305,
            'The caller releases the wrong number of mappings.',
            [
              FIRST_MAPPING,
              p('Releasing', 'Mappings the caller releases.'),
              p('Expected', 'Mappings that should be released.'),
            ],
          ],
          [
            0x306,
            'A mapping the caller releases is already free.',
            [FIRST_MAPPING, p('Free mapping', 'The mapping already free.'), p('Mappings', 'Mappings to release.')],
          ],
          [
            0x400,
            'The caller frees an I/O space mapping the system does not know.',
            [p('Base', 'Base address of the I/O space mapping.'), p('Pages', 'Pages to free.'), ZERO],
          ],
        ],
      },
    ],
    [
      0xdb,
      {
        summary: 'Memory was touched at an invalid IRQL, probably because system PTEs are damaged.',
        parameters: RAISED_IRQL_FAULT,
      },
    ],
    [0xdc, { summary: 'A driver accessed a stack address below the stack pointer of its thread.', parameters: NONE }],
    [0xde, { summary: 'A driver damaged pool memory holding pages bound for disk.', parameters: NONE }],
    [
      0xdf,
      {
        summary: 'A work item returned without turning off impersonation.',
        parameters: [
          p('Worker routine', 'The worker routine at fault.'),
          p('Parameter', 'Argument passed to it.'),
          p('Work item', 'Address of the work item.'),
          RESERVED,
        ],
      },
    ],
    [
      0xe0,
      {
        summary: 'A computer component is faulty; the BIOS raised a fatal ACPI error.',
        parameters: [BIOS_DEFINED, BIOS_DEFINED, BIOS_DEFINED, BIOS_DEFINED],
      },
    ],
    [
      0xe1,
      {
        summary: 'A worker thread returned at DISPATCH_LEVEL or above.',
        parameters: [
          p('Worker routine', 'Address of the worker routine.'),
          p('IRQL', 'IRQL the worker returned at.', 'irql'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
        ],
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
      0xe3,
      {
        summary: 'A thread released a resource it did not own.',
        parameters: [
          p('Resource', 'Address of the resource.'),
          p('Thread', 'Address of the thread.'),
          p('Owner table', 'Address of the owner table, if there is one.'),
          RESERVED,
        ],
      },
    ],
    [
      0xe4,
      {
        summary: 'An executive work item is where it must not be, or an active work item was queued again.',
        parameters: [
          p('Code position', 'Where the check failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x0,
            'An active work item was freed.',
            [WORK_ITEM_ADDRESS, p('Block start', 'Start of the pool block.'), p('Block end', 'End of the pool block.')],
          ],
          [0x1, 'An active work item was queued.', [WORK_ITEM_ADDRESS, QUEUE_NUMBER, ZERO]],
          [
            0x2,
            'A queued I/O work item was freed.',
            [WORK_ITEM_ADDRESS, p('Worker routine', 'Address of the I/O worker routine.'), ZERO],
          ],
          [
            0x3,
            'An I/O work item was initialized with an invalid object.',
            [WORK_ITEM_ADDRESS, p('Object', 'Address of the invalid object.'), ZERO],
          ],
          [
            0x5,
            'A work item was queued before the worker queues were initialized.',
            [WORK_ITEM_ADDRESS, QUEUE_NUMBER, p('NUMA node', 'NUMA node aimed at, or -1 when every node was tried.')],
          ],
          [0x6, 'An invalid queue type was given.', [WORK_ITEM_ADDRESS, QUEUE_NUMBER, ZERO]],
          [0x7, 'A queued work item has an invalid worker routine address.', [WORK_ITEM_ADDRESS, QUEUE_NUMBER, ZERO]],
        ],
      },
    ],
    [
      0xe6,
      {
        summary: 'Driver Verifier DMA verification (or the IOMMU) caught a DMA violation; parameter 1 names it.',
        parameters: [p('Violation', 'DMA check that failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x00,
            'Miscellaneous DMA error; parameter 2 says which.',
            [
              p(
                'Error',
                '1 flushing too many bytes past the end of the map register file; 2 out of contiguous map registers.',
              ),
              p('Detail', 'Error 1: bytes left in the MDL; 2: map registers needed.'),
              p('Detail', 'Error 1: bytes asked to flush; 2: contiguous map registers available.'),
            ],
          ],
          [0x01, 'The performance counter went backwards.', DMA_UNDOCUMENTED],
          [0x02, 'The performance counter went up too fast.', DMA_UNDOCUMENTED],
          [
            0x03,
            'The driver freed too many common buffers (one freed twice?).',
            [p('Extra', 'Common buffers freed too many.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x04,
            'The driver freed too many adapter channels (one freed twice?).',
            [p('Extra', 'Adapter channels freed too many.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x05,
            'The driver freed too many map registers (one freed twice?).',
            [p('Extra', 'Map registers freed too many.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x06,
            'The driver freed too many scatter/gather lists (one freed twice?).',
            [
              p('Allocated', 'Scatter/gather lists allocated.'),
              p('Freed', 'Scatter/gather lists freed.'),
              UNDOCUMENTED,
            ],
          ],
          [
            0x07,
            'The adapter was released with common buffers still allocated.',
            [DMA_ADAPTER, p('Outstanding', 'Common buffers outstanding.'), VERIFIER_DATA],
          ],
          [
            0x08,
            'The adapter was released with adapter channels, common buffers or scatter/gather lists still allocated.',
            [DMA_ADAPTER, p('Outstanding', 'Adapter channels outstanding.'), VERIFIER_DATA],
          ],
          [
            0x09,
            'The adapter was released with map registers still allocated.',
            [DMA_ADAPTER, p('Outstanding', 'Map registers outstanding.'), VERIFIER_DATA],
          ],
          [
            0x0a,
            'The adapter was released with scatter/gather lists still allocated.',
            [DMA_ADAPTER, p('Outstanding', 'Scatter/gather lists outstanding.'), VERIFIER_DATA],
          ],
          [
            0x0b,
            'The driver holds more than one adapter channel at once.',
            [p('Outstanding', 'Adapter channels outstanding.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x0c,
            'The driver allocated too many map registers at once.',
            [p('Required', 'Map registers required.'), p('Maximum', 'Map registers allowed.'), UNDOCUMENTED],
          ],
          [
            0x0d,
            'The driver did not flush its adapter buffers.',
            [p('Mapped', 'Bytes mapped.'), p('Maximum', 'Most bytes that can be mapped at once.'), UNDOCUMENTED],
          ],
          [
            0x0e,
            'A DMA transfer used a buffer in paged memory that was not locked.',
            [p('MDL', 'Address of the MDL of the DMA buffer.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x0f,
            'The driver or hardware wrote outside its DMA buffer; parameter 2 says where.',
            [
              p(
                'Violation',
                '1 tag before the buffer changed; 2 tag after it changed; 3 a free map register overwritten; 4 padding before the buffer changed; 5 padding after it changed.',
              ),
              p('Detail', 'Violations 1 and 2: buffer length; 3: address of the damage; 4 and 5: buffer start.'),
              p('Detail', 'Violations 1 and 2: buffer start; 4 and 5: address of the damage.'),
            ],
          ],
          [
            0x10,
            'Map registers were freed while some were still mapped.',
            [p('Mapped', 'Registers still mapped.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x11,
            'The driver holds too many references on the adapter.',
            [p('Reference count', 'The reference count.'), DMA_ADAPTER, VERIFIER_DATA],
          ],
          [
            0x13,
            'A DMA routine was called at the wrong IRQL; parameter 2 says how.',
            [
              p('Violation', '1 IRQL differs from the one expected; 2 IRQL higher than the highest allowed.'),
              p('Expected IRQL', 'The IRQL expected (or the highest allowed).'),
              CURRENT_IRQL,
            ],
          ],
          [0x14, 'A DMA routine was called at the wrong IRQL.', DMA_UNDOCUMENTED],
          [
            0x15,
            'The driver allocated too many map registers.',
            [p('Allocated', 'Map registers allocated.'), p('Maximum', 'Map registers allowed.'), UNDOCUMENTED],
          ],
          [
            0x16,
            'The driver flushed a buffer that is not mapped.',
            [p('Map register', 'System virtual address of the map register.'), VERIFIER_DATA, UNDOCUMENTED],
          ],
          [0x18, 'A DMA operation used an adapter already released.', [DMA_ADAPTER, VERIFIER_DATA, UNDOCUMENTED]],
          [0x19, 'A HAL routine was given a NULL DMA_ADAPTER.', DMA_UNDOCUMENTED],
          [
            0x1b,
            'A HAL routine was given an address outside the MDL given with it.',
            [p('Address', 'The virtual address outside the MDL.'), MDL, UNDOCUMENTED],
          ],
          [
            0x1d,
            'The driver mapped an address range that is already mapped.',
            [
              p('Buffer start', 'Start of the buffer to map.'),
              p('Buffer end', 'End of the buffer to map.'),
              p('Mapped address', 'System address in the buffer already mapped.'),
            ],
          ],
          [0x1e, 'The driver called HalGetAdapter, which is obsolete (IoGetDmaAdapter replaces it).', DMA_UNDOCUMENTED],
          [
            0x1f,
            'The driver referenced an invalid DMA buffer address; parameter 2 says how.',
            [
              p(
                'Violation',
                '1 address before the first MDL; 2 address after it; 3 extra transfer length crosses a page; 4 buffer address not cache aligned; 5 buffer length not cache aligned.',
              ),
              p('Detail', 'Violations 1, 2, 4: start of the DMA buffer; 3: the MDL; 5: buffer length.'),
              p('Detail', 'Violations 1, 2, 4, 5: the first MDL of the buffer; 3: transfer length.'),
            ],
          ],
          [
            0x20,
            'The driver flushed a map register that was never mapped.',
            [
              p('Map register base', 'The map register base.'),
              p('Buffer', 'Virtual address where the DMA buffer starts.'),
              p('MDL', 'The MDL of the DMA buffer.'),
            ],
          ],
          [0x21, 'The driver mapped a zero-length buffer for transfer.', [VERIFIER_DATA, UNDOCUMENTED, UNDOCUMENTED]],
          [0x22, 'The DMA buffer is not mapped in system virtual space.', [MDL, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x23,
            'A channel was flushed before it completed or was cancelled.',
            [
              p('Violation', '0: illegal channel flush.'),
              p('Controller', 'Controller ID.'),
              p('Channel', 'Channel number.'),
            ],
          ],
          [
            0x24,
            'The buffer is too small for the length asked.',
            [p('Unaccounted', 'Length not accounted for.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x25, 'Unknown device description version.', DMA_UNDOCUMENTED],
          [
            0x26,
            'The IOMMU caught a DMA violation.',
            [
              p('Device object', 'Device object of the faulting device.'),
              p('Fault information', 'Usually the faulting physical address.'),
              p('Fault type', 'Hardware-specific fault type.'),
            ],
          ],
        ],
      },
    ],
    [
      0xe7,
      {
        summary: 'The floating-point state saved for a thread is not valid.',
        parameters: [
          p('Check', 'Which check failed; selects the meaning of parameters 2 and 3.'),
          dependsOn(1, 1),
          dependsOn(1, 2),
          NOT_USED,
        ],
        cases: [
          [
            0x0,
            'The flags of the saved context are invalid (FLOAT_SAVE_VALID clear, or reserved bits set).',
            [p('Flags', 'The flags field.'), ZERO, NOT_USED],
          ],
          [
            0x1,
            'The IRQL differs from the one at which the floating-point state was saved.',
            [p('Saved IRQL', 'IRQL when saved.'), CURRENT_IRQL, NOT_USED],
          ],
          [
            0x2,
            'The saved state belongs to another thread.',
            [p('Owner', 'Thread that owns the saved state.'), p('Current thread', 'The current thread.'), NOT_USED],
          ],
        ],
      },
    ],
    [
      0xe8,
      {
        summary: 'IoCancelFileOpen was given an invalid file object.',
        parameters: [
          p('File object', 'File object passed to IoCancelFileOpen.'),
          p('Device object', 'Device object passed to IoCancelFileOpen.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xe9,
      {
        summary: 'An active executive worker thread is being terminated.',
        parameters: [p('Thread', 'The exiting ETHREAD.'), RESERVED, RESERVED, RESERVED],
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
      0xeb,
      {
        summary: 'No free pages are left to continue: too many dirty mapped pages.',
        parameters: [
          p('Dirty pages', 'Total dirty pages.'),
          p('Dirty pagefile pages', 'Dirty pages bound for the paging file.'),
          p('Nonpaged pool free', 'Windows Server 2003: nonpaged pool available, in pages; later: reserved.'),
          p(
            'Write status',
            'Windows Server 2003: stranded transition pages; later: status of the latest modified-page write.',
          ),
        ],
      },
    ],
    [
      0xec,
      {
        summary: 'A session unloaded while a session driver still held special pool.',
        parameters: [
          p('Session ID', 'The session.'),
          p('Leaked pages', 'Special pool pages still held.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xed,
      {
        summary: 'The boot volume could not be mounted.',
        parameters: [
          p('Device object', 'Device object of the boot volume.'),
          p('Status', 'Status the file system gave for failing to mount it.', 'status'),
          RESERVED,
          RESERVED,
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
      0xf0,
      {
        summary: 'A storage miniport driver did not complete an SRB request.',
        parameters: [p('Error', 'Which failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'The miniport did not complete an SRB even after a successful reset.',
            [MINIPORT_NAME, p('SRB', 'Address of the SRB.'), p('Unit', 'Storport unit device object.')],
          ],
          [
            0x2,
            'The miniport did not complete an SRB even after it was successfully aborted.',
            [MINIPORT_NAME, p('Abort SRB', 'Address of the abort SRB.'), p('SRB', 'The SRB being aborted.')],
          ],
          [
            0x3,
            'The miniport did not complete a request within its time-out.',
            [MINIPORT_NAME, p('SRB', 'Address of the SRB.'), p('Time-out', 'Time-out of the request.')],
          ],
          [
            0x4,
            'The miniport did not complete a crypto operation request (e.g. enabling a key on an inline crypto engine).',
            [MINIPORT_NAME, p('Operation', 'The STOR_CRYPTO_OPERATION_TYPE, usually insert key.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0xf1,
      {
        summary: 'Driver Verifier SCSI verification caught a miniport driver breaking a rule.',
        parameters: [p('Violation', 'Which check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1000,
            'The miniport passed bad arguments to ScsiPortInitialize.',
            [p('Argument 1', 'First argument passed.'), p('Argument 2', 'Second argument passed.'), RESERVED],
          ],
          [
            0x1001,
            'ScsiPortStallExecution was asked for a delay above 0.1 s, stalling the processor too long.',
            [STALL_DELAY, RESERVED, RESERVED],
          ],
          [
            0x1002,
            'A miniport routine took longer than allowed (0.5 s; HwInitialize 5 s).',
            [
              p('Routine', 'Address of the routine that took too long.'),
              HW_DEVICE_EXTENSION,
              p('Duration', 'Time the routine took, in microseconds.'),
            ],
          ],
          [
            0x1003,
            'The miniport completed a request more than once.',
            [HW_DEVICE_EXTENSION, p('SRB', 'Address of the SRB.'), RESERVED],
          ],
          [
            0x1004,
            'The miniport completed a request with an invalid SRB status.',
            [p('SRB', 'Address of the SRB.'), HW_DEVICE_EXTENSION, RESERVED],
          ],
          [
            0x1005,
            'The miniport asked for NextLuRequest while an untagged request is still active.',
            [HW_DEVICE_EXTENSION, p('Logical unit', 'Address of the LOGICAL_UNIT_EXTENSION.'), RESERVED],
          ],
          [
            0x1006,
            'ScsiPortGetPhysicalAddress was given an invalid virtual address (outside the common buffer?).',
            [HW_DEVICE_EXTENSION, p('Address', 'The invalid virtual address.'), RESERVED],
          ],
          [
            0x1007,
            'The bus reset hold period ended with requests still outstanding in the miniport.',
            [p('Adapter extension', 'Address of the ADAPTER_EXTENSION.'), HW_DEVICE_EXTENSION, RESERVED],
          ],
          [0x2001, 'StorPortStallExecution was asked for a delay above 0.1 s.', [STALL_DELAY, RESERVED, RESERVED]],
          [
            0x2002,
            'StorPortGetUncachedExtension was called outside HwStorFindAdapter (or without SrbExtensionSize set).',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x2003,
            'StorPortGetDeviceBase was given an address the PnP manager did not assign to the driver.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [0x2004, 'The Storport miniport completed the same request more than once.', [RESERVED, RESERVED, RESERVED]],
          [
            0x2005,
            'A StorPortReadXxx or StorPortWriteXxx routine was given an address outside the mapped device range.',
            [RESERVED, RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0xf2,
      {
        summary: 'The kernel detected an interrupt storm.',
        parameters: [
          p('ISR', 'Address of the interrupt service routine (the first of the chain) on the storming vector.'),
          p('ISR context', 'The ISR context value.'),
          p('Interrupt object', 'Address of the interrupt object of the storming vector.'),
          p('Chained', '1 if the ISR is not chained, 2 if it is.'),
        ],
      },
    ],
    [
      0xf3,
      {
        summary: 'Windows could not shut down for lack of memory.',
        parameters: [
          p('Dirty pages', 'Total dirty pages.'),
          p('Dirty pagefile pages', 'Dirty pages bound for the paging file.'),
          p('Nonpaged pool free', 'Windows Server 2003: nonpaged pool available, in pages; later: reserved.'),
          p(
            'Stage or status',
            'Windows Server 2003: the shutdown stage; later: status of the latest modified-page write.',
          ),
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
      0xf5,
      {
        summary: 'The Filter Manager hit an unrecoverable failure; parameter 1 says which.',
        parameters: [p('Violation', 'Which failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x66,
            'A minifilter asked for a post-operation callback (SUCCESS_WITH_CALLBACK or SYNCHRONIZE) but has none registered.',
            [CALLBACK_DATA, ZERO, ZERO],
          ],
          [
            0x67,
            'An internal object ran out of space and more could not be allocated.',
            [CALLBACK_DATA, ZERO, p('Status', 'NTSTATUS of the operation.', 'status')],
          ],
          [
            0x68,
            'A FLT_FILE_NAME_INFORMATION was dereferenced too many times.',
            [RESERVED, p('Name information', 'Address of the FLT_FILE_NAME_INFORMATION.'), RESERVED],
          ],
          [
            0x6a,
            'A file open or create could not be cancelled because handles to the file exist.',
            [p('File object', 'The file object.'), ZERO, ZERO],
          ],
          [0x6b, 'Invalid back-pocket IRPCTRL state.', [p('Frame ID', 'The frame ID.'), ZERO, THREAD]],
          [
            0x6c,
            'Too many nested page faults for back-pocketed IRPCTRLs.',
            [p('Frame ID', 'The frame ID.'), p('Back-pocket list', 'The back-pocket list.'), THREAD],
          ],
          [
            0x6d,
            'A minifilter context was dereferenced too many times (the CONTEXT_NODE count reached zero while still attached).',
            [FILTER_CONTEXT, CONTEXT_NODE, ZERO],
          ],
          [0x6e, 'A minifilter context was referenced after being freed.', [FILTER_CONTEXT, CONTEXT_NODE, ZERO]],
        ],
      },
    ],
    [
      0xf6,
      {
        summary: 'The PCI driver caught the BIOS or a verified device breaking a rule; parameter 1 says which.',
        parameters: [
          p('Failure', 'What went wrong; the only parameter of interest.'),
          UNDOCUMENTED,
          UNDOCUMENTED,
          UNDOCUMENTED,
        ],
        cases: [
          [0x01, 'The BIOS reprogrammed an active bridge during a docking event.'],
          [0x02, 'The PMCSR register was not updated within the time the specification requires.'],
          [0x03, "A driver wrote to Windows-controlled parts of a PCI device's configuration space."],
        ],
      },
    ],
    [
      0xf7,
      {
        summary: 'A driver overran a stack-based buffer (the /GS security cookie was damaged).',
        parameters: [
          p('Cookie', 'The security cookie found on the stack.'),
          p('Expected cookie', 'The cookie it should be.'),
          p('Complement', 'Bitwise complement of the expected cookie.'),
          ZERO,
        ],
      },
    ],
    [
      0xf8,
      {
        summary: 'Booting from the RAM disk failed during initialization.',
        parameters: [
          p(
            'Cause',
            '1 no LoaderXIPRom descriptor in the loader memory list; 2 the RAM disk driver could not be opened; 3 FSCTL_CREATE_RAM_DISK failed; 4 GUID string not made; 5 symbolic link to the RAM disk not created.',
          ),
          p('Status', 'NTSTATUS of the failure.', 'status'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0xf9,
      {
        summary: 'A driver returned STATUS_REPARSE to a create request with no trailing name (a volume open).',
        parameters: [
          p('Opened device', 'Device object that was opened.'),
          p('Target device', 'Device object the create request was sent to.'),
          p('New name', 'Address of the Unicode string with the name to reparse to.'),
          p('Information', 'What the driver returned in Information for the create request.'),
        ],
      },
    ],
    [
      0xfa,
      {
        summary: 'The HTTP kernel driver (http.sys) is in a damaged state it cannot recover from.',
        parameters: [p('State', 'Which check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A work item is invalid (thread pool damage and an access violation would follow).',
            [
              p('Work item', 'Address of the work item.'),
              p('File', 'Name of the file holding the check.'),
              p('Line', 'Line of the check in that file.'),
            ],
          ],
        ],
      },
    ],
    [
      0xfc,
      {
        summary: 'The processor was made to execute code in a page marked no-execute.',
        parameters: [
          accessedAddress('Address', 'Virtual address whose execution was attempted.', 'execute'),
          p('PTE contents', 'Contents of the PTE mapping that address.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xfd,
      {
        summary: 'No free pages are left for basic system operations: too many dirty non-writable pages.',
        parameters: [
          p('Dirty pages', 'Total dirty pages.'),
          p('Non-writable pages', 'Dirty pages that cannot be written.'),
          RESERVED,
          p('Write status', 'Status of the latest modified-page write.', 'status'),
        ],
      },
    ],
    [
      0xfe,
      {
        summary: 'A USB driver made an error; parameter 1 says which.',
        parameters: [p('Violation', 'Which USB check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [0x1, 'An internal error in the USB stack.', [RESERVED, RESERVED, RESERVED]],
          [
            0x2,
            'A client driver sent a URB that is still tied to another IRP pending in the bus driver.',
            [
              p('Pending IRP', 'Address of the pending IRP.'),
              p('IRP', 'Address of the IRP passed in.'),
              p('URB', 'Address of the URB at fault.'),
            ],
          ],
          [
            0x3,
            'The USB miniport driver raised the bug check, usually after a hardware failure.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x4,
            'The caller submitted an IRP already pending in the USB bus driver.',
            [IRP, p('URB', 'Address of the URB.'), RESERVED],
          ],
          [
            0x5,
            'Hardware failure: a bad physical address in a hardware data structure.',
            [
              p('Controller extension', 'Device extension of the host controller.'),
              p('Vendor and product', 'PCI vendor and product ID of the controller.'),
              p('Endpoint', 'Address of the endpoint data structure.'),
            ],
          ],
          [
            0x6,
            'An internal data structure is damaged.',
            [p('Object', 'Address of the object.'), p('Signature', 'The signature expected.'), RESERVED],
          ],
          [
            0x7,
            'See the message string.',
            [
              p('Debug log', 'Address of the usbport.sys debug log.'),
              p('Message', 'The message string.'),
              p('File', 'The file name.'),
            ],
          ],
          [
            0x8,
            'A USB hub error; parameter 2 says which.',
            [
              p(
                'Hub error',
                '1, 3, 5 reserved; 2 unexpected IRP received by the hub driver; 4 fatal PDO trap; 6 fatal time-out.',
              ),
              p(
                'Detail',
                'Error 2: device object; 4: the PDO, or a context when parameter 4 is 0; 6: the time-out code (0 non-fatal, 1-10 which wait on the port or hub timed out).',
              ),
              p('Detail', 'Error 2: the IRP; 4: context or 0; 6: port data.'),
            ],
          ],
        ],
      },
    ],
    [
      0xff,
      {
        summary: 'Inserting an item into a reserve queue made it overflow.',
        parameters: [p('Queue', 'Address of the reserve queue.'), p('Size', 'Size of the queue.'), ZERO, ZERO],
      },
    ],
  ];
}
