/** Parameter meanings of the codes 0x140–0x1FF, in our own words (facts from each code's public reference page). */
import type { CaseRow, DetailRows, OtherParams } from './common.js';
import {
  BY_P1,
  CONTEXT_RECORD,
  CURRENT_IRQL,
  EXCEPTION_RECORD,
  NONE,
  RESERVED,
  THREAD,
  TRAP_FRAME,
  UNDOCUMENTED,
  XHCI_CONTEXT,
  access,
  dependsOn,
  p,
} from './common.js';

const HUB_CONTEXT = p('USBHUB3_LIVEDUMP_CONTEXT', "Address of the USB hub driver's live dump context.");
function xhci(rows: readonly (readonly [number, string])[]): CaseRow[] {
  return rows.map(([key, description]) => [key, description, [XHCI_CONTEXT, RESERVED, RESERVED]]);
}

const PROCESSOR_FDO = p('Processor device', 'Address of the processor device context (FDO_DATA).');
const PARTITION = p('Partition', 'Address of the partition.');

const POWER_WORKER: OtherParams = [p('Worker thread', 'The power request worker thread.'), RESERVED, RESERVED];
const STACK_LIMIT_TYPE = p(
  'Stack type',
  'Best guess of the kind of stack that should be active: 0 bug check, 1 DPC, 2 expanded callout, 3 normal thread, 4 thread during a context swap, 5 win32k callout, 6 ISR, 7 kernel debugger, 8 NMI, 9 machine check, 0xA exception.',
);
const OWNER_ENTRY = p('Owner entry', 'Address of the owner entry.');
const FAST_RESOURCE = p('Resource', 'Address of the resource.');
const CHUNK_HASH: OtherParams = [
  p('Buffer', 'The chunk heap buffer whose hash does not match.'),
  p('Expected hash', 'The hash the buffer should have.'),
  p('PFN', 'Page frame number of the damaged page.'),
];

