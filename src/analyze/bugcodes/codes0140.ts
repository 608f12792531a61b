/** Parameter meanings of the codes 0x140–0x1FF, in our own words (facts from each code's public reference page). */
import type { CaseRow, DetailRows } from './common.js';
import {
  BY_P1,
  CONTEXT_RECORD,
  EXCEPTION_RECORD,
  NONE,
  RESERVED,
  THREAD,
  TRAP_FRAME,
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

export const DETAILS_0140: DetailRows = [
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
            p('IRQL', 'IRQL the request was sent at.'),
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
          'A client tried to open an invalid number of static streams.',
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
          [0x1021, 'Dropping and re-adding a stream endpoint while resetting an endpoint that was not halted failed.'],
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
        'Windows went through an abnormal reset: no context or exception records were saved and no callbacks ran.',
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
      parameters: [p('Error', 'Which error; selects the meaning of parameter 2.'), dependsOn(1, 1), RESERVED, RESERVED],
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
      summary: 'Code ran in a processor instruction mode that is not supported (e.g. classic Arm instead of Thumb-2).',
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
      summary: 'A lock tracked by AutoBoost was released by a thread that did not own it.',
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
      summary: 'A partition was dereferenced wrongly, usually by a kernel-mode driver (or after serious data damage).',
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
    0x000001ca,
    {
      summary: 'A system-wide watchdog expired: the system is hung and not processing timer ticks.',
      parameters: [
        p('Time since reset', 'Time since the watchdog was last reset, in interrupt-time units.'),
        p('Interrupt time', 'Interrupt time now.'),
        p('QPC', 'QueryPerformanceCounter timestamp now.'),
        p('Clock processor', 'Index of the clock-owning processor.'),
      ],
    },
  ],
];
