/** Parameter meanings of the codes 0x100–0x13F, in our own words (facts from each code's public reference page). */
import type { DetailRows, OtherParams } from './common.js';
import {
  BY_P1,
  CONTEXT_RECORD,
  CURRENT_IRQL,
  DEVICE_OBJECT,
  DRIVER_MODULE_POINTER,
  DRIVER_OBJECT,
  EXCEPTION_CODE,
  EXCEPTION_RECORD,
  IRP,
  MDL,
  NONE,
  RESERVED,
  SOURCE_LOCATION,
  TDR_CONTEXT,
  UNDOCUMENTED,
  VIDEO_INTERNAL,
  WHEA_RECORD,
  ZERO,
  accessedAddress,
  dependsOn,
  filterContextRecord,
  filterExceptionRecord,
  p,
} from './common.js';

const RPC_SESSION = p('Session', 'The session to the server.');
const BINDING_HANDLE = p('Binding handle', 'The binding handle.');
const CALL_OBJECT = p('Call object', 'The call object.');
const PIPE_OBJECT = p('Pipe object', 'The pipe object.');

const WHEA_STATUS = p('Status', 'NTSTATUS of the failure.', 'status');
const WHEA_PHASE = p('Phase', 'Initialization phase.');
const WHEA_SOURCE_TYPE = p('Source type', 'Error source type.');
const WHEA_SOURCE_ID = p('Source ID', 'Error source ID.');