const IOMMU_STATUS = p('Status', 'NTSTATUS of the failure.', 'status');
const IOMMU_DOMAIN = p('Domain', 'Address of the IOMMU domain object.');
const PROCESSOR_INDEX = p('Processor', 'Processor index.');
const PPM_OPERATION: OtherParams = [
  p('Operation', '1 MSR read, 2 MSR write, 3 I/O port read, 4 I/O port write, 5 idle state registration.'),
  PROCESSOR_INDEX,
  p('Mailbox', 'The PPM mailbox.'),
];
const TX_DEMUX = p('TX demux', 'Address of the WIFI_ADAPTER_TX_DEMUX passed.');

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details0140(): DetailRows {
  return [
    [
      0x140,
      {
        summary: 'The storage stack saw a device respond too slowly too often, or not respond at all.',
        parameters: NONE,
      },
    ],
    [
      0x143,
      {
        summary: 'The processor power management (PPM) driver hit a fatal error.',
        parameters: [p('Error', 'Which error; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A power engine plug-in (PEP) did not accept a required notification.',
            [
              p('Notification type', 'The PEP runtime notification type.'),
              p('Message', 'Address of the notification message.'),
              PROCESSOR_FDO,
            ],
          ],
          [
            0x2,
            'A power engine plug-in returned an invalid processor idle state; parameter 2 says how.',
            [
              p(
                'Problem',
                '0 too many processors asked for a coordinated idle state; 1 invalid processor idle state; 2 invalid platform idle state.',
              ),
              p(
                'Detail',
                'Problem 0: processors asked to take part; 1: idle state index asked for; 2: platform idle state index asked for.',
              ),
              PROCESSOR_FDO,
            ],
          ],
        ],
      },
    ],
    [
      0x00000144,
      {
        summary: 'The USB 3 driver stack hit a fatal error, often a client driver misusing it.',
        parameters: [p('Violation', 'What went wrong; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A client driver reused an URB it had already sent to the core stack.',
            [
              p('IRP', 'Optional: IRP used to resend the URB.'),
              p('URB', 'Address of the URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x2,
            'A boot or paging device failed re-enumeration.',
            [p('PDO', 'Physical device object of the boot device.'), RESERVED, RESERVED],
          ],
          [
            0x3,
            'A client driver sent a damaged URB (not allocated through USBD, or underrun).',
            [
              p('IRP', 'Optional: IRP used to send the URB.'),
              p('URB', 'Address of the damaged URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x800,
            'An Open Static Streams request was sent above PASSIVE_LEVEL.',
            [
              p('IRQL', 'IRQL the request was sent at.', 'irql'),
              p('IRP', 'The Open Static Streams IRP.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x801,
            'Static streams were opened before querying the streams capability.',
            [
              p('IRP', 'The Open Static Streams IRP.'),
              p('URB', 'The Open Static Streams URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x802,
            'A client asked to open a number of static streams that is not allowed (0, or above the capability).',
            [
              p('Requested', 'Streams the client tried to open.'),
              p('Granted', 'Streams granted to the client.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x803,
            'Static streams were opened on an endpoint that already had them open.',
            [
              p('IRP', 'The Open Static Streams IRP.'),
              p('URB', 'The Open Static Streams URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x804,
            'A client did not close a handle from USBD_CreateHandle or free an URB it allocated.',
            [
              p('Handle context', 'The leaked handle context (`!usbanalyze -v`).'),
              p('Device object', 'Device object passed to USBD_CreateHandle.'),
              RESERVED,
            ],
          ],
          [
            0x805,
            'A Close Static Streams URB was sent in a state where it is not allowed.',
            [
              p('WDFREQUEST', 'Handle of the request for the URB.'),
              p('URB', 'The Close Static Streams URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x806,
            'A chained MDL was sent before querying the chained MDL capability.',
            [
              p('IRP', 'Address of the IRP.'),
              p('URB', 'Address of the URB.'),
              p('Client device', "Client driver's device object."),
            ],
          ],
          [
            0x807,
            "An URB's transfer length exceeds the byte count of its MDL.",
            [
              p('MDL', 'The chained MDL.'),
              p('URB', 'Address of the URB.'),
              p('Client device', "Client driver's device object, if known."),
            ],
          ],
          [0x1001, 'The xHCI controller signalled a host system error (HSE).', [XHCI_CONTEXT, RESERVED, RESERVED]],
          [0x1002, 'The xHCI controller signalled a host controller error (HCE).', [XHCI_CONTEXT, RESERVED, RESERVED]],
          [0x1007, 'Resetting the xHCI controller failed during reset recovery.', [XHCI_CONTEXT, RESERVED, RESERVED]],
          [
            0x1009,
            'An xHCI command did not complete after the command time-out abort.',
            [XHCI_CONTEXT, RESERVED, RESERVED],
          ],
          [
            0x100c,
            'The xHCI controller firmware is not supported; the driver will not load until it is updated.',
            [XHCI_CONTEXT, RESERVED, RESERVED],
          ],
          [0x100d, 'The controller was physically removed.', [XHCI_CONTEXT, RESERVED, RESERVED]],
          ...xhci([
            [0x1003, 'An xHCI stop endpoint command returned a completion code the driver does not handle.'],
            [0x1004, 'An endpoint reported a context state error after an xHCI stop endpoint command.'],
            [0x1005, 'Set dequeue pointer failed while clearing a stall on the control endpoint.'],
            [0x1006, 'Reset endpoint failed while clearing a stall on the control endpoint.'],
            [0x1008, 'Restarting the xHCI controller failed during reset recovery.'],
            [0x100a, 'Set dequeue pointer failed after an endpoint stop completed.'],
            [0x100b, 'Stopping the xHCI controller failed during reset recovery.'],
            [0x100e, 'An error was found on an endpoint with streams enabled.'],
            [0x100f, 'The xHCI controller firmware is outdated; the driver keeps working but an update is advised.'],
            [0x1010, 'A transfer event TRB completed with a completion code the driver does not handle.'],
            [0x1011, 'The controller reported its event ring full (it may drop events then).'],
            [0x1012, 'The controller completed a command out of order.'],
            [0x1013, 'After a command abort, the controller reported a wrong command ring dequeue pointer.'],
            [0x1014, 'Enable slot completed with a bad slot ID.'],
            [0x1015, 'The controller failed a SetAddress command with BSR set to 1.'],
            [0x1016, 'The controller failed to enable a slot during a USB device reset.'],
            [0x1017, 'The controller failed a configure endpoints command that deconfigured endpoints.'],
            [0x1018, 'The controller failed a disable slot command.'],
            [0x1019, 'The controller failed a USB device reset command.'],
            [0x101a, 'Set dequeue pointer failed after an endpoint reset.'],
            [0x101b, 'An xHCI reset endpoint command returned a completion code the driver does not handle.'],
            [0x101c, 'D0Entry of the xHCI driver failed.'],
            [0x101d, 'Dropping and re-adding a stream endpoint during request cancellation failed.'],
            [0x101e, 'The controller reported a transfer completion that was not pending (EventData 1).'],
            [
              0x101f,
              'The controller reported a transfer completion that was not pending (EventData 0, address not matched).',
            ],
            [
              0x1020,
              'The controller reported a transfer completion that was not pending (EventData 0; the event may be redundant).',
            ],
            [
              0x1021,
              'Dropping and re-adding a stream endpoint while resetting an endpoint that was not halted failed.',
            ],
            [0x1022, 'Dropping and adding the same endpoint in one command failed.'],
          ]),
          [0x3000, 'The hub driver reset a misbehaving hub successfully.', [HUB_CONTEXT, RESERVED, RESERVED]],
          [0x3001, 'The hub driver could not reset a misbehaving hub.', [HUB_CONTEXT, RESERVED, RESERVED]],
          [0x3002, 'The hub driver disabled a SuperSpeed hub that did not work.', [HUB_CONTEXT, RESERVED, RESERVED]],
          [0x3003, 'A USB device failed enumeration.', [HUB_CONTEXT, RESERVED, RESERVED]],
        ],
      },
    ],
    [
      0x145,
      {
        summary: 'Secure Boot policy enforcement could not start: invalid policy or a required step not done.',
        parameters: [
          p('Status', 'Status of the failure.', 'status'),
          p('Policy', 'Address of the Secure Boot policy.'),
          p('Policy size', 'Size of the Secure Boot policy.'),
          RESERVED,
        ],
      },
    ],
    [
      0x147,
      {
        summary:
          'Windows was reset abnormally: no context or exception record was kept and no bug check callbacks ran.',
        parameters: NONE,
      },
    ],
    [
      0x149,
      {
        summary: 'The ReFS file system hit an error.',
        parameters: [
          p('Line', 'Source line (__LINE__) of the failed check.'),
          p('Exception record', 'Address of the exception record.', 'exceptionRecord'),
          p('Context record', 'Address of the context record.', 'contextRecord'),
          p('Exception address', 'ExceptionAddress of that exception record.', 'faultingInstruction'),
        ],
      },
    ],
    [
      0x14a,
      {
        summary: 'The internal kernel WMI subsystem hit a fatal error.',
        parameters: [
          p('Error', 'Which error; selects the meaning of parameter 2.'),
          dependsOn(1, 1),
          RESERVED,
          RESERVED,
        ],
        cases: [
          [
            0x0,
            'A kernel WMI entry reference count went up from 0.',
            [p('Entry', 'Address of the kernel WMI entry.'), RESERVED, RESERVED],
          ],
          [
            0x1,
            'A kernel WMI data source was removed too early.',
            [p('Data source', 'Address of the kernel WMI data source.'), RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0x14b,
      {
        summary: 'A System on a Chip (SoC) subsystem hit an unrecoverable error.',
        parameters: [
          p('Failure details', 'Address of an SOC_SUBSYSTEM_FAILURE_DETAILS structure.'),
          RESERVED,
          RESERVED,
          p('Vendor data', 'Optional address of a vendor data block.'),
        ],
      },
    ],
    [0x14c, { summary: 'An unrecoverable system error occurred, or the system reset abnormally.', parameters: NONE }],
    [
      0x14d,
      {
        summary: 'Exception dispatching found its own state inconsistent.',
        parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x14e,
      {
        summary: 'A critical SoC device was removed unexpectedly or failed.',
        parameters: [
          p('Device ID', 'When known, ID of the device removed (four packed characters).'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x0000014f,
      {
        summary: 'A component registered with the power dependency coordinator (PDC) did not respond in time.',
        parameters: [
          p('Client ID', 'ID of the component that hung.'),
          p('Client type', 'Kind of PDC client that hung; selects the meaning of parameters 3 and 4.'),
          p('Detail', 'Meaning depends on parameter 2; see its case.'),
          p('Detail', 'Meaning depends on parameter 2; see its case.'),
        ],
        caseParameter: 2,
        cases: [
          [
            0x1,
            'A notification client did not respond.',
            [
              p('Client ID', 'ID of the component that hung.'),
              p('Notification client', 'Address of the PDC_NOTIFICATION_CLIENT.'),
              p('Triage', 'Address of a pdc!PDC_14F_TRIAGE structure.'),
            ],
          ],
          [
            0x2,
            'A resiliency client did not respond.',
            [
              p('Client ID', 'ID of the component that hung.'),
              p('Resiliency client', 'Address of the PDC_RESILIENCY_CLIENT.'),
              p('Triage', 'Address of a pdc!PDC_14F_TRIAGE structure.'),
            ],
          ],
          [
            0x3,
            'An activator client held its reference too long.',
            [
              p('Client ID', 'ID of the component that hung.'),
              p('Activator client', 'Address of the pdc!_PDC_ACTIVATOR_CLIENT.'),
              p('Triage', 'Address of a pdc!PDC_14F_TRIAGE structure.'),
            ],
          ],
          [
            0x100,
            'Win32k did not finish a monitor-on request in time.',
            [
              p('Client ID', 'ID of the component that hung.'),
              p('Reason', 'Latest POWER_MONITOR_REQUEST_REASON of the request.'),
              p('Path', 'Which internal path started the request.'),
            ],
          ],
        ],
      },
    ],
    [
      0x150,
      {
        summary: 'A NIC active reference was not released when the send queue drained.',
        parameters: NONE,
      },
    ],
    [
      0x151,
      {
        summary:
          'Code ran in a processor instruction mode that is not supported (e.g. classic Arm instead of Thumb-2).',
        parameters: [
          p('Faulting instruction', 'Program counter when the problem was found.', 'faultingInstruction'),
          TRAP_FRAME,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x152,
      {
        summary: 'A push lock API was given invalid flags.',
        parameters: [
          p('Flags', 'The invalid flags passed.'),
          p('Push lock', 'Address of the push lock.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x153,
      {
        summary: 'A thread ended before freeing all its AutoBoost lock entries.',
        parameters: [
          THREAD,
          p('Entry', 'Address of the entry not freed.'),
          p(
            'Entry state',
            '1 lock pointer not NULL; 2 reserved bits of the thread pointer set; 3 thread pointer damaged; 4 I/O or CPU boosts left over.',
          ),
          RESERVED,
        ],
      },
    ],
    [
      0x00000154,
      {
        summary: 'The kernel memory store (compressed memory) component caught an exception it did not expect.',
        parameters: [
          p('Store context', 'Address of the store context or data manager.'),
          p('Exception information', 'Information about the exception.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [0x155, { summary: 'Operating system data was tampered with.', parameters: NONE }],
    [
      0x157,
      {
        summary: 'An illegal operation on the priority floor of a thread.',
        parameters: [
          THREAD,
          p('Priority', 'The target priority.'),
          p('Violation', '1 the counter for that priority overflowed; 2 it underflowed; 3 the priority is illegal.'),
          RESERVED,
        ],
      },
    ],
    [
      0x158,
      {
        summary: 'The IOMMU delivered a page fault for an invalid ASID, which may already be reused.',
        parameters: [
          p('ASID', 'The invalid ASID.'),
          p('ASIDs in use', 'Number of ASIDs in use.'),
          p('Process', 'The process using this ASID.'),
          p('Reference count', "The ASID's reference count."),
        ],
      },
    ],
    [
      0x159,
      {
        summary: 'The IOMMU delivered a page fault for an ASID being freed: a driver left requests in flight.',
        parameters: [
          p('Vendor', 'IOMMU vendor selector (0x3xxx for the second layout).'),
          p('Fault packet or status', 'Address of the fault packet; with vendor 0x3xxx, a status.'),
          p('Vendor data or PASID', 'Vendor-specific fault data; with vendor 0x3xxx, the PASID.'),
          p('Vendor data or directory base', 'Vendor-specific fault data; with vendor 0x3xxx, the DirectoryBase.'),
        ],
      },
    ],
    [
      0x15a,
      {
        summary: 'An unrecoverable hardware failure on an SD-attached device.',
        parameters: [
          p('Work packet', 'Address of the internal SD work packet that failed.'),
          p('Socket', 'Address of the controller socket information.'),
          p('Request', 'Address of the SD request packet sent to the bus driver.'),
          RESERVED,
        ],
      },
    ],
    [
      0x15b,
      {
        summary: "A worker routine left its worker thread's system page priority raised.",
        parameters: [
          p('Worker routine', 'Address of the worker routine; `ln` on it names the driver.'),
          p('Page priority', 'The system page priority now.'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
        ],
      },
    ],
    [
      0x160,
      {
        summary: 'A Win32k function broke an ATOMICCHECK.',
        parameters: [
          p('Atomic count', 'Functions on the stack inside an atomic operation.'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x162,
      {
        summary: 'A thread released an AutoBoost-tracked lock it did not own.',
        parameters: [THREAD, p('Lock', 'Address of the lock.'), p('Session ID', 'Session of the thread.'), RESERVED],
      },
    ],
    [
      0x163,
      {
        summary: 'A kernel worker thread test raised a failure.',
        parameters: [
          p('Test flags', 'Tests active.'),
          p('Failed test', 'Flag of the test that failed.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x164,
      {
        summary: 'Win32k hit a critical failure; parameter 1 says which.',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A region lies outside the bounds of its surface.',
            [
              p('DC', 'Address of the DC.'),
              p('Surface', 'Address of the SURFACE.'),
              p('Region', 'Address of the REGION.'),
            ],
          ],
          [0x2, 'Operator new was used to allocate memory.', [RESERVED, RESERVED, RESERVED]],
          [
            0x3,
            'A critical API set extension function is missing.',
            [p('Function name', 'Address of the wide-character name of the missing function.'), RESERVED, RESERVED],
          ],
          [
            0x4,
            "A GDI sprite's shape is being deleted while the sprite is not.",
            [
              p('Surface', 'Handle of the SURFACE.'),
              p('Reference count', 'Reference count of the SURFACE.'),
              p('Owner', 'Process ID of the SURFACE owner.'),
            ],
          ],
          [
            0x5,
            'A pointer device could not be opened exclusively.',
            [p('Device', 'UNICODE_STRING naming the device.'), RESERVED, RESERVED],
          ],
          [
            0x8,
            'A public DC points at an object owned by one process.',
            [p('DC', 'Address of the DC.'), p('Owner', 'Process ID owning the object.'), RESERVED],
          ],
          [0xa, 'An invalid function table index is used in TTFD.', [RESERVED, RESERVED, RESERVED]],
          [0xb, 'An invalid function table index is used in ATMFD.', [RESERVED, RESERVED, RESERVED]],
          [
            0xc,
            'An invalid function table index is used in a PALETTE.',
            [
              p('Palette', 'Address of the PALETTE.'),
              p('Index', 'The invalid index.'),
              p('Limit', 'Highest valid index plus one.'),
            ],
          ],
          [
            0x10,
            'Registering the secure attention sequence (SAS) key failed.',
            [p('Virtual key', 'The vkey.'), p('Modifiers', 'The modifiers.'), p('Flags', 'The flags.')],
          ],
        ],
      },
    ],
    [
      0x16c,
      {
        summary: 'A rundown protection API was given invalid flags.',
        parameters: [
          p('Flags', 'The invalid flags passed.'),
          p('Rundown reference', 'Address of the rundown ref.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x16d,
      {
        summary: 'A slot allocator API was given invalid flags.',
        parameters: [p('Flags', 'The invalid flags passed.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x16e,
      {
        summary: 'ExReleaseResourceForThreadLite was given an invalid target thread.',
        parameters: [
          p('Resource', 'The resource being released.'),
          p('Current thread', 'The current thread.'),
          p('Target thread', 'The wrong target thread passed.'),
          RESERVED,
        ],
      },
    ],
    [
      0x170,
      {
        summary: 'Cluster disconnect is not making progress.',
        parameters: [
          p('Thread ID', 'ID of the thread handling the cluster disconnect.'),
          p('Time-out', 'Time-out, in milliseconds.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x171,
      {
        summary: 'Internal error in the cryptographic libraries.',
        parameters: [p('Failure ID', 'ID of the failure.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x173,
      {
        summary: 'CoreMessageCall detected an unrecoverable error.',
        parameters: [p('Failure', 'Type of failure.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x174,
      {
        summary: 'CoreMessaging detected an unrecoverable error.',
        parameters: [p('Failure', 'Type of failure.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x178,
      {
        summary: 'An early-launch anti-malware (ELAM) driver detected a fatal error.',
        parameters: [
          p('Failure', 'Type of failure; selects the meaning of parameters 2 and 3.'),
          dependsOn(1, 1),
          dependsOn(1, 2),
          p('Vendor data', 'Optional data block supplied by the ELAM vendor.'),
        ],
        cases: [
          [
            0x0,
            'TPM attestation could not be revoked.',
            [
              p('Image information', 'Address of the BDCB_IMAGE_INFORMATION of the driver inspected.'),
              p('TBS result', 'The TBS_RESULT failure code.'),
              p('Vendor data', 'Optional data block supplied by the ELAM vendor.'),
            ],
          ],
          [
            0x10000,
            'A failure defined by the ELAM vendor.',
            [
              p('Vendor value', 'Optional value from the ELAM vendor.'),
              p('Vendor value', 'Optional value from the ELAM vendor.'),
              p('Vendor data', 'Optional data block supplied by the ELAM vendor.'),
            ],
          ],
        ],
      },
    ],
    [0x17b, { summary: 'The profiler configuration is illegal.', parameters: NONE }],
    [
      0x17e,
      {
        summary: 'Processors of this multiprocessor system have different microcode loaded.',
        parameters: [
          p('CPUID signature', 'CPUID signature of the processor that does not match.'),
          p('Expected revision', 'Microcode revision expected.'),
          p('Actual revision', 'Microcode revision reported.'),
          p('Processor', 'Index of that processor.'),
        ],
      },
    ],
    [
      0x187,
      {
        summary: 'Video fell back to the basic display driver instead of the vendor driver (a live dump).',
        parameters: [
          p('Reason', '1: DWM did not initialize after retries; the display adapters were stopped.'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x189,
      {
        summary: 'An OBJECT_HEADER is damaged.',
        parameters: [
          p('Object header', 'Address of the bad OBJECT_HEADER.'),
          p('Object type', 'The OBJECT_TYPE its TypeIndex leads to.'),
          p('Corruption', '0 the type index is damaged; 1 the security descriptor is invalid.'),
          RESERVED,
        ],
      },
    ],
    [0x18b, { summary: 'The secure kernel hit a fatal error.', parameters: [RESERVED, RESERVED, RESERVED, RESERVED] }],
    [
      0x18c,
      {
        summary: 'HyperGuard found critical kernel code or data modified; parameter 1 says what.',
        parameters: [
          p('Region type', 'Type of the damaged region; see its case.'),
          p('Detail', 'Depends on the failure type.'),
          RESERVED,
          RESERVED,
        ],
        cases: [
          [0x1001, 'A generic data region.'],
          [0x1002, 'A page hash mismatch.'],
          [0x1004, 'A processor IDT.'],
          [0x1005, 'A processor GDT.'],
          [0x1007, 'A debug routine was modified.'],
          [0x1008, 'A dynamic code region.'],
          [0x1009, 'A generic shareable data region.'],
          [0x100a, 'A hypervisor overlay region.'],
          [0x100b, 'A processor mode is misconfigured.'],
          [0x100c, 'An extended processor control register.'],
          [0x100d, 'A secure memory region.'],
          [0x100e, 'A loaded module.'],
          [0x100f, 'A processor state region.'],
          [0x1010, 'The kernel CFG bitmap.'],
          [0x1011, 'The page at virtual address 0.'],
          [0x1012, 'The alternate inverted function table.'],
          [0x1013, 'An on-demand page verification failed.'],
          [0x1016, 'A secure image region.'],
          [0x1017, 'Kernel virtual address protections are inconsistent.'],
          [0x1101, 'Internal context damage.'],
          [0x1102, 'The IDTR was modified.'],
          [0x1103, 'The GDTR was modified.'],
        ],
      },
    ],
    [
      0x18d,
      {
        summary: 'A secure fault raised by the secure kernel could not be handled.',
        parameters: [
          access(
            'Fault code',
            'Bit mask: 1 no-execute fault from SLAT protections; 2 read fault; 4 write fault; 8 a second secure fault before the first was dismissed.',
            [
              [0x1, 'execute'],
              [0x2, 'read'],
              [0x4, 'write'],
            ],
          ),
          p('Fault address', 'Virtual address of the secure fault (for some fault types).', 'referencedAddress'),
          EXCEPTION_RECORD,
          CONTEXT_RECORD,
        ],
      },
    ],
    [
      0x18e,
      {
        summary:
          'A partition was dereferenced wrongly, usually by a kernel-mode driver (or after serious data damage).',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x0,
            'A partition with hard references left is being deleted.',
            [PARTITION, p('Hard references', 'Hard references outstanding.'), RESERVED],
          ],
          [0x1, 'The system partition is being deleted.', [PARTITION, RESERVED, RESERVED]],
          [
            0x2,
            'A partition with work queue items outstanding is being deleted.',
            [PARTITION, p('Work queue', 'Address of the work queue with items outstanding.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x191,
      { summary: 'The prefetcher (PF) detected damaged data.', parameters: [RESERVED, RESERVED, RESERVED, RESERVED] },
    ],
    [
      0x192,
      {
        summary: 'A lock tracked by AutoBoost was acquired at DISPATCH_LEVEL or above.',
        parameters: [
          THREAD,
          p('Lock', 'Address of the lock.'),
          p('IRQL', 'IRQL at which the lock was acquired.', 'irql'),
          RESERVED,
        ],
      },
    ],
    [
      0x196,
      {
        summary: 'The OS loader version does not match the operating system (a rollback).',
        parameters: [
          p('Loader version', 'Security version of the loader.'),
          p('OS version', 'Security version of the OS.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x197,
      {
        summary: 'Win32k detected a security failure.',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            "An object's handle entry does not point back to the object.",
            [
              p('Object type', 'Address of the object type.'),
              p('Handle entry', 'Address of the object handle entry.'),
              p('Expected object', 'The object expected.'),
            ],
          ],
        ],
      },
    ],
    [
      0x199,
      {
        summary: 'A storage slot cannot be freed: an object still uses it.',
        parameters: [p('Storage array', 'Address of the storage array.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x19a,
      {
        summary: 'A worker thread attached to a silo and returned without detaching.',
        parameters: [
          p('Worker routine', 'Address of the worker routine.'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
          RESERVED,
        ],
      },
    ],
    [
      0x19b,
      {
        summary: 'The terminal topology manager hit a fatal error.',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A terminal object could not be created.',
            [p('Status', 'NTSTATUS of the failure.', 'status'), RESERVED, RESERVED],
          ],
        ],
      },
    ],
    [
      0x19c,
      {
        summary: 'Win32k did not turn the monitor on in time.',
        parameters: [
          p(
            'Failure',
            'Type of failure (win32kbase!POWER_WATCHDOG_TYPE); selects the meaning of the other parameters.',
          ),
          ...BY_P1,
        ],
        cases: [
          [
            0x10,
            'The power request queue is stuck.',
            [
              p('Thread', 'Thread processing power requests, if any.'),
              p('User lock', 'Address of the win32k user lock.'),
              p('Power request', 'The power request being processed (win32kbase!PPOWERREQUEST), if any.'),
            ],
          ],
          [0x20, 'Stuck calling the power manager to set the power state.', POWER_WORKER],
          [0x30, 'Stuck calling GDI to power on.', POWER_WORKER],
          [0x40, 'Stuck calling DWM to render.', POWER_WORKER],
          [0x50, 'Stuck calling the monitor driver to power on.', POWER_WORKER],
        ],
      },
    ],
    [
      0x1a0,
      {
        summary: 'The terminal topology manager saw device operations not finish within their time-outs.',
        parameters: [
          p('Failure', 'Which operation is stuck; see its case.'),
          p('Device', 'Address of the device.'),
          p('Worker thread', 'Address of the worker thread.'),
          p('Callout', 'Address of the callout routine.'),
        ],
        cases: [
          [0x1, 'Assigning a device to a terminal is stuck.'],
          [0x2, 'The close callback of the device is stuck.'],
          [0x3, 'The set-input-mode callback of the device is stuck.'],
          [0x4, 'The set-display-state callback of the device is stuck.'],
          [0x5, 'Setting the built-in panel state of the device is stuck.'],
          [0x6, 'Updating the primary display visibility of the device is stuck.'],
        ],
      },
    ],
    [
      0x1a2,
      {
        summary: 'A callout into Win32k did not return in time.',
        parameters: [
          p('Thread', 'The thread keeping the Win32k callout from returning.'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x1aa,
      {
        summary:
          'Exception dispatch crossed onto an invalid kernel stack (a damaged stack pointer, or a driver on an illegal stack).',
        parameters: [
          p('Stack', 'The current stack pointer.'),
          STACK_LIMIT_TYPE,
          p(
            'Context record',
            'Address of the context being unwound or dispatched when the bad stack was met.',
            'contextRecord',
          ),
          p('Exception record', 'Address of the exception record being dispatched.', 'exceptionRecord'),
        ],
      },
    ],
    [
      0x1ab,
      {
        summary:
          'Stack unwinding crossed onto an invalid kernel stack (a damaged stack pointer, or a driver on an illegal stack).',
        parameters: [
          p('Stack', 'The current stack pointer.'),
          STACK_LIMIT_TYPE,
          p('Context record', 'Address of the context being unwound when the bad stack was met.', 'contextRecord'),
          p('Zero', 'Where other codes put an exception record; always 0 here.'),
        ],
      },
    ],
    [
      0x1c6,
      {
        summary: 'The current thread called a fast resource routine in a way it may not.',
        parameters: [p('Violation', 'Type of violation; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x0,
            'The caller ran above the highest IRQL the routine allows.',
            [
              p('IRQL', 'IRQL of the caller.', 'irql'),
              p('Maximum IRQL', 'Highest IRQL the routine allows.'),
              UNDOCUMENTED,
            ],
          ],
          [0x1, 'The caller gave an owner entry that is not initialized.', [OWNER_ENTRY, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x2,
            'The caller gave an owner entry already tied to a lock acquisition.',
            [OWNER_ENTRY, p('Resource', 'The resource the entry is already tied to.'), UNDOCUMENTED],
          ],
          [
            0x3,
            'A legacy resource was passed to a fast resource routine.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x4,
            'The resource given still has lock acquisitions outstanding.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [0x5, 'The caller was running inside a DPC.', [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED]],
          [0x6, 'The caller was running inside a special kernel APC.', [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x7,
            'The caller did not make sure normal kernel APCs were disabled.',
            [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            [0x8, 0xc],
            'The owner entry given is not tied to an acquisition of the resource given.',
            [FAST_RESOURCE, OWNER_ENTRY, p('Entry resource', 'The resource the owner entry is tied to.')],
          ],
          [
            0x9,
            'The owner entry given is not tied to the calling thread.',
            [OWNER_ENTRY, p('Entry thread', 'The thread the owner entry is tied to.'), UNDOCUMENTED],
          ],
          [0xa, 'The owner entry given was disowned.', [OWNER_ENTRY, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0xb,
            'The owner entry given has another acquisition type than the caller said.',
            [
              OWNER_ENTRY,
              p(
                'Types',
                "High 16 bits: the entry's acquisition type; low 16 bits: the type the caller gave (1 shared, 0 exclusive).",
              ),
              UNDOCUMENTED,
            ],
          ],
          [0xd, 'The owner entry given was not disowned.', [OWNER_ENTRY, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0xe,
            'A legacy routine without fast resource support was given a fast resource.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0xf,
            'A fast resource not initialized with EX_FAST_RESOURCE_ENABLE_LEGACY_APIS was passed to a legacy routine.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x10,
            'ExInitializeFastResource was given invalid flags.',
            [FAST_RESOURCE, p('Flags', 'The flags given.'), UNDOCUMENTED],
          ],
          [
            0x11,
            'ExReleaseResourceForThreadLite was given a thread other than the current one.',
            [FAST_RESOURCE, p('Thread', 'The thread given.'), UNDOCUMENTED],
          ],
          [
            0x12,
            'The caller disowned a resource it had acquired exclusive recursively.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x13,
            'The caller converted an acquisition while it still had recursive acquisitions of the resource.',
            [FAST_RESOURCE, UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x14,
            'A thread exited with lock acquisitions outstanding.',
            [THREAD, p('Owner entry', 'One of the outstanding owner entries.'), UNDOCUMENTED],
          ],
          [
            0x15,
            'A thread exited with disowned lock acquisitions outstanding.',
            [THREAD, p('Owner entry', 'One of the outstanding owner entries.'), UNDOCUMENTED],
          ],
          [
            0x16,
            'ExConvertExclusiveToSharedLite was called by a thread not holding the resource exclusive.',
            [FAST_RESOURCE, THREAD, UNDOCUMENTED],
          ],
        ],
      },
    ],
    [
      0x1c7,
      {
        summary: 'The store component found its data structures damaged.',
        parameters: [p('Corruption', 'Corruption ID; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [0x0, "A chunk heap buffer's hash does not match.", CHUNK_HASH],
          [
            0x1,
            'An unhandled exception on the store thread, likely caused by a chunk heap buffer whose hash does not match.',
            CHUNK_HASH,
          ],
          [
            0x2,
            "Page data read looks damaged and the hash of its page record's heap buffer does not match.",
            CHUNK_HASH,
          ],
          [
            0x3,
            'Page data read looks damaged and its page record changed since the read started.',
            [
              p('Snapped location', 'Page location information taken from the page record when the read began.'),
              p('Page record', 'The page record now in the page tree for the same key.'),
              RESERVED,
            ],
          ],
        ],
      },
    ],
    [
      0x1c8,
      {
        summary:
          'A crash was started on purpose by holding the power button (configured to capture a dump before a hard reset).',
        parameters: [
          p('Hold time', 'Milliseconds the power button was held.'),
          p('Triage block', 'Address of the nt!_POP_POWER_BUTTON_TRIAGE_BLOCK.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x000001ca,
      {
        summary: 'A system-wide watchdog expired: the system is hung and timer ticks are not being handled.',
        parameters: [
          p('Time since reset', 'Interrupt time elapsed since the last watchdog reset.'),
          p('Interrupt time', 'Interrupt time now.'),
          p('QPC', 'QueryPerformanceCounter timestamp now.'),
          p('Clock processor', 'Index of the clock-owning processor.'),
        ],
      },
    ],
    [
      0x1cb,
      {
        summary: 'A thread exited without detaching from a silo.',
        parameters: [
          p('Thread', 'The attached thread.'),
          p('Silo', 'The silo it was attached to.'),
          p('Process', "The thread's process."),
          RESERVED,
        ],
      },
    ],
    [0x1cd, { summary: 'The callback stack is at a user-mode address, which is illegal.', parameters: NONE }],
    [0x1ce, { summary: 'A context switch met an invalid initial kernel stack address.', parameters: NONE }],
    [
      0x1cf,
      {
        summary: 'A hardware watchdog expired: the system is hung and timer ticks are not being handled.',
        parameters: [
          p('Time since reset', 'Interrupt time elapsed since the last watchdog reset.'),
          p('Interrupt time', 'Interrupt time now.'),
          p('QPC', 'QueryPerformanceCounter timestamp now.'),
          p('Clock processor', 'Index of the clock-owning processor.'),
        ],
      },
    ],
    [
      0x1d0,
      {
        summary: 'The ACPI driver did not finish an operation in the time allowed.',
        parameters: [
          p('AML context', 'Address of the AMLI context.'),
          p('Context name', 'Address of the Unicode name of the AML context.'),
          p('Device extension', 'Address of the ACPI device extension.'),
          p('Triage block', 'Address of the ACPI triage block.'),
        ],
      },
    ],
    [
      0x1d2,
      {
        summary: 'An executive worker thread is in a state it must not be in.',
        parameters: [
          p('Failure', 'Type of failure: 0 a terminating worker thread still has I/O outstanding.'),
          p('Worker thread', 'Address of the worker thread.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x1d3,
      {
        summary: 'A Windows Filtering Platform callout did something invalid.',
        parameters: [p('Subtype', 'Which operation; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A callout injected an inbound NBL holding several NET_BUFFERs.',
            [RESERVED, p('NBL', 'Address of the NBL.'), RESERVED],
          ],
        ],
      },
    ],
    [
      0x1d5,
      {
        summary: 'A driver did not finish a Plug and Play operation in time.',
        parameters: [
          p('Service', 'First characters of the service of the devnode.'),
          p('Triage', 'Address of the nt!TRIAGE_PNP_WATCHDOG (Windows 10 RS4 and later).'),
          p('Thread', 'Thread responsible for the PnP watchdog.'),
          p('Elapsed', 'Milliseconds since the watchdog was armed.'),
        ],
      },
    ],
    [
      0x1d6,
      {
        summary: 'A worker routine changed its thread workload class and did not restore it.',
        parameters: [
          p('Worker routine', 'Address of the worker routine; `ln` on it names the driver.'),
          p('Workload class', 'The workload class now.'),
          p('Parameter', 'The work item parameter.'),
          p('Work item', 'Address of the work item.'),
        ],
      },
    ],
    [
      0x1d7,
      {
        summary: 'The Encrypting File System (EFS) hit an error it cannot handle without losing or damaging data.',
        parameters: [
          p('Subclass', '1: failure before offloading.'),
          p('Status', 'NTSTATUS of the operation.', 'status'),
          p('IRP', 'The IRP being handled at the failure.'),
          p('Encryption context', 'The file encryption context at the failure.'),
        ],
      },
    ],
    [
      0x1d8,
      {
        summary: 'The UCSI class extension hit an error.',
        parameters: [
          p(
            'Failure',
            '0 the firmware did not answer a UCSI command in time; 1 a UCSI command failed (client driver or firmware error).',
          ),
          p('Command', 'The UCSI command value.'),
          p('Triage', 'If not 0, address of more information (UcmUcsiCx!UCMUCSICX_TRIAGE).'),
          RESERVED,
        ],
      },
    ],
    [
      0x1d9,
      {
        summary: 'The HAL IOMMU library found an internal error.',
        parameters: [p('Operation', 'Which operation failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [0x00, 'An IOMMU domain could not be deleted.', [IOMMU_STATUS, IOMMU_DOMAIN, UNDOCUMENTED]],
          [
            0x01,
            'Pages could not be unmapped from an IOMMU domain.',
            [IOMMU_STATUS, IOMMU_DOMAIN, p('Logical address', 'The logical address.')],
          ],
          [0x02, 'An IOMMU domain could not be left.', [IOMMU_STATUS, IOMMU_DOMAIN, UNDOCUMENTED]],
        ],
      },
    ],
    [
      0x1da,
      {
        summary: 'The blocked processor library found an internal error.',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x01,
            'The library failed to initialize.',
            [p('Status', 'NTSTATUS of the failure.', 'status'), UNDOCUMENTED, UNDOCUMENTED],
          ],
          [
            0x02,
            'A processor failed to start.',
            [PROCESSOR_INDEX, p('APIC ID', 'APIC ID of the processor.'), UNDOCUMENTED],
          ],
          [0x03, 'Querying the PPM package ID failed.', [PROCESSOR_INDEX, UNDOCUMENTED, UNDOCUMENTED]],
          [0x04, 'A PPM operation failed.', PPM_OPERATION],
          [
            0x05,
            'A blocked processor hit a fatal exception.',
            [PROCESSOR_INDEX, p('Vector', 'Exception vector number.'), TRAP_FRAME],
          ],
          [0x06, 'A PPM operation timed out.', PPM_OPERATION],
        ],
      },
    ],
    [
      0x1db,
      {
        summary: 'A processor stayed in an inter-processor interrupt (IPI) loop longer than allowed.',
        parameters: [
          p('QPC frequency', 'QueryPerformanceCounter frequency.'),
          p('Current QPC', 'QueryPerformanceCounter now.'),
          p('Baseline QPC', 'QueryPerformanceCounter at the start.'),
          RESERVED,
        ],
      },
    ],
    [
      0x1dc,
      {
        summary: 'A driver misused the DMA vectored common buffer APIs.',
        parameters: [p('Failure', 'Type of failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [0x01, 'Wrong IRQL.', [CURRENT_IRQL, UNDOCUMENTED, UNDOCUMENTED]],
          [
            0x02,
            'The vector is not empty.',
            [
              p('Index', 'Index of a remaining buffer.'),
              p('Virtual address', 'Virtual address of that buffer.'),
              p('Logical address', 'Logical address of that buffer.'),
            ],
          ],
          [
            0x03,
            'An index is out of bounds.',
            [p('Entries', 'Number of entries available.'), p('Index', 'Index asked for.'), UNDOCUMENTED],
          ],
          [0x04, 'An index was already freed.', [p('Index', 'Index asked for.'), UNDOCUMENTED, UNDOCUMENTED]],
          [0x05, 'A common buffer leaked.', [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED]],
        ],
      },
    ],
    [
      0x1dd,
      {
        summary: 'A mobile broadband networking driver managed by MBBCx caused an error.',
        parameters: [
          p(
            'Failure',
            '0 private globals damaged; 1 IRQL not PASSIVE_LEVEL; 2 IRQL above DISPATCH_LEVEL; 3 invalid structure type size; 4 invalid power capabilities; 5 invalid wake reason; 6 disarm not in progress; 7 WDF object creation failed.',
          ),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x1de,
      {
        summary: 'A Wi-Fi networking driver managed by WiFiCx caused an error.',
        parameters: [
          p('Subcode', 'The WiFiCx subcode; selects the meaning of parameters 2 and 3.'),
          dependsOn(1, 1),
          dependsOn(1, 2),
          RESERVED,
        ],
        cases: [
          [0x0, 'The WiFiCx private globals are damaged.', [UNDOCUMENTED, UNDOCUMENTED, RESERVED]],
          [
            0x1,
            'A WiFiCx API that needs PASSIVE_LEVEL was called at another IRQL.',
            [CURRENT_IRQL, UNDOCUMENTED, RESERVED],
          ],
          [
            0x2,
            'A WiFiCx API that needs IRQL at most DISPATCH_LEVEL was called above it.',
            [CURRENT_IRQL, UNDOCUMENTED, RESERVED],
          ],
          [
            0x3,
            'A structure of invalid size was passed to a WiFiCx API.',
            [
              p('Size passed', 'Size of the structure the driver passed.'),
              p('OS size', "Size of the structure in the OS's WiFiCx version (older sizes must not be larger)."),
              RESERVED,
            ],
          ],
          [
            0x4,
            'The driver reported an invalid wake reason.',
            [p('Wake reason', 'The wake reason reported.'), UNDOCUMENTED, RESERVED],
          ],
          [
            0x5,
            'An invalid or damaged WIFI_POWER_OFFLOAD_LIST was passed.',
            [p('List', 'Address of the WIFI_POWER_OFFLOAD_LIST.'), UNDOCUMENTED, RESERVED],
          ],
          [
            0x6,
            'An invalid or damaged WIFI_WAKE_SOURCE_LIST was passed.',
            [p('List', 'Address of the WIFI_WAKE_SOURCE_LIST.'), UNDOCUMENTED, RESERVED],
          ],
          [
            0x7,
            'An invalid or uninitialized WIFI_INTERFACE_CONTEXT was passed.',
            [p('Context', 'Address of the WIFI_INTERFACE_CONTEXT passed.'), UNDOCUMENTED, RESERVED],
          ],
          [
            0x8,
            'A WIFI_ADAPTER_TX_DEMUX with an invalid type was passed.',
            [TX_DEMUX, p('Type', 'The WIFI_ADAPTER_TX_DEMUX_TYPE passed.'), RESERVED],
          ],
          [
            0x9,
            'A WIFI_ADAPTER_TX_DEMUX with an invalid range was passed.',
            [TX_DEMUX, p('Range', 'The range passed.'), RESERVED],
          ],
          [
            0xa,
            'The driver reported a wake reason at the wrong time (only allowed in the disarm wake callback).',
            [UNDOCUMENTED, UNDOCUMENTED, RESERVED],
          ],
          [
            0xb,
            'The driver uses a deprecated field of a WiFiCx structure.',
            [p('Field', 'Address of a string naming the deprecated field.'), UNDOCUMENTED, RESERVED],
          ],
        ],
      },
    ],
    [
      0x1df,
      {
        summary: 'A processor did not start in the time allowed, very early in OS initialization.',
        parameters: [
          p('Processor state', 'Virtual address of the processor state.'),
          RESERVED,
          p('Processor', 'NT processor number.'),
          p('Local unit ID', 'Local unit ID of the processor.'),
        ],
      },
    ],
    [
      0x1e4,
      {
        summary: 'The DirectX graphics kernel system memory manager detected a violation.',
        parameters: [p('Subcode', 'Which violation; see its case.'), RESERVED, RESERVED, RESERVED],
        cases: [
          [0x1, 'Invalid physical object type.'],
          [0x2, 'The IOMMU was enabled with an invalid reason.'],
          [0x3, 'The IOMMU was disabled with an invalid reason.'],
          [0x4, 'An ADL is being built over memory that is not locked.'],
          [0x5, 'Memory is being unlocked while ADLs still exist.'],
          [0x6, 'Adapter objects leaked.'],
          [0x7, 'An ADL leaked.'],
          [0x8, 'A logical block pool leaked.'],
          [0x9, 'A logical block pool allocator leaked.'],
          [0xa, 'Reattaching a domain failed.'],
        ],
      },
    ],
    [
      0x1e9,
      {
        summary:
          'A driver enabled the Address Translation Service (ATS) on a device already enabled for Shared Virtual Memory.',
        parameters: [p('PDO', 'The physical device object.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x1ea,
      {
        summary: 'PCI configuration space was accessed from VTL0 through a direct MCFG mapping while secure PCI is on.',
        parameters: [
          p('Opcode', 'Opcode that caused the exception.'),
          p('RID', 'Requester ID of the device.'),
          p('Offset', 'Configuration space offset accessed.'),
          p('Faulting instruction', 'Address of the instruction that caused the exception.', 'faultingInstruction'),
        ],
      },
    ],
    [
      0x1eb,
      {
        summary:
          'The Desktop Activity Moderator did not unfreeze user session processes in time after resume from modern standby.',
        parameters: [
          p('Delay context', 'Address of the DAM user session delay context.'),
          RESERVED,
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x1ed,
      {
        summary: 'Kernel-mode code on a system-critical thread used a handle wrongly.',
        parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x1f1,
      {
        summary: 'The Kernel Address Sanitizer (KASAN) hit an internal error.',
        parameters: [
          p('Operation', 'Type of operation that led to the error.'),
          p('Error', 'Type of internal error.'),
          p('Extra', 'More information on the error.'),
          p('Extra', 'More information on the error.'),
        ],
      },
    ],
    [
      0x1f2,
      {
        summary: 'The Kernel Address Sanitizer (KASAN) caught an illegal memory access.',
        parameters: [
          p('Address', 'The address accessed illegally.', 'referencedAddress'),
          p('Size', 'Size of the access.'),
          p('Faulting instruction', 'Address of the caller.', 'faultingInstruction'),
          p(
            'Shadow code',
            'Bits 0-7: the KASAN shadow code of the cell (0 valid, 1-7 partly valid, 0x80 and up invalid); bit 8: 1 for a write, 0 for a read.',
          ),
        ],
      },
    ],
  ];
}