const GPIO_BANK_STATE: OtherParams = [
  p('Critical', 'Whether a critical transition is asked for.'),
  p('F1 non-critical', 'Whether the bank is already in F1 through a non-critical transition.'),
  p('F1 critical', 'Whether the bank is already in F1 through a critical transition.'),
];
const GPIO_EXTENSION = p('Device extension', 'The GPIO device extension.');

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details0100(): DetailRows {
  return [
    [
      0x100,
      {
        summary: 'The loader block is invalid or does not match the system being loaded.',
        parameters: [
          p('Three', 'Always 3.'),
          p('Extension size', 'Size of the loader block extension.'),
          p('Major version', 'Major version of the loader block.'),
          p('Minor version', 'Minor version of the loader block.'),
        ],
      },
    ],
    [
      0x00000101,
      {
        summary:
          'A secondary processor did not take its expected clock interrupt within the allotted interval: it is hung.',
        parameters: [
          p('Timeout', 'Time-out for the clock interrupt, in nominal clock ticks.'),
          ZERO,
          p('PRCB', 'Address of the processor control block (KPRCB) of the processor not responding.'),
          p('Processor', 'Index of the hung processor.'),
        ],
      },
    ],
    [
      0x102,
      {
        summary: 'The DPC watchdog routine did not run within its interval.',
        parameters: [
          p('Timeout', 'Time-out of the DPC watchdog, in nominal clock ticks.'),
          p('PRCB', "Address of the hung processor's PRCB."),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x103,
      {
        summary:
          'The multiple UNC provider (MUP) met invalid or unexpected data and cannot route a remote file request.',
        parameters: [p('Violation', 'What was wrong; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'MUP cannot find the file context of a file object: it saw I/O without the create (likely a filter driver error).',
            [
              p('IRP', 'Address of the pending IRP.'),
              p('File object', 'File object whose context was not found.'),
              DEVICE_OBJECT,
            ],
          ],
          [
            0x2,
            'The file context of a file object is not the one expected (e.g. NULL).',
            [
              p('Expected context', 'Address of the file context expected.'),
              p('Found context', 'Address read from the file object.'),
              RESERVED,
            ],
          ],
          [
            0x3,
            'An IRP completed with an unexpected status (checked builds; filters on legacy redirectors failing cleanup or close).',
            [
              p('IRP context', 'Address of the IRP context.'),
              p('Status', 'The completion status.', 'status'),
              p('Provider', 'Driver object of the UNC provider that finished the IRP (may be NULL).'),
            ],
          ],
          [
            0x4,
            'I/O started on a file object before its create request completed.',
            [
              IRP,
              p('File object', 'Address of the file object.'),
              p('File context', 'The file context of the file object.'),
            ],
          ],
        ],
      },
    ],
    [
      0x104,
      {
        summary: 'The GPU wrote to AGP memory that had not been committed.',
        parameters: [
          p('Offset', 'Offset, in ULONGs, in the AGP verifier page of the first damaged ULONG.'),
          ZERO,
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0x105,
      {
        summary: 'The Graphics Aperture Remapping Table (GART) is damaged.',
        parameters: [
          p('GART', 'Virtual base address of the GART.'),
          p('Offset', 'Offset in the GART where the damage is.'),
          p('GART cache', 'Virtual base address of the GART cache, the copy of the GART.'),
          ZERO,
        ],
      },
    ],
    [
      0x106,
      {
        summary: 'Someone not allowed to reprogrammed the AGP hardware.',
        parameters: [
          p('Original command', 'AGP command register value as first programmed.'),
          p('Current command', 'Command register value now.'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0x108,
      {
        summary: 'A file system or file system filter from a third party hit an unrecoverable problem.',
        parameters: [
          p('File system', 'Which file system failed (1: Polyserve, psfs.sys).'),
          EXCEPTION_RECORD,
          CONTEXT_RECORD,
          RESERVED,
        ],
      },
    ],
    [
      0x00000109,
      {
        summary: 'Kernel patch protection found critical kernel code or data modified; parameter 4 says what.',
        parameters: [
          RESERVED,
          RESERVED,
          RESERVED,
          p('Region type', 'Kind of region or structure found modified; see its case.'),
        ],
        caseParameter: 4,
        cases: [
          [[0x0, 0x20], 'A generic data region.'],
          [0x1, 'A function was modified.'],
          [0x2, 'A processor interrupt descriptor table (IDT).'],
          [0x3, 'A processor global descriptor table (GDT).'],
          [0x4, 'Process list corruption, type 1.'],
          [0x5, 'Process list corruption, type 2.'],
          [0x6, 'A debug routine was modified.'],
          [0x7, 'A critical MSR was modified.'],
          [0x8, 'An object type.'],
          [0x9, 'A processor IVT.'],
          [0xa, 'A system service function was modified.'],
          [0xb, 'A generic session data region.'],
          [0xc, 'A session function or its .pdata was modified.'],
          [0xd, 'An import table was modified.'],
          [0xe, 'A session import table was modified.'],
          [0xf, 'A Ps Win32 callout was modified.'],
          [0x10, 'The debug switch routine was modified.'],
          [0x11, 'The IRP allocator was modified.'],
          [0x12, 'The driver call dispatcher was modified.'],
          [0x13, 'The IRP completion dispatcher was modified.'],
          [0x14, 'The IRP deallocator was modified.'],
          [0x15, 'A processor control register.'],
          [0x16, 'A critical floating-point control register was modified.'],
          [0x17, 'The local APIC was modified.'],
          [0x18, 'A kernel notification callout was modified.'],
          [0x19, 'The loaded module list was modified.'],
          [0x1a, 'Process list corruption, type 3.'],
          [0x1b, 'Process list corruption, type 4.'],
          [0x1c, 'A driver object is damaged.'],
          [0x1d, 'An executive callback object was modified.'],
          [0x1e, 'Module padding was modified.'],
          [0x1f, 'A protected process was modified.'],
          [0x21, 'A page hash does not match.'],
          [0x22, 'A session page hash does not match.'],
          [0x23, 'A load configuration directory was modified.'],
          [0x24, 'The inverted function table was modified.'],
          [0x25, 'Session configuration was modified.'],
          [0x26, 'An extended processor control register.'],
          [0x27, 'Pool corruption, type 1.'],
          [0x28, 'Pool corruption, type 2.'],
          [0x29, 'Pool corruption, type 3.'],
          [0x101, 'General pool corruption.'],
          [0x102, 'win32k.sys was modified.'],
        ],
      },
    ],
    [0x10a, { summary: 'Application tagging failed to initialize.' }],
    [
      0x10c,
      {
        summary: 'The FsRtl extra create parameter (ECP) package caught a violation; parameter 1 says which.',
        parameters: [
          p('Violation', 'Which ECP check failed; see its case.'),
          ZERO,
          p('ECP', 'Address of the ECP.'),
          p('ECP list', 'Start address of the ECP list.'),
        ],
        cases: [
          [0x1, 'The ECP signature is invalid (a bad pointer or damaged memory).'],
          [0x2, 'The ECP has undefined flags set.'],
          [0x3, 'The ECP was not allocated by FsRtl.'],
          [0x4, 'The ECP has flags set that a create caller may not pass.'],
          [0x5, 'The ECP is damaged: its size is smaller than its header.'],
          [0x6, 'The ECP being freed still has list links: it may still be in an ECP list.'],
          [0x11, 'The ECP list signature is invalid (a bad pointer or damaged memory).'],
          [0x12, 'The ECP list has undefined flags set.'],
          [0x13, 'The ECP list was not allocated by FsRtl.'],
          [0x14, 'The ECP list has flags set that a create caller may not pass.'],
          [0x15, 'The create caller passed an empty ECP list.'],
        ],
      },
    ],
    [
      0x10d,
      {
        summary: 'The Kernel-Mode Driver Framework (KMDF) found an error in a framework-based driver.',
        parameters: [
          p('Error', 'The WDF error code; selects the meaning of parameters 2 and 3.'),
          dependsOn(1, 1),
          dependsOn(1, 2),
          RESERVED,
        ],
        cases: [
          [
            0x1,
            'A framework driver timed out in a power operation (often DO_POWER_PAGABLE not set and paging after the paging stack powered down).',
            [p('Timeout data', 'Address of the WDF_POWER_ROUTINE_TIMED_OUT_DATA.'), RESERVED, RESERVED],
          ],
          [0x2, 'A lock that is already held is being acquired.', [RESERVED, RESERVED, RESERVED]],
          [
            0x3,
            'WDF Verifier: a completed request cannot be deleted because its buffers are still referenced.',
            [
              p('Request', 'The WDFREQUEST handle.'),
              p('References', 'References still held on the input and output buffers.'),
              RESERVED,
            ],
          ],
          [
            0x4,
            'A NULL was passed where a value is required.',
            [RESERVED, p('Caller', "The caller's address."), RESERVED],
          ],
          [
            0x5,
            'A framework object handle of the wrong type was passed to a method.',
            [p('Handle', 'The handle passed.'), RESERVED, RESERVED],
          ],
          [
            0x6,
            'A fatal error in handling a WDF request; parameter 2 says which (WDF_REQUEST_FATAL_ERROR).',
            [
              p(
                'Request error',
                '1 no I/O stack locations left to format the IRP; 2 request with no IRP formatted; 3 request already sent to an I/O target; 4 more bytes written to the output buffer than the IRP allows.',
              ),
              p(
                'Detail',
                'Error 1: the IRP; 2 and 3: the request handle; 4: address of the length-mismatch data (IRP, request, major function, bytes written).',
              ),
              RESERVED,
            ],
          ],
          [
            0x7,
            'The driver deleted a framework object with WdfObjectDereference instead of WdfObjectDelete.',
            [p('Object', 'Handle of the framework object.'), RESERVED, RESERVED],
          ],
          [
            0x8,
            'An operation hit a DMA transaction object in the wrong state.',
            [p('DMA transaction', 'Handle of the DMA transaction object.'), RESERVED, RESERVED],
          ],
          [0x9, 'Not used at present.', [UNDOCUMENTED, UNDOCUMENTED, RESERVED]],
          [
            0xa,
            'A fatal error occurred while a queued request was processed.',
            [p('Queue error data', 'Address of the WDF_QUEUE_FATAL_ERROR_DATA.'), RESERVED, RESERVED],
          ],
          [
            0xb,
            'An invalid lock acquire or release; parameter 3 says which.',
            [
              p('Handle', 'Error 0: the handle passed; 1: the WDF spin lock handle.'),
              p(
                'Lock error',
                '0 the object does not support synchronization locks; 1 a spin lock released by a thread that did not take it.',
              ),
              RESERVED,
            ],
          ],
          [
            0xc,
            'A state-changing PnP IRP arrived while another was being processed.',
            [p('Device', 'The WDFDEVICE handle.'), p('PnP IRP', 'Address of the new PnP IRP.'), RESERVED],
          ],
          [
            0xd,
            'The power policy owner of a device got a power IRP it never requested (more than one policy owner?).',
            [p('Device', 'The WDFDEVICE handle.'), p('Power IRP', 'Address of the power IRP.'), RESERVED],
          ],
          [
            0xe,
            'An event callback returned at a different IRQL than it was called at (e.g. a spin lock not released).',
            [
              p('IRQL at call', 'IRQL the callback was called at.'),
              p('IRQL at return', 'IRQL it returned at.'),
              RESERVED,
            ],
          ],
          [
            0xf,
            'An event callback entered a critical region and did not leave it.',
            [p('Callback', 'Address of the event callback.'), RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0x10e,
      {
        summary: 'The video memory manager hit a condition it cannot recover from; parameter 1 says which.',
        parameters: [
          p('Error', 'Type of video memory error; unlisted values need individual study.'),
          UNDOCUMENTED,
          UNDOCUMENTED,
          UNDOCUMENTED,
        ],
        cases: [
          [0x1, 'A range that is not a rotate range was rotated.'],
          [0x2, 'A process heap that is not empty was destroyed.'],
          [0x3, 'Unmapping from an aperture segment failed.'],
          [0x4, 'A rotation that had to succeed failed.'],
          [0x5, 'A deferred command failed.'],
          [0x6, 'Resources were reallocated for an allocation whose eviction was being cancelled.'],
          [0x7, 'Deferred free usage was invalid.'],
          [0x8, 'The split DMA buffer holds an invalid reference.'],
          [0x9, 'Evicting an allocation failed.'],
          [0xa, 'A pinned allocation was used invalidly.'],
          [0xb, 'A driver returned an invalid error code from BuildPagingBuffer.'],
          [0xc, 'A segment leaks resources.'],
          [0xd, 'A segment is used wrongly.'],
          [0xe, 'Mapping an allocation into an aperture segment failed.'],
          [0xf, 'A driver returned an invalid error code from AcquireSwizzlingRange.'],
          [0x10, 'A driver returned an invalid error code from ReleaseSwizzlingRange.'],
          [0x11, 'An aperture segment was used invalidly.'],
          [0x12, 'A driver overflowed the DMA buffer it was given.'],
          [0x13, 'A driver overflowed the private data buffer it was given.'],
          [0x14, 'Purging all segments failed.'],
          [0x15, 'A virtual address descriptor still rotated was freed.'],
          [0x16, 'A driver did not keep the guaranteed DMA buffer model contract.'],
          [0x17, 'A system command failed unexpectedly.'],
          [0x18, "Releasing a pinned allocation's resource failed."],
          [0x19, 'A driver failed to patch a DMA buffer.'],
          [0x1a, 'The owner of a shared allocation was freed.'],
          [0x1b, 'An aperture range still in use was released.'],
          [
            0x1c,
            'Rotating an allocation back from the frame buffer found the virtual address not rotated where expected.',
          ],
          [0x1d, 'Paging buffers that were unmapped are being used.'],
          [0x1e, 'An operation is being done from the wrong process context.'],
          [0x1f, 'An allocation is being marked with a lower fence than it has.'],
          [0x20, 'An allocation thought to be idle is not.'],
          [0x21, 'The paging buffer was flushed outside preparation, or held unflushed data when preparation began.'],
          [0x22, 'A virtual address is being rotated to an invalid range.'],
          [0x23, 'The scheduler woke a thread before its wait completed.'],
          [
            0x24,
            'An allocation with outstanding references to its backing store is being destroyed: physical memory will leak.',
          ],
          [0x25, 'The GPU wrote over an undefined area of the aperture.'],
          [0x26, 'A process other than the owner closed a VIDMM_LOCAL_ALLOC.'],
          [0x27, 'A VIDMM_ALLOC missed being reprogrammed at the current split point.'],
          [0x28, 'An unexpected exception occurred while a global allocation was referenced.'],
          [0x29, 'A VIDMM_ALLOC DMA reference count overflowed or underflowed.'],
          [0x2a, 'The last reference to the allocation being displayed is being freed.'],
          [0x2b, 'An invalid CPU host aperture page range is being freed.'],
          [0x2c, 'A page range already mapped to the CPU host aperture is being mapped again.'],
          [0x2d, 'DdiMapCpuHostAperture failed where it had to succeed.'],
          [0x2e, 'DdiUnmapCpuHostAperture failed where it had to succeed.'],
          [0x2f, 'A range size reported disagrees with the number of array elements allocated.'],
          [0x30, 'A GPU virtual address operation failed.'],
          [0x31, 'A paging queue is being deleted while the worker thread still processes it.'],
          [0x32, 'A paging queue being deleted still holds running packets.'],
          [0x33, 'A device is being destroyed with allocations still resident on it.'],
          [0x34, 'A heap allocation received a state transition that does not fit its state.'],
          [0x35, 'A paging request failed on the default paging queue.'],
          [0x36, 'A paging request failed on a packet or device resume marked unrecoverable, which had to succeed.'],
          [0x37, 'Locking the pages of an allocation failed during TDR.'],
          [0x38, 'An allocation still referenced by paging packets is being freed.'],
          [0x39, 'A device with paging packets is being put in the indefinite penalty box.'],
          [0x3a, 'The worker thread is running a paging queue that was suspended.'],
          [0x3b, 'During a D3 transition, memory is still rotated to the frame buffer.'],
          [
            0x3c,
            'During a D3 transition, memory is still allocated or mapped in the CPU host aperture (it may still be rotated to the frame buffer).',
          ],
          [0x3d, 'An invalid segment group was given.'],
          [0x3e, 'The VIDMM_ALLOC rundown protection could not be acquired.'],
          [
            0x3f,
            'Resuming the scheduler device during a move or defragmentation conflicts with the penalty box state.',
          ],
          [0x40, 'A preparation bracket was started while another operation was in progress.'],
          [0x41, 'A VIDMM_CROSSADAPTER_ALLOC with non-zero residency or adapter count is being deleted.'],
          [0x42, 'A VIDMM_CROSSADAPTER_ALLOC with a negative residency or adapter count is being deleted.'],
          [0x43, 'Saving or restoring reserved frame buffer content could not map a page of the section object.'],
          [0x44, 'Memory budget bookkeeping underflowed.'],
        ],
      },
    ],
    [
      0x10f,
      {
        summary:
          'A kernel-mode resource manager raised an exception in a direct callback from the kernel transaction manager.',
        parameters: [
          EXCEPTION_RECORD,
          CONTEXT_RECORD,
          p('Exception code address', 'Address of the exception code.'),
          p('Resource manager', 'Address of the resource manager.'),
        ],
      },
    ],
    [0x111, { summary: 'A non-maskable interrupt (NMI) arrived while an earlier one was still being handled.' }],
    [
      0x112,
      {
        summary: 'The MSRPC driver (msrpc.sys) found a state violation; parameters 1 and 2 matter.',
        parameters: [
          p('Violation', 'Which state violation; selects the meaning of parameter 2.'),
          dependsOn(1, 1),
          UNDOCUMENTED,
          UNDOCUMENTED,
        ],
        cases: [
          [
            0x01,
            'A non-continuable exception was continued.',
            [p('Exception code', 'The exception code.', 'exceptionCode'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x02, 'ALPC returned an invalid error.', [p('Error', 'The error.'), UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x03,
            'The MSRPC driver was unloaded while still in use (open binding handles?).',
            [RPC_SESSION, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [[0x04, 0x05], 'An invalid close command came from ALPC.', [RPC_SESSION, UNDOCUMENTED, UNDOCUMENTED]],
          [0x06, 'An RPC binding handle was bound a second time.', [BINDING_HANDLE, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x07,
            'An operation was done on a binding handle that is not bound.',
            [BINDING_HANDLE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x08,
            'Security information was set on a binding handle already bound.',
            [BINDING_HANDLE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x09, 'An option was set on a binding handle already bound.', [BINDING_HANDLE, UNDOCUMENTED, UNDOCUMENTED]],
          [0x0a, 'An invalid asynchronous call was cancelled.', [CALL_OBJECT, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x0b,
            'A push on an asynchronous pipe call came when none was expected.',
            [CALL_OBJECT, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            [0x0c, 0x0e],
            'A push on an asynchronous pipe did not wait for notification.',
            [PIPE_OBJECT, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x0f, 'A pipe was terminated synchronously a second time.', [PIPE_OBJECT, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x15,
            'An internal RPC error.',
            [p('Object', 'The object closest to the error.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x16,
            'Two calls that depend on each other were made in an order RPC cannot guarantee.',
            [RESERVED, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x17,
            'A server manager routine completed a call without unsubscribing from notifications.',
            [CALL_OBJECT, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x18,
            'An invalid operation on an asynchronous handle.',
            [p('Async handle', 'The asynchronous handle.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
        ],
      },
    ],
    [0x113, { summary: 'The DirectX graphics kernel (dxgkrnl) detected a violation.' }],
    [0x114, { summary: 'The shadow display driver detected a violation.' }],
    [0x115, { summary: 'The AGP driver detected a violation.' }],
    [
      0x00000116,
      {
        summary: 'The display driver could not be reset and recovered after a GPU timeout.',
        parameters: [
          TDR_CONTEXT,
          DRIVER_MODULE_POINTER,
          p('Last error', 'Error code of the last operation that failed, if known.'),
          VIDEO_INTERNAL,
        ],
      },
    ],
    [
      0x00000117,
      {
        summary: 'The display driver did not respond in time and a GPU timeout was detected (usually a live dump).',
        parameters: [
          TDR_CONTEXT,
          DRIVER_MODULE_POINTER,
          p('Bucketing key', 'Secondary, driver-specific key used to group reports.'),
          VIDEO_INTERNAL,
        ],
      },
    ],
    [
      0x00000119,
      {
        summary: 'The GPU scheduler found a fatal violation, usually by the display driver; only parameter 1 matters.',
        parameters: [
          p('Violation', 'Which scheduler check failed.'),
          p('Detail 1', 'Not documented; driver or scheduler specific.'),
          p('Detail 2', 'Not documented; driver or scheduler specific.'),
          p('Detail 3', 'Not documented; driver or scheduler specific.'),
        ],
        cases: [
          [0x1, 'The driver reported a fence ID that is not valid.'],
          [0x2, 'The driver failed to submit a command.'],
          [0x3, 'The driver failed to patch a command buffer.'],
          [0x4, 'The driver reported a flip queue length that is not valid.'],
          [0x5, 'The driver failed a system or paging command.'],
          [0x6, 'The driver reported an empty physical adapter mask for an interrupt on a multi-adapter GPU.'],
          [0x7, 'The driver reported a display VSync on a render-only adapter.'],
          [0x8, 'The node causing a reset did not have its bit set in the node mask.'],
          [0x9, 'The driver failed a cancel command.'],
          [0xa, 'The driver reported an aborted fence that is out of range.'],
          [0xb, 'The driver failed a SetVidPnSourceAddressWithMultiPlaneOverlay command.'],
          [0xc, "The driver's page fault flags report a fatal hardware fault."],
          [0xd, 'The driver reported wrong page fault flags in a DMA page-faulted interrupt.'],
          [0xe, "The driver reported VSync for a plane index beyond the GPU's overlay planes."],
          [0xf, 'Not used.'],
          [0x10, 'The driver raised an interrupt after an engine reset but before the system resumed the engine.'],
          [0x11, 'The driver reported a suspend-context fence value the system has not produced yet.'],
          [0x12, "The driver failed to update a native fence's monitored value."],
          [0x13, "The driver failed to update a native fence's current value."],
          [
            [0x400, 0x1000, 0xa000, 0x10000],
            'Internal scheduler state is wrong, typically memory corruption or faulty hardware.',
          ],
          [0xe00, 'The pre-allocated packets for passive flip requests ran out.'],
        ],
      },
    ],
    [0x11a, { summary: 'The EM (errata manager) failed to initialize.' }],
    [
      0x11b,
      {
        summary: 'A driver returned from a cancel routine still holding the global cancel lock.',
        parameters: [
          p('IRP', 'Address of the cancelled IRP (may not be valid).'),
          p('Cancel routine', 'Address of the cancel routine.'),
          UNDOCUMENTED,
          UNDOCUMENTED,
        ],
      },
    ],
    [
      0x11c,
      {
        summary: "A write was attempted to the configuration manager's read-only protected storage.",
        parameters: [
          accessedAddress('Address', 'Virtual address of the attempted write.', 'write'),
          p('PTE contents', 'Contents of the PTE mapping that address.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x11d,
      {
        summary: 'Event Tracing for Windows (ETW) hit an unexpected fatal error; parameter 1 says which.',
        parameters: [
          p('Subtype', 'Which ETW failure; see its case.'),
          p('Detail', 'Subtypes 8 and 9 only; see the case.'),
          UNDOCUMENTED,
          UNDOCUMENTED,
        ],
        cases: [
          [0x01, 'Security could not be initialized.'],
          [0x02, 'A processor could not be initialized.'],
          [0x03, 'A kernel-mode registration is damaged.'],
          [0x04, 'An invalid handle was unregistered.'],
          [0x05, 'Data overran in an EventWrite call.'],
          [0x06, 'An event was lost.'],
          [0x07, 'A trace buffer is damaged.'],
          [
            0x08,
            'Cache-aware rundown protection for an ETW logger context could not be allocated.',
            [p('Logger ID', 'The logger ID.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x09,
            'The reference count of an ETW GUID entry does not fit its state.',
            [p('GUID entry', 'Address of the ETW_GUID_ENTRY.'), UNDOCUMENTED, UNDOCUMENTED],
          ],
        ],
      },
    ],
    [0x11e, { summary: 'A file system caused too many recursive faults under low resources.', parameters: NONE }],
    [
      0x11f,
      {
        summary:
          'The first handle of a driver was closed between inserting its driver object and referencing the handle.',
        parameters: [
          p('Handle', 'Handle of the driver object.'),
          p('Status', 'Status of the failed reference.', 'status'),
          DRIVER_OBJECT,
          RESERVED,
        ],
      },
    ],
    [
      0x120,
      {
        summary: 'BitLocker drive encryption hit a problem it cannot recover from.',
        parameters: [p('Problem', 'Type of problem.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x121,
      {
        summary: 'A driver called a function at an IRQL it may not be called at.',
        parameters: [p('Violation', 'Which IRQL rule; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A function that must run at one specific IRQL was called at another.',
            [CURRENT_IRQL, p('Required IRQL', 'The IRQL required.'), RESERVED],
          ],
          [
            0x2,
            'A function was called above the highest IRQL it allows.',
            [CURRENT_IRQL, p('Maximum IRQL', 'The highest IRQL allowed.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x122,
      {
        summary:
          'WHEA (Windows Hardware Error Architecture) failed internally, e.g. because of a vendor PSHED plug-in or the firmware.',
        parameters: [p('Error', 'Which WHEA failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'Memory for all error sources of the hardware error source table could not be allocated.',
            [p('Size', 'Size of memory.'), p('Sources', 'Error source count.'), ZERO],
          ],
          [
            0x2,
            'Memory for a WHEA information block per processor could not be allocated.',
            [p('Processors', 'Number of processors.'), ZERO, ZERO],
          ],
          [
            0x5,
            'Memory for the error sources could not be allocated, or enumerating them failed.',
            [WHEA_STATUS, WHEA_PHASE, ZERO],
          ],
          [0x6, 'An error source could not be initialized.', [WHEA_STATUS, WHEA_PHASE, WHEA_SOURCE_TYPE]],
          [0x7, 'Not enough memory could be allocated.', [WHEA_STATUS, ZERO, ZERO]],
          [
            0x8,
            'Memory for all error source descriptors could not be allocated.',
            [p('Sources', 'Number of error sources.'), ZERO, ZERO],
          ],
          [0x9, 'An uncorrected error came from an invalid error source.', [WHEA_SOURCE_TYPE, WHEA_SOURCE_ID, ZERO]],
          [
            0xa,
            'An error record for an uncorrected error could not be allocated.',
            [WHEA_SOURCE_TYPE, WHEA_SOURCE_ID, ZERO],
          ],
          [
            0xb,
            'The error record for an uncorrected error could not be filled in.',
            [WHEA_SOURCE_TYPE, WHEA_SOURCE_ID, ZERO],
          ],
        ],
      },
    ],
    [0x123, { summary: 'A required self-test of a cryptographic algorithm failed at boot.', parameters: NONE }],
    [
      0x00000124,
      {
        summary:
          'The hardware reported an error it could not correct, through the Windows Hardware Error Architecture (WHEA).',
        parameters: [
          p('Error source', 'WHEA error source type; see its case.'),
          WHEA_RECORD,
          p(
            'Source detail 1',
            "Machine check: high 32 bits of the bank's MCi_STATUS. Itanium MCA: length of the SAL log. Otherwise reserved.",
          ),
          p(
            'Source detail 2',
            "Machine check: low 32 bits of the bank's MCi_STATUS. Itanium MCA: address of the SAL log. Otherwise reserved.",
          ),
        ],
        cases: [
          [
            0x0,
            'Machine check exception.',
            [
              WHEA_RECORD,
              p('MCi_STATUS high', "High 32 bits of the bank's MCi_STATUS."),
              p('MCi_STATUS low', "Low 32 bits of the bank's MCi_STATUS."),
            ],
          ],
          [0x1, 'Corrected machine check.'],
          [0x2, 'Corrected platform error.'],
          [0x3, 'Non-maskable interrupt (NMI).'],
          [0x4, 'Uncorrectable PCI Express error.'],
          [0x5, 'Generic hardware error.'],
          [0x6, 'Initialization error.'],
          [0x7, 'Boot error.'],
          [0x8, 'Scalable coherent interface (SCI) generic error.'],
          [
            0x9,
            'Uncorrectable Itanium machine check abort.',
            [
              WHEA_RECORD,
              p('SAL log length', 'Length of the SAL log, in bytes.'),
              p('SAL log', 'Address of the SAL log.'),
            ],
          ],
          [0xa, 'Corrected Itanium machine check.'],
          [0xb, 'Corrected Itanium platform error.'],
          [0xc, 'Other error source (version 2).'],
          [0xd, 'SCI-based generic hardware error source, version 2 (ACPI GHESv2).'],
          [0xe, 'Baseboard management controller (BMC) error.'],
          [0xf, 'Persistent memory address range scrubbing (ARS PMEM).'],
          [0x10, 'Device driver error source.'],
          [0x11, 'Arm synchronous external abort.'],
          [0x12, 'Arm SError interrupt.'],
        ],
      },
    ],
    [
      0x125,
      {
        summary: 'The network module registrar (NMR) found an invalid state.',
        parameters: [
          p('Subtype', 'Kind of invalid state (the reference lists the WHEA error source types under it).'),
          p('Handle', 'Address of the handle involved.'),
          p('Expected type', 'Address of the type expected, when available.'),
          RESERVED,
        ],
      },
    ],
    [
      0x126,
      {
        summary: 'An invalid request was made to a NETIO-managed memory pool (FSB, MDL).',
        parameters: [p('Subtype', 'What was wrong; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A pool is in an invalid state.',
            [
              p('Block or MDL', 'Address of the memory block or MDL.'),
              p('Page', 'Address of the page.'),
              p('CPU pool', 'Address of the CPU pool.'),
            ],
          ],
          [
            0x2,
            'An MDL is in an invalid state.',
            [MDL, p('CPU pool', 'Address of the CPU pool.'), p('Pool header', 'Address of the pool header.')],
          ],
        ],
      },
    ],
    [
      0x127,
      {
        summary: 'A page that should be all zeros is not (hardware, or a privileged component writing after freeing).',
        parameters: [
          p('Address', 'Virtual address mapping the damaged page.'),
          p('Page', 'Physical page number.'),
          ZERO,
          ZERO,
        ],
      },
    ],
    [
      0x128,
      {
        summary: "A worker routine changed its worker thread's I/O priority.",
        parameters: [
          p('Worker routine', 'Address of the worker routine; `ln` on it names the driver.'),
          p('I/O priority', 'The I/O priority now.'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
        ],
      },
    ],
    [
      0x129,
      {
        summary: "A worker routine changed its worker thread's paging I/O priority.",
        parameters: [
          p('Worker routine', 'Address of the worker routine; `ln` on it names the driver.'),
          p('Paging I/O priority', 'The paging I/O priority now.'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
        ],
      },
    ],
    [
      0x12a,
      {
        summary: 'No installed, licensed language pack was found for the system default UI language.',
        parameters: [
          p('Subtype', 'When it failed; see its case.'),
          p('Status', 'NTSTATUS telling why.', 'status'),
          RESERVED,
          RESERVED,
        ],
        cases: [
          [0x1, 'No language pack was found during phase 1 initialization.'],
          [0x2, 'No licensed language pack for the default UI language was found while the kernel cache was built.'],
        ],
      },
    ],
    [
      0x0000012b,
      {
        summary:
          'A physical page was found corrupted, by faulty memory or by a component writing through physical addresses.',
        parameters: [
          p(
            'Address or status',
            'Page not zero (parameters 3 and 4 are 0): a virtual address mapping the bad page. Store manager error: the failure status.',
          ),
          p(
            'Page or size',
            'Page not zero: the physical page number. Store manager error: compressed size of the page being read.',
          ),
          p('Zero or source', 'Page not zero: 0. Store manager error: the source buffer.'),
          p('Zero or target', 'Page not zero: 0. Store manager error: the target buffer.'),
        ],
      },
    ],
    [
      0x12c,
      {
        summary: 'The exFAT file system hit a condition it cannot recover from.',
        parameters: [
          SOURCE_LOCATION,
          filterExceptionRecord('FppExceptionFilter'),
          filterContextRecord('FppExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [
      0x12d,
      {
        summary: 'Volsnap accessed a shared table from two threads at once, which may damage it.',
        parameters: NONE,
      },
    ],
    [
      0x12e,
      {
        summary: 'IoBuildPartialMdl was given a virtual range outside the source MDL (a driver bug).',
        parameters: [
          p('SourceMdl', 'The source MDL.'),
          p('TargetMdl', 'The target MDL.'),
          p('VirtualAddress', 'Start of the range asked for.'),
          p('Length', 'Length of the range.'),
        ],
      },
    ],
    [
      0x12f,
      {
        summary: 'Booting from a VHD failed during initialization.',
        parameters: [
          p(
            'Action',
            'What failed: 1 reading VHD information from the boot device; 2 the parent device did not appear in time; 3 path string allocation; 4 path construction; 5 mounting the VHD boot device; 6 disabling sleep states; 7 information allocation; 8 information construction.',
          ),
          p('Status', 'NTSTATUS of the failure.', 'status'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [0x130, { summary: 'A processor added while running does not fit the current configuration.', parameters: NONE }],
    [
      0x131,
      {
        summary: 'Saving or restoring extended processor state was asked with an invalid combination of parameters.',
        parameters: [p('Check', 'Which check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x0,
            'An invalid feature mask was given, or extended state is not enabled.',
            [
              p('Enabled', 'Non-zero if extended state is enabled.'),
              p('Mask low', 'Low 32 bits of the feature mask.'),
              p('Mask high', 'High 32 bits of the feature mask.'),
            ],
          ],
          [
            0x1,
            'Extended state was saved or restored above DISPATCH_LEVEL.',
            [p('IRQL', 'The IRQL.', 'irql'), RESERVED, RESERVED],
          ],
          [
            0x2,
            'The state saved before is for the same or a higher level.',
            [p('Saved level', 'The saved level.'), p('Current level', 'The current level.'), RESERVED],
          ],
          [
            0x3,
            'The state saved before belongs to another thread.',
            [
              p('Saved thread', 'The thread the state was saved for.'),
              p('Current thread', 'The current thread.'),
              RESERVED,
            ],
          ],
          [
            0x4,
            'The state saved before is for a different level.',
            [p('Saved level', 'The saved level.'), p('Current level', 'The current level.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x132,
      {
        summary: 'An invalid resource owner pointer was given.',
        parameters: [
          p('Resource', 'The resource.'),
          p('Owner table', "The resource's OwnerTable."),
          p('Current thread', 'The current thread.'),
          p('Owner pointer', 'The owner pointer given.'),
        ],
      },
    ],
    [
      0x00000133,
      {
        summary:
          'The DPC watchdog fired: one DPC or ISR ran too long, or a processor stayed at DISPATCH_LEVEL or above too long.',
        parameters: [
          p('Violation', '0: a single DPC or ISR overran; 1: too much cumulative time at DISPATCH_LEVEL or above.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x0,
            'A single DPC or ISR ran past its time allotment; the stack usually shows the culprit.',
            [
              p('DPC time', 'Time the DPC has run, in ticks.'),
              p('Allotment', 'DPC time allotment, in ticks.'),
              p('Triage block', 'Address to read as nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK.'),
            ],
          ],
          [
            0x1,
            'The processor spent too long, in total, at DISPATCH_LEVEL or above.',
            [
              p('Watchdog period', 'The watchdog period.'),
              p('Triage block', 'Address to read as nt!DPC_WATCHDOG_GLOBAL_TRIAGE_BLOCK.'),
              RESERVED,
            ],
          ],
        ],
      },
    ],
    [0x134, { summary: 'The drive extender component hit a severe internal error.', parameters: NONE }],
    [
      0x135,
      {
        summary: 'A registry filter driver raised an exception it did not handle.',
        parameters: [
          EXCEPTION_CODE,
          CONTEXT_RECORD,
          p('Callback', "Address of the driver's registry callback routine."),
          RESERVED,
        ],
      },
    ],
    [
      0x136,
      {
        summary: 'Booting from a VHD failed: the host volume has no room to expand the VHD.',
        parameters: [
          p('Failure', '0: the VHD file could not be expanded to its full size.'),
          p('Status', 'NTSTATUS of the failure.', 'status'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x137,
      {
        summary: 'The win32k (ntuser) handle manager found a fatal error.',
        parameters: [RESERVED, p('Object', 'Address of the object, if known.'), RESERVED, RESERVED],
      },
    ],
    [
      0x138,
      {
        summary: 'The GPIO class extension driver hit a fatal error.',
        parameters: [p('Violation', 'Which error; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            1,
            'No GPIO controller is registered for the GSIV.',
            [p('GSIV', 'The global system interrupt vector.'), RESERVED, RESERVED],
          ],
          [
            2,
            'A lock or unlock request from a client driver carried an invalid context.',
            [p('Context', 'The context value.'), RESERVED, RESERVED],
          ],
          [
            3,
            'The power framework asked for a bank to go through an unsuitable F1 state or critical transition.',
            GPIO_BANK_STATE,
          ],
          [
            4,
            'The power framework asked for a bank to go through an unsuitable F0 state or critical transition.',
            GPIO_BANK_STATE,
          ],
          [
            5,
            'An on-SoC GPIO interrupt operation failed.',
            [
              p('Status', 'NTSTATUS of the failure.', 'status'),
              GPIO_EXTENSION,
              p('Interrupt parameters', 'The GPIO interrupt parameters.'),
            ],
          ],
          [
            6,
            'An on-SoC GPIO I/O operation failed.',
            [
              p('Status', 'NTSTATUS of the failure.', 'status'),
              GPIO_EXTENSION,
              p('I/O parameters', 'The GPIO I/O parameters.'),
            ],
          ],
          [
            7,
            'A _DSM method returned malformed data.',
            [p('Revision', 'Revision ID.'), p('Function', 'Function index.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x00000139,
      {
        summary:
          'A kernel security check (a fast fail) detected damage to a critical structure, such as a stack cookie or a LIST_ENTRY.',
        parameters: [
          p('Check type', 'FAST_FAIL_* code of the check that failed; see its case.'),
          p('Trap frame', 'Address of the trap frame of the failing check (`.trap` on it).', 'trapFrame'),
          p('Exception record', 'Address of the exception record (`.exr` on it).', 'exceptionRecord'),
          RESERVED,
        ],
        cases: [
          [0, 'FAST_FAIL_LEGACY_GS_VIOLATION: stack buffer overrun caught by the old /GS check.'],
          [1, 'FAST_FAIL_VTGUARD_CHECK_FAILURE: a virtual call through a bad vtable, usually a damaged C++ object.'],
          [2, 'FAST_FAIL_STACK_COOKIE_CHECK_FAILURE: a stack cookie (/GS) did not match; a stack buffer was overrun.'],
          [3, "FAST_FAIL_CORRUPT_LIST_ENTRY: a LIST_ENTRY's links do not point back (double removal or damage)."],
          [4, 'FAST_FAIL_INCORRECT_STACK (reserved in the reference).'],
          [5, 'FAST_FAIL_INVALID_ARG: a routine that treats bad arguments as fatal got one.'],
          [
            6,
            'FAST_FAIL_GS_COOKIE_INIT: the loader did not set up the security cookie (for example a driver built for a newer Windows).',
          ],
          [7, 'FAST_FAIL_FATAL_APP_EXIT: a fatal exit was requested.'],
          [8, 'FAST_FAIL_RANGE_CHECK_FAILURE: a compiler-inserted array bounds check failed.'],
          [
            9,
            'FAST_FAIL_UNSAFE_REGISTRY_ACCESS: RtlQueryRegistryValues with RTL_QUERY_REGISTRY_DIRECT and no type check read from an untrusted hive.',
          ],
          [10, 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE: Control Flow Guard rejected an indirect call target.'],
          [11, 'FAST_FAIL_GUARD_WRITE_CHECK_FAILURE: a write guard check rejected a memory write.'],
          [12, 'FAST_FAIL_INVALID_FIBER_SWITCH: switch to a bad fiber context.'],
          [13, 'FAST_FAIL_INVALID_SET_OF_CONTEXT: a bad register context was set.'],
          [14, "FAST_FAIL_INVALID_REFERENCE_COUNT: an object's reference count is not valid."],
          [18, 'FAST_FAIL_INVALID_JUMP_BUFFER: switch to a bad jmp_buf context.'],
          [19, 'FAST_FAIL_MRDATA_MODIFIED: read-only data was changed unsafely.'],
          [20, 'FAST_FAIL_CERTIFICATION_FAILURE: a cryptographic self-test failed.'],
          [21, 'FAST_FAIL_INVALID_EXCEPTION_CHAIN: the exception handler chain is not valid.'],
          [22, 'FAST_FAIL_CRYPTO_LIBRARY: the cryptographic library reported an error.'],
          [23, 'FAST_FAIL_INVALID_CALL_IN_DLL_CALLOUT: a call not allowed from within DllMain.'],
          [24, 'FAST_FAIL_INVALID_IMAGE_BASE: an image base address is not valid.'],
          [25, 'FAST_FAIL_DLOAD_PROTECTION_FAILURE: protecting a delay-load import failed.'],
          [26, 'FAST_FAIL_UNSAFE_EXTENSION_CALL: a call to an unsafe extension.'],
          [27, 'FAST_FAIL_DEPRECATED_SERVICE_INVOKED: a deprecated service was called.'],
          [28, 'FAST_FAIL_INVALID_BUFFER_ACCESS: a buffer was accessed out of bounds.'],
          [29, 'FAST_FAIL_INVALID_BALANCED_TREE: an RTL_BALANCED_NODE red-black tree entry is damaged.'],
          [30, 'FAST_FAIL_INVALID_NEXT_THREAD: the next thread chosen to run is not valid.'],
          [32, 'FAST_FAIL_APCS_DISABLED: APCs were disabled where they must be enabled.'],
          [33, 'FAST_FAIL_INVALID_IDLE_STATE: an idle state that is not valid.'],
          [34, 'FAST_FAIL_MRDATA_PROTECTION_FAILURE: protecting read-mostly data failed.'],
          [35, 'FAST_FAIL_UNEXPECTED_HEAP_EXCEPTION: an unexpected exception inside the heap.'],
          [36, 'FAST_FAIL_INVALID_LOCK_STATE: a lock is in a state that is not valid.'],
          [37, 'FAST_FAIL_GUARD_JUMPTABLE: a switch jump table entry out of range was used.'],
          [38, 'FAST_FAIL_INVALID_LONGJUMP_TARGET: longjmp to a target that is not valid.'],
          [39, 'FAST_FAIL_INVALID_DISPATCH_CONTEXT: an exception dispatch context that is not valid.'],
          [40, 'FAST_FAIL_INVALID_THREAD: a thread that is not valid.'],
          [44, 'FAST_FAIL_GUARD_SS_FAILURE: a shadow stack check failed (return address mismatch).'],
          [46, 'FAST_FAIL_GUARD_EXPORT_SUPPRESSION_FAILURE: an export-suppressed call target could not be made valid.'],
          [47, 'FAST_FAIL_INVALID_CONTROL_STACK: the control stack is not valid.'],
          [48, 'FAST_FAIL_SET_CONTEXT_DENIED: setting a thread context was refused.'],
          [49, 'FAST_FAIL_INVALID_IAT: an import address table that is not valid.'],
          [50, 'FAST_FAIL_HEAP_METADATA_CORRUPTION: heap metadata is damaged.'],
          [57, 'FAST_FAIL_CONTROL_INVALID_RETURN_ADDRESS: a return address that is not valid.'],
          [63, 'FAST_FAIL_INVALID_PFN: a page frame number that is not valid.'],
          [64, 'FAST_FAIL_GUARD_ICALL_CHECK_FAILURE_XFG: eXtended Flow Guard rejected an indirect call target.'],
          [65, 'FAST_FAIL_CAST_GUARD: a cast guard check failed.'],
          [67, 'FAST_FAIL_KERNEL_CET_SHADOW_STACK_ASSIST: kernel CET shadow stack assist failed.'],
        ],
      },
    ],
    [
      0x0000013a,
      {
        summary: 'The kernel-mode heap found its structures damaged.',
        parameters: [
          p('Corruption type', 'Kind of heap damage detected; see its case.'),
          p('Heap', 'Address of the heap that reported it.'),
          p('Address', 'Address where the damage was found.'),
          RESERVED,
        ],
        cases: [
          [0x3, 'An entry header is damaged.'],
          [0x4, 'Several entry headers are damaged.'],
          [0x5, 'The entry header of a large allocation is damaged.'],
          [0x6, 'Damage that looks like a buffer overrun.'],
          [0x7, 'Damage that looks like a buffer underrun.'],
          [0x8, 'An operation meant for allocated blocks was given a free block.'],
          [0x9, 'An argument not valid for the operation.'],
          [0xa, 'Internal heap error tied to the allocation type.'],
          [0xb, 'Damage that looks like use after free.'],
          [0xc, 'The operation named the wrong heap.'],
          [0xd, 'A free list is damaged (use after free or an overrun of a neighbouring block).'],
          [0xe, 'A list other than the free list is damaged.'],
          [0xf, 'An operation (such as free or size query) not allowed on a free block.'],
          [0x10, 'Internal heap state not valid, possibly a buffer overflow.'],
          [0x11, 'Internal heap state not valid, possibly a double free or heap damage.'],
          [0x12, 'Internal heap state not valid, possibly use after free or an overrun of a neighbouring block.'],
          [0x13, 'A heap routine was given a NULL heap handle.'],
          [0x14, 'An allocation bigger than the current allocation limit was requested.'],
          [0x15, 'A commit request would go past the current commit limit.'],
          [0x16, 'Internal heap error, possibly a bad address or memory damage.'],
          [0x17, 'A block on the delayed-free list is damaged (use after free or an overrun of a neighbouring block).'],
        ],
      },
    ],
    [
      0x13b,
      {
        summary: 'The kernel found a passive-level interrupt misused.',
        parameters: [
          p('Error', '1: a driver acquired an interrupt spin lock on a passive-level interrupt object.'),
          p('Interrupt', 'Address of the KINTERRUPT of the passive-level interrupt.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x13c,
      {
        summary: 'A thread exited with an I/O boost state other than zero.',
        parameters: [
          p('Thread', 'Address of the thread.'),
          p('Boost state', 'Current boost state or throttle count.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [0x13d, { summary: 'Early kernel initialization failed.', parameters: [RESERVED, RESERVED, RESERVED, RESERVED] }],
  ];
}
