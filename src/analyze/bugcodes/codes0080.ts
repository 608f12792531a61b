/** Parameter meanings of the codes 0x80–0xBF, in our own words (facts from each code's public reference page). */
import type { DetailRows, OtherParams } from './common.js';
import {
  BY_P1,
  DEVICE_OBJECT,
  EXCEPTION_ADDRESS,
  EXCEPTION_CODE,
  IRP,
  MDL,
  NONE,
  NOT_USED,
  RESERVED,
  SOURCE_LOCATION,
  TRAP_FRAME,
  TRIAGE_9F_POWER,
  ZERO,
  accessedAddress,
  dependsOn,
  filterContextRecord,
  filterExceptionRecord,
  p,
} from './common.js';

const HIBER_CONTEXT = p('POP_HIBER_CONTEXT', 'Address of the hibernation context.');
const FX_DEVICE = p('POP_FX_DEVICE', 'Address of the runtime power framework device.');
const FX_PLUGIN = p('POP_FX_PLUGIN', 'Address of the power engine plug-in (PEP).');
const FX_COMPONENT = p('POP_FX_COMPONENT', 'Address of the runtime power framework component.');
const FX_COMPONENT_FLAGS = p('Component flags', 'The POP_FX_COMPONENT_FLAGS.');
const COMPONENT_INDEX = p('Component', 'Component index.');
const IDLE_STATE_INDEX = p('Idle state', 'Coordinated idle state index.');
const PEP_HANDLE = p('PEPHANDLE', 'Handle of the power engine plug-in.');
const PEP_ACTIVITY = p('POP_PEP_ACTIVITY', 'Address of the activity.');
const ACTIVITY_TYPES =
  '0 device power on, 1 component idle state change, 2 component activating, 3 component active, 4 device power off, 5 device suspend';
const COORDINATED_STATE = p('Coordinated state', 'The PPPM_COORDINATED_STATE whose reference count is being updated.');
const BAD_REFERENCE_COUNT = p('Reference count', 'The invalid reference count seen.');

const PARTIAL_SERIAL = p('Serial', 'Part of the serial number.');
const LICENSE_STATUS: OtherParams = [p('Status', 'NTSTATUS of the failure.', 'status'), ZERO, ZERO];
const LICENSE_WORKER: OtherParams = [
  p('Status', 'NTSTATUS of the failure.', 'status'),
  p('Operation', '0 setting a value failed; 1 change notification failed.'),
  ZERO,
];
// ACPI (0xA5)
const ACPI_DEVICE_EXTENSION = p('Device extension', "ACPI's device extension.");
const ACPI_EXTENSION = p('Extension', 'The ACPI extension the object or method belongs to.');
const ACPI_DATA_TYPE = p('Data type', 'The DataType returned (see Amli.h).');
const ACPI_METHOD_TYPE: OtherParams = [ACPI_EXTENSION, p('Method', 'Address of the method.'), ACPI_DATA_TYPE];
const ACPI_BUFFER = p('Buffer', 'The buffer ACPI was parsing.');
const ACPI_BUFFER_TAG = p('Tag', "The buffer's tag.");
const PRT_OBJECT = p('_PRT', 'Address of the _PRT object.');

/** The rows, built when first asked for (a command that never looks a code up in this range never builds them). */
export function details0080(): DetailRows {
  return [
    [0x80, { summary: 'A hardware failure raised a non-maskable interrupt (NMI).', parameters: NONE }],
    [0x81, { summary: 'A spin lock could not be initialized.' }],
    [0x82, { summary: 'The distributed file system (DFS) hit a condition it cannot recover from.' }],
    [
      0x85,
      {
        summary: 'A fatal error occurred during setup; parameter 1 says which.',
        parameters: [
          p('Failure', 'Which setup step failed; selects the meaning of parameters 2 and 3.'),
          dependsOn(1, 1),
          dependsOn(1, 2),
          NOT_USED,
        ],
        cases: [
          [
            0x0,
            'Setup cannot show text: the OEM HAL font (Vgaxxx.fon) is damaged or not a .fon file.',
            [ZERO, ZERO, NOT_USED],
          ],
          [
            0x1,
            'Video initialization failed (a damaged video driver disk, or video hardware Windows cannot drive).',
            [
              p(
                'Video step',
                '0 opening \\device\\video0; 1 query mode count; 2 query modes; 3 wanted mode unsupported (internal setup error); 4 set mode; 5 map video memory; 6 load font.',
              ),
              p('Status', 'Status of the failing call, where there is one.', 'status'),
              NOT_USED,
            ],
          ],
          [0x2, 'Setup ran out of memory.', [ZERO, ZERO, NOT_USED]],
          [
            0x3,
            'Keyboard initialization failed (damaged keyboard driver disk, unsupported keyboard hardware, or layout DLL not loaded).',
            [
              p(
                'Keyboard step',
                '0 opening \\device\\KeyboardClass0 failed (no keyboard found); 1 the keyboard layout DLL could not be loaded.',
              ),
              ZERO,
              NOT_USED,
            ],
          ],
          [
            0x4,
            'Setup could not resolve the ARC device path it was started from (internal setup error).',
            [ZERO, ZERO, NOT_USED],
          ],
          [0x5, 'A partitioning sanity check failed: a bug in a disk driver.', [RESERVED, RESERVED, NOT_USED]],
        ],
      },
    ],
    [
      0x8b,
      {
        summary: 'The master boot record checksum does not match.',
        parameters: [
          p('Disk signature', 'Disk signature from the MBR.'),
          p('Loader checksum', 'MBR checksum computed by the OS loader.'),
          p('System checksum', 'MBR checksum computed by the system.'),
          RESERVED,
        ],
      },
    ],
    [
      0x8e,
      {
        summary: 'An exception raised by kernel-mode code was not caught by the error handler.',
        parameters: [EXCEPTION_CODE, EXCEPTION_ADDRESS, TRAP_FRAME, RESERVED],
      },
    ],
    [0x8f, { summary: 'The Plug and Play manager could not be initialized (phase 0).', parameters: NONE }],
    [0x90, { summary: 'The Plug and Play manager could not be initialized (phase 1).', parameters: NONE }],
    [
      0x92,
      {
        summary: 'A driver built for uniprocessor systems was loaded on a multiprocessor system.',
        parameters: [p('Driver base', 'Base address of the driver.'), RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0x93,
      {
        summary: 'NtClose was given an invalid or protected handle.',
        parameters: [
          p('Handle', 'The handle closed or referenced.'),
          p(
            'Kind or table',
            'When parameter 4 is 0: 0 a protected handle was closed, 1 an invalid handle was closed or referenced. When parameter 4 is 1: the handle table.',
          ),
          ZERO,
          p(
            'Bad handle detection',
            '1 when an invalid kernel handle was referenced with bad handle detection on, else 0.',
          ),
        ],
        caseParameter: 4,
        cases: [
          [
            0x1,
            'An invalid kernel handle was referenced while bad handle detection was on.',
            [p('Handle', 'The handle referenced.'), p('Handle table', 'Address of the handle table.'), ZERO],
          ],
        ],
      },
    ],
    [0x94, { summary: 'A thread ended with its kernel stack still flagged as not swappable.', parameters: NONE }],
    [
      0x96,
      {
        summary: 'A work queue entry with a NULL link was removed from a queue.',
        parameters: [
          p('Entry', 'Address of the queue entry whose Flink or Blink is NULL.'),
          p('Queue', 'Address of the queue, usually an ExWorkerQueue.'),
          p(
            'ExWorkerQueue array',
            'Base of the ExWorkerQueue array, to tell whether the queue is one of them and which.',
          ),
          p(
            'Worker routine',
            'If it is an ExWorkerQueue, the routine the item would have called: it points at the misbehaving driver.',
          ),
        ],
      },
    ],
    [0x97, { summary: 'A bound image is not supported.' }],
    [
      0x98,
      {
        summary: 'The evaluation period of this Windows copy has ended.',
        parameters: [
          p('Expiry low', 'Low 32 bits of the product expiry date.'),
          p('Expiry high', 'High 32 bits of the product expiry date.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0x99,
      {
        summary: 'ExInitializeRegion or ExInterlockedExtendRegion was called with invalid parameters.',
        parameters: NONE,
      },
    ],
    [
      0x9a,
      {
        summary: 'The software license agreement was violated; parameter 1 says how.',
        parameters: [
          p('Violation', 'Which license check failed; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x00,
            'The product type was changed offline.',
            [
              p('Expected product', '0: should be WinNT; 1: should be LanmanNT or ServerNT.'),
              PARTIAL_SERIAL,
              p('Product type', "The product type's first two characters, from the product options."),
            ],
          ],
          [
            0x01,
            'The evaluation time period was changed offline.',
            [
              p('Evaluation time', 'Registered evaluation time from the first source.'),
              PARTIAL_SERIAL,
              p('Alternate time', 'Registered evaluation time from the other source.'),
            ],
          ],
          [0x02, 'The setup key could not be opened.', LICENSE_STATUS],
          [
            0x03,
            'SetupType or SetupInProgress is missing from the setup key: setup mode cannot be detected.',
            LICENSE_STATUS,
          ],
          [0x04, 'SystemPrefix is missing from the setup key.', LICENSE_STATUS],
          [
            0x05,
            'The number of licensed processors was changed offline.',
            [
              p('Setup code', 'Internal value (see the setup code).'),
              p('Invalid value', 'The invalid value found for licensed processors.'),
              p('Licensed processors', 'The officially licensed processor count.'),
            ],
          ],
          [0x06, 'The ProductOptions key could not be opened.', LICENSE_STATUS],
          [0x07, 'The ProductType value could not be read.', LICENSE_STATUS],
          [0x08, 'Change notification on ProductOptions failed.', LICENSE_STATUS],
          [0x09, 'Change notification on SystemPrefix failed.', LICENSE_STATUS],
          [0x0a, 'A workstation (NTW) system was converted to a server (NTS) system.', [ZERO, ZERO, ZERO]],
          [0x0b, 'Referencing the setup key failed.', LICENSE_STATUS],
          [0x0c, 'Referencing the product options key failed.', LICENSE_STATUS],
          [0x0d, 'Opening ProductOptions in the worker thread failed.', LICENSE_STATUS],
          [0x0f, 'Opening the setup key failed.', LICENSE_STATUS],
          [0x10, 'A failure in the setup key worker thread.', LICENSE_WORKER],
          [0x11, 'A failure in the product options key worker thread.', LICENSE_WORKER],
          [0x12, 'The LicenseInfoSuites key of the suite could not be opened.', LICENSE_STATUS],
          [0x13, 'The LicenseInfoSuites key of the suite could not be queried.', LICENSE_STATUS],
          [0x14, 'Memory could not be allocated.', [p('Size', 'Size of the allocation.'), ZERO, ZERO]],
          [0x15, 'The ConcurrentLimit value of the suite key could not be reset.', [LICENSE_STATUS[0], RESERVED, ZERO]],
          [0x16, 'The license key of a suite product could not be opened.', LICENSE_STATUS],
          [0x17, 'The ConcurrentLimit value of a suite product could not be reset.', LICENSE_STATUS],
          [
            0x18,
            'Change notification for LicenseInfoSuites could not be started.',
            [LICENSE_STATUS[0], RESERVED, ZERO],
          ],
          [
            0x19,
            'A suite that requires a primary domain controller runs on a system that is not one.',
            [ZERO, ZERO, ZERO],
          ],
          [0x1a, 'Enumerating the suites failed.', LICENSE_STATUS],
          [0x1b, 'Changes to the policy cache were attempted.', [ZERO, ZERO, ZERO]],
        ],
      },
    ],
    [
      0x9b,
      {
        summary: 'The UDF file system driver hit a condition it cannot recover from.',
        parameters: [
          SOURCE_LOCATION,
          filterExceptionRecord('UdfExceptionFilter'),
          filterContextRecord('UdfExceptionFilter'),
          RESERVED,
        ],
      },
    ],
    [
      0x0000009c,
      {
        summary: 'The processor reported a fatal machine check (hardware error); newer systems report 0x124 instead.',
        parameters: [
          p(
            'Bank',
            'Machine check bank that reported the error (Pentium-class without MCA: low 32 bits of P5_MC_TYPE).',
          ),
          p('MCA_EXCEPTION', 'Address of the MCA_EXCEPTION structure.'),
          p(
            'MCi_STATUS high',
            "High 32 bits of the bank's MCi_STATUS register (Pentium-class: high 32 bits of P5_MC_ADDR).",
          ),
          p(
            'MCi_STATUS low',
            "Low 32 bits of the bank's MCi_STATUS register (Pentium-class: low 32 bits of P5_MC_ADDR).",
          ),
        ],
      },
    ],
    [
      0x9e,
      {
        summary: 'A critical user-mode component (often the cluster service) failed a health check in time.',
        parameters: [
          p('Process', 'The process that failed the health check within the time-out.'),
          p('Time-out', 'The health monitoring time-out, in seconds.'),
          p(
            'Watchdog source',
            'Which component set the watchdog: 0 unspecified; 1-6 the cluster Resource Hosting Subsystem (RHS: cleanup, deadlock, resource exception, unhandled exception, resource or type deadlock); 7 cluster service exception; 0x65-0xCF RHS deadlock subclasses by resource type.',
          ),
          RESERVED,
        ],
      },
    ],
    [
      0x0000009f,
      {
        summary: 'A driver mishandled a power request or took too long to finish one.',
        parameters: [p('Violation', 'Kind of power failure; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x1,
            'A device object being freed still has a power request it never completed.',
            [DEVICE_OBJECT, RESERVED, RESERVED],
          ],
          [
            0x2,
            'A device completed a system power IRP without calling PoStartNextPowerIrp.',
            [
              p('Target device', 'Device object of the target device, if known.'),
              DEVICE_OBJECT,
              p('Driver object', 'The DRIVER_OBJECT, if known.'),
            ],
          ],
          [
            0x3,
            'A device object has held a power IRP for too long.',
            [
              p('PDO', 'Physical device object of the stack.'),
              TRIAGE_9F_POWER,
              p('Blocked IRP', 'Address of the IRP that is stuck (`!irp` on it).'),
            ],
          ],
          [
            0x4,
            'A power transition timed out waiting to synchronize with Plug and Play.',
            [
              p('Timeout', 'Time-out, in seconds.'),
              p('PnP lock owner', 'Thread holding the Plug and Play lock.'),
              p('nt!_TRIAGE_9F_PNP', 'Address of a triage block.'),
            ],
          ],
          [
            0x5,
            'A device did not finish a directed power transition in time.',
            [
              p('PDO', 'Physical device object of the stack.'),
              p('POP_FX_DEVICE', 'Address of the runtime power framework device.'),
              ZERO,
            ],
          ],
          [
            0x6,
            "A device's directed power transition callback did not succeed.",
            [
              p('POP_FX_DEVICE', 'Address of the runtime power framework device.'),
              p('Direction', '1 for a directed power-down, 0 for a power-up.'),
              ZERO,
            ],
          ],
          [
            0x500,
            'A device completed a system power IRP without calling PoStartNextPowerIrp.',
            [RESERVED, p('Target device', 'Device object of the target device, if known.'), DEVICE_OBJECT],
          ],
        ],
      },
    ],
    [
      0x000000a0,
      {
        summary: 'The power manager hit a fatal error; parameter 1 says where.',
        parameters: [
          p('Violation', 'Kind of power manager failure; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x1,
            'Error while handling a power IRP.',
            [
              p(
                'Subtype',
                '1 too many references on a device; 2-4 too many queued inrush power IRPs; 5 power IRP sent to a passive-level device; 6 a needed power IRP could not be allocated.',
              ),
              p(
                'Limit or device',
                'Subtype 1: the reference limit; 2-4: the pending IRP limit; 6: the target device object.',
              ),
              p('IRP kind', 'Subtype 6: 0 for a system power IRP, 1 for a device power IRP.'),
            ],
          ],
          [0x2, 'Internal failure while processing a power event.', [RESERVED, RESERVED, RESERVED]],
          [
            0x3,
            'A hibernation context page failed its checksum.',
            [
              p('Expected checksum', 'Checksum the page should have.'),
              p('Actual checksum', 'Checksum computed.'),
              p('Line', 'Source line of the failed check.'),
            ],
          ],
          [
            0x4,
            'A page bound for the hibernation file failed its checksum before the write.',
            [
              p('Expected checksum', 'Checksum the page should have.'),
              p('Actual checksum', 'Checksum computed.'),
              p('Line', 'Source line of the failed check.'),
            ],
          ],
          [0x5, 'The shutdown handler received an unknown shutdown code.', [RESERVED, RESERVED, RESERVED]],
          [0x7, 'An unhandled exception occurred.', [RESERVED, RESERVED, RESERVED]],
          [
            0x8,
            'Fatal error while processing a system power event.',
            [
              p('Constant', 'Always 0x100.'),
              DEVICE_OBJECT,
              p('POWER_CHANNEL_SUMMARY', 'Address of the power channel summary.'),
            ],
          ],
          [
            0x9,
            'Fatal error while preparing the hibernation file.',
            [
              p('Status', 'NTSTATUS of the failure.', 'status'),
              p('Mirroring phase', 'Phase of mirroring reached.'),
              RESERVED,
            ],
          ],
          [
            0xa,
            'A bug check was requested on resume, for debugging.',
            [
              p(
                'Stage',
                '0 right on resume; 1 after non-pageable devices were powered on; 2 after all devices were powered on.',
              ),
              RESERVED,
              RESERVED,
            ],
          ],
          [
            0xb,
            'The hibernation file is too small.',
            [
              p('Hiberfile size', 'Size of the hibernation file.'),
              p(
                'Progress',
                'How far hibernation got (0 free map, 1 resume context, 2 processor state, 3 secure ranges, 4 memory ranges, 5 table pages, 6 memory image).',
              ),
              p('Remaining', 'When parameter 3 is 4: size of the memory ranges still to write.'),
            ],
          ],
          [
            0xc,
            'The crash dump stack could not be initialized.',
            [
              p('Status', 'NTSTATUS of the failure.', 'status'),
              p('Dump stack context', 'Address of the dump stack context.'),
              RESERVED,
            ],
          ],
          [
            0xd,
            'The system did not finish a power transition in time.',
            [
              p('Power state', 'System power state being entered.'),
              p('Checkpoint', 'Last sleep checkpoint reached.'),
              p('POP_POWER_ACTION', 'Address of the power action.'),
            ],
          ],
          [
            [0xf, 0xf0, 0xf1],
            'The system did not finish a power transition (0xF0 suspend, 0xF1 resume) in time.',
            [
              p('Power state', 'System power state being entered.'),
              p('Checkpoint', 'Last sleep checkpoint reached.'),
              p('Thread', 'Thread processing the request.'),
            ],
          ],
          [
            0x101,
            'An unhandled exception occurred while a system power event was processed.',
            [RESERVED, p('Exception pointers', 'Address of the exception pointers.'), RESERVED],
          ],
          [
            0x10a,
            'The disk stack failed to read or write part of the hibernation file.',
            [
              RESERVED,
              p('POP_HIBER_CONTEXT', 'Address of the hibernation context.'),
              p('Status', 'NTSTATUS of the failure.', 'status'),
            ],
          ],
          [
            0x10e,
            'The disk stack returned damaged data while the hibernation file was read.',
            [
              RESERVED,
              p('Bad checksum', 'Checksum of the data returned.'),
              p('Previous checksum', 'Checksum of the previous disk read.'),
            ],
          ],
          [
            0x618,
            'A runtime power worker thread has been blocked too long.',
            [p('Work order', 'Address of the POP_FX_WORK_ORDER_WATCHDOG_INFO.'), RESERVED, RESERVED],
          ],
          [
            0x619,
            'A device kept the system out of its deepest runtime idle state too long.',
            [
              p('POP_FX_DEVICE', 'The runtime power framework device.'),
              p('Component', 'Component index.'),
              p('Child device', 'DEVICE_NODE of the child actually responsible, or 0.'),
            ],
          ],
          [
            0x701,
            'A processor did not complete an idle transition in time: it is hung.',
            [
              p('Idle state', 'Index of the idle state the hung processor chose.'),
              p('PRCB', "Address of the hung processor's PRCB."),
              p('Processor', 'Index of the hung processor.'),
            ],
          ],
          [0x704, 'A coordinated idle state transition took too long.', [RESERVED, RESERVED, RESERVED]],
          [
            0x802,
            'The PDC system idle phase blocked the transition to Modern Standby longer than expected.',
            [
              p('Reason', 'POWER_MONITOR_REQUEST_REASON that turned the display off.'),
              p('Event processor', '1 if the Power Event Processor is enabled, else 0.'),
              p('Watchdog context', 'Address of the POP_PDC_IDLE_PHASE_WATCHDOG_CONTEXT.'),
            ],
          ],
          [
            0x900,
            'A power-setting callback returned at a different IRQL than it was called at.',
            [
              p('Callback', 'Address of the power-setting callback.'),
              p('IRQL before', 'IRQL before the call.'),
              p('IRQL after', 'IRQL after the call.'),
            ],
          ],
          [
            0x901,
            'A driver enabled or disabled kernel APCs while handling a power IRP.',
            [
              DEVICE_OBJECT,
              p('IRP', 'Address of the power IRP.'),
              p('APC disable count', "The thread's APC disable count."),
            ],
          ],
          [
            0x102,
            'The size of the hibernation working buffer is not a multiple of the page size.',
            [RESERVED, p('Dump context', 'Address of the DUMP_INITIALIZATION_CONTEXT.'), HIBER_CONTEXT],
          ],
          [0x103, 'Not all working pages were accounted for during hibernation.', [RESERVED, HIBER_CONTEXT, RESERVED]],
          [
            0x104,
            'Internal hibernation memory was mapped while its structures were locked.',
            [RESERVED, HIBER_CONTEXT, RESERVED],
          ],
          [
            0x105,
            'Internal hibernation memory was mapped with an unsupported memory type flag.',
            [RESERVED, HIBER_CONTEXT, RESERVED],
          ],
          [0x106, 'Hibernation built an MDL describing memory that is not page aligned.', [RESERVED, MDL, RESERVED]],
          [
            0x107,
            'The internal hibernation data structures disagree.',
            [RESERVED, HIBER_CONTEXT, p('Range array', 'Address of the PO_MEMORY_RANGE_ARRAY.')],
          ],
          [0x108, 'The disk stack failed to write part of the hibernation file.', [RESERVED, HIBER_CONTEXT, RESERVED]],
          [
            0x109,
            'The saved processor state failed its checksum.',
            [RESERVED, p('Expected checksum', 'Checksum it should have.'), p('Actual checksum', 'Checksum computed.')],
          ],
          [
            0x10b,
            'PoSetHiberRange was called at the wrong moment to mark boot-phase hibernation pages.',
            [RESERVED, p('Progress', 'Current hibernation progress.'), RESERVED],
          ],
          [
            0x10c,
            'PoSetHiberRange was called with invalid parameters.',
            [RESERVED, p('Flags', 'Flags passed to the call.'), p('Length', 'Length to mark.')],
          ],
          [
            0x10d,
            'The secure kernel failed while providing data for resume.',
            [RESERVED, HIBER_CONTEXT, p('Status', 'NTSTATUS of the failure.', 'status')],
          ],
          [
            0x10f,
            'Internal error while recording sleep progress checkpoints.',
            [
              p('Checkpoint', 'Current system sleep checkpoint.'),
              p(
                'Error type',
                '0 checkpoint written with paging off before interrupts were disabled everywhere; 1 a processor other than 0 wrote one with interrupts off; 2 other code was running an EFI runtime service.',
              ),
              RESERVED,
            ],
          ],
          [
            0x110,
            'System sleep states could not be disabled although data integrity required it.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x111,
            'A driver reported the user present while a debugging option to capture the call stack was on.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x200,
            'An unknown device type was checked for an idle state.',
            [RESERVED, DEVICE_OBJECT, p('Power extension', 'Address of the DEVICE_OBJECT_POWER_EXTENSION.')],
          ],
          [0x300, 'A battery power IRP returned an unknown status.', [RESERVED, DEVICE_OBJECT, IRP]],
          [0x301, 'The battery entered an unknown state.', [RESERVED, DEVICE_OBJECT, IRP]],
          [
            0x400,
            'A device went past its maximum number of references.',
            [RESERVED, p('Stack location', 'Address of the IO_STACK_LOCATION.'), DEVICE_OBJECT],
          ],
          [
            [0x401, 0x402, 0x403],
            'Too many inrush power IRPs are queued.',
            [RESERVED, p('Pending IRPs', 'Address of the pending IRP list.'), DEVICE_OBJECT],
          ],
          [
            0x404,
            'A power IRP was sent to a passive-level device object.',
            [RESERVED, p('Stack location', 'Address of the IO_STACK_LOCATION.'), DEVICE_OBJECT],
          ],
          [0x500, 'A thermal power IRP returned an unknown status.', [RESERVED, IRP, DEVICE_OBJECT]],
          [
            0x600,
            'A driver registered twice with the runtime power framework.',
            [p('PDO', 'The physical device object.'), RESERVED, RESERVED],
          ],
          [
            0x601,
            'No power engine plug-in (PEP) accepted the device registration.',
            [FX_DEVICE, p('PEP registration', 'Address of the PEP_DEVICE_REGISTER.'), RESERVED],
          ],
          [
            0x602,
            "A device node's sleep count does not match its activation count.",
            [p('Device node', 'Address of the DEVICE_NODE.'), p('Sleep count', 'The sleep count.'), RESERVED],
          ],
          [
            0x603,
            'A power engine plug-in made an invalid work request.',
            [FX_PLUGIN, p('Request type', 'Type of the work request.'), RESERVED],
          ],
          [
            0x605,
            'A power engine plug-in did not accept a mandatory device power notification.',
            [p('Notification', 'Notification ID.'), FX_PLUGIN, RESERVED],
          ],
          [
            0x606,
            'A plug-in moved a critical system resource component to the condition (active or idle) it was already in.',
            [FX_COMPONENT, FX_COMPONENT_FLAGS, p('New condition', 'The condition requested for the component.')],
          ],
          [
            0x607,
            'Acquiring a runtime power framework device-removal lock failed where it had to succeed.',
            [FX_DEVICE, p('Status', 'NTSTATUS of the failure.', 'status'), RESERVED],
          ],
          [
            0x608,
            'A driver moved a component to idle without an active request before it.',
            [FX_COMPONENT, FX_COMPONENT_FLAGS, RESERVED],
          ],
          [
            0x609,
            'A plug-in asked for device power required (or not required) twice without the opposite request between.',
            [FX_PLUGIN, FX_DEVICE, p('Request type', 'The repeated request: 0 power required, 1 power not required.')],
          ],
          [
            0x610,
            'A plug-in asked for device power not required while a power-required request was still outstanding.',
            [FX_PLUGIN, FX_DEVICE, RESERVED],
          ],
          [
            0x611,
            'A plug-in asked for an operation on a component that does not exist.',
            [FX_PLUGIN, FX_DEVICE, p('Component', 'The invalid component index.')],
          ],
          [
            0x612,
            'A plug-in asked for more work within a device notification for which no buffer was supplied.',
            [FX_PLUGIN, RESERVED, RESERVED],
          ],
          [
            0x613,
            'A driver completed a request that was not outstanding.',
            [
              FX_DEVICE,
              COMPONENT_INDEX,
              p(
                'Operation',
                '0 complete device power not required; 1 report device powered on; 2 complete idle condition.',
              ),
            ],
          ],
          [
            0x614,
            'A driver asked for an active/idle transition with an illegal parameter.',
            [
              FX_DEVICE,
              COMPONENT_INDEX,
              p(
                'Illegal parameter',
                '0 PO_FX_FLAG_BLOCKING at DISPATCH_LEVEL or above; 1 blocking and async-only flags together; 2 bad component index.',
              ),
            ],
          ],
          [
            0x615,
            'A plug-in reported a component activation as complete illegally.',
            [
              FX_PLUGIN,
              FX_COMPONENT,
              p(
                'Illegal action',
                '0 component not in idle state 0; 1 already active; 2 no activation request outstanding; 3 idle state transition outstanding.',
              ),
            ],
          ],
          [
            0x616,
            'A plug-in asked for a component idle state transition illegally.',
            [
              FX_PLUGIN,
              FX_COMPONENT,
              p(
                'Illegal action',
                '0 invalid idle state; 1 already in that state; 2 a non-zero idle state without passing through state 0.',
              ),
            ],
          ],
          [
            0x617,
            'A plug-in returned an invalid acceptance type for a device registration.',
            [
              FX_PLUGIN,
              p('Device ID', 'Address of the UNICODE_STRING device ID.'),
              p('PEP registration', 'Address of the PEP_DEVICE_REGISTER.'),
            ],
          ],
          [
            0x61a,
            "A plug-in gave invalid information about a component's performance states.",
            [FX_PLUGIN, FX_DEVICE, RESERVED],
          ],
          [
            0x61b,
            'A driver made a performance state request before registering for performance states.',
            [FX_DEVICE, COMPONENT_INDEX, RESERVED],
          ],
          [
            0x61c,
            'A driver made a performance state request with invalid parameters.',
            [
              FX_DEVICE,
              COMPONENT_INDEX,
              p('Invalid parameter', '0: PerfChangesCount exceeds the performance state sets registered.'),
            ],
          ],
          [
            0x61d,
            'A driver made a performance state request while an earlier one was outstanding.',
            [FX_DEVICE, COMPONENT_INDEX, p('Request context', 'The outstanding request context.')],
          ],
          [
            0x61e,
            'A plug-in made a debugger device go through a critical transition although automatic transitions are enabled.',
            [RESERVED, RESERVED, RESERVED],
          ],
          [
            0x61f,
            'A plug-in asked for automatic debugger transitions on a coordinated idle state that is not platform-wide.',
            [FX_DEVICE, IDLE_STATE_INDEX, RESERVED],
          ],
          [
            0x620,
            'A plug-in tied a D-state dependency to a coordinated idle state that is not platform-wide.',
            [FX_DEVICE, IDLE_STATE_INDEX, RESERVED],
          ],
          [
            0x621,
            'A plug-in tied an F-state dependency to a coordinated idle state that is not platform-wide.',
            [FX_DEVICE, COMPONENT_INDEX, IDLE_STATE_INDEX],
          ],
          [
            0x622,
            'A driver unregistered from the runtime power framework with dependents outstanding.',
            [
              p('Parent component', 'The parent POP_FX_COMPONENT.'),
              p('Child component', 'The child POP_FX_COMPONENT.'),
              RESERVED,
            ],
          ],
          [
            0x666,
            'The default power engine plug-in started an activity that conflicts with another.',
            [
              PEP_ACTIVITY,
              p('New activity', `Type of the new activity (${ACTIVITY_TYPES}).`),
              p('Conflicting activity', 'Type of the activity it conflicts with, same coding.'),
            ],
          ],
          [
            0x667,
            'The default power engine plug-in completed an activity that is not running.',
            [
              PEP_ACTIVITY,
              p('Activity', `Type of the activity (${ACTIVITY_TYPES}).`),
              p('Activity status', 'The POP_PEP_ACTIVITY_STATUS.'),
            ],
          ],
          [
            0x668,
            'The default power engine plug-in removed a platform idle state constraint that was never set.',
            [
              COORDINATED_STATE,
              BAD_REFERENCE_COUNT,
              p('State mask', 'Mask of the platform idle states being updated.'),
            ],
          ],
          [
            0x669,
            'The default power engine plug-in found its own data inconsistent while reporting a platform idle state as available.',
            [COORDINATED_STATE, BAD_REFERENCE_COUNT, RESERVED],
          ],
          [
            0x680,
            'A required ACPI table is missing or malformed (usually a BIOS error).',
            [p('Status', 'NTSTATUS of the failure.', 'status'), RESERVED, RESERVED],
          ],
          [
            0x700,
            'A power engine plug-in gave invalid processor idle dependencies.',
            [PEP_HANDLE, p('Idle select', 'The PEP_PPM_IDLE_SELECT.'), RESERVED],
          ],
          [
            0x702,
            'A processor woke from a non-interruptible state without the OS asking the plug-in to wake it.',
            [
              p('Idle state', 'Index of the idle state the processor chose.'),
              p('Sync state', 'Idle synchronization state of the processor.'),
              p('PRCB', "Address of the hung processor's PRCB."),
            ],
          ],
          [
            0x703,
            'A power engine plug-in gave invalid processor idle dependencies in a platform state query.',
            [PEP_HANDLE, p('Query', 'The PEP_PPM_QUERY_PLATFORM_STATE.'), RESERVED],
          ],
          [
            0x705,
            'A power engine plug-in changed a read-only field of a notification buffer.',
            [
              PEP_HANDLE,
              p('Notification', 'The notification.'),
              p('Field tag', 'Four-character tag naming the field (`.formats`).'),
            ],
          ],
          [
            0x706,
            'A power engine plug-in returned an illegal value in a notification buffer.',
            [
              p('Notification', 'The notification.'),
              p('Field tag', 'Four-character tag naming the field (`.formats`).'),
              p('Value', 'The illegal value, or the array index where it is.'),
            ],
          ],
          [
            0x800,
            'The monitor turned on unexpectedly during connected standby.',
            [p('CS state', 'Current connected standby state.'), RESERVED, RESERVED],
          ],
          [
            0x801,
            'An invalid display state transition occurred.',
            [
              p('Reason', 'Why the display state changed.'),
              p('Session', 'ID of the session that changed it.'),
              RESERVED,
            ],
          ],
          [
            0x4001,
            'Internal kernel failure during a power operation.',
            [
              p(
                'Kernel subcode',
                '0x100 firmware too slow powering on a processor; 0x101 invalid interrupt target; 0x102 interrupt destination change failed; 0x103 IPI failed during interrupt redirection; 0x104 processor architecture not supported.',
              ),
              RESERVED,
              RESERVED,
            ],
          ],
          [
            0xaa64,
            'An Arm64 Power State Coordination Interface (PSCI) function hit an unrecoverable error.',
            [
              p('Error code', 'The PSCI error code.'),
              p('Function ID', 'PSCI function in progress.'),
              p('Context', 'Optional internal data.'),
            ],
          ],
        ],
      },
    ],
    [0xa1, { summary: 'The PCI bus driver found its internal structures inconsistent.', parameters: NONE }],
    [
      0xa2,
      {
        summary: 'Damage was found in the in-memory image of an executable file.',
        parameters: [p('Violation', 'Which check failed; selects the meaning of the other parameters.'), ...BY_P1],
        cases: [
          [
            0x02,
            'A table page check failed.',
            [
              p(
                'Page',
                'Parameter 3 zero: page number of the failing table page entry; otherwise the page number holding the failing run index.',
              ),
              p('Run index', '0, or the index that did not match the run.'),
              ZERO,
            ],
          ],
          [
            0x03,
            'The checksum of a range of memory is wrong.',
            [
              p('First page', 'Starting physical page number of the range.'),
              p('Length', 'Length of the range, in pages.'),
              p('Table page', 'Page number of the table page holding this run.'),
            ],
          ],
        ],
      },
    ],
    [
      0xa3,
      {
        summary: 'The ACPI driver found its internal state inconsistent.',
        parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0xa4,
      {
        summary: 'The CNSS file system filter hit a condition it cannot recover from.',
        parameters: [SOURCE_LOCATION, RESERVED, RESERVED, RESERVED],
      },
    ],
    [
      0xa5,
      {
        summary: 'The ACPI BIOS does not fully comply with the ACPI specification; parameter 1 says where.',
        parameters: [
          p('Incompatibility', 'Which ACPI problem; selects the meaning of the other parameters.'),
          ...BY_P1,
        ],
        cases: [
          [
            0x01,
            'The System Control Interrupt (SCI) vector is missing from the resources ACPI was given at start.',
            [
              ACPI_DEVICE_EXTENSION,
              p('Resource list', "ACPI's resource list."),
              p('Problem', '0 no resource list found; 1 no IRQ resource in the list.'),
            ],
          ],
          [
            0x02,
            'The resource list of the PCI root buses could not be processed; parameter 3 says why.',
            [
              p('PCI bus extension', 'The ACPI extension of the PCI bus.'),
              p(
                'Problem',
                '0 or 1: the BIOS resource list cannot be converted (an encoding error in the BIOS); 2 empty resource list; 3 current bus number not in _CRS; otherwise the PCI resource list, which overlaps the E820 memory map.',
              ),
              p(
                'Detail',
                'Problem 0: the QUERY_RESOURCES IRP; 1: the QUERY_RESOURCE_REQUIREMENTS IRP; 2: 0; 3: the _CRS descriptor; overlap: the E820 memory table.',
              ),
            ],
          ],
          [
            0x03,
            'A control method failed while device extensions were being built for the ACPI namespace.',
            [
              p('Object', 'The ACPI object being run.'),
              p('Return value', 'What the interpreter returned.'),
              p('Method name', 'Name of the control method, as a ULONG.'),
            ],
          ],
          [
            0x04,
            'A _PRW package element is not an integer.',
            [ACPI_EXTENSION, p('Method', 'Address of the method.'), ACPI_DATA_TYPE],
          ],
          [
            0x05,
            'A _PRW package has fewer than the two elements the specification requires.',
            [ACPI_EXTENSION, p('_PRW', 'Address of the _PRW.'), p('Elements', 'Number of elements in it.')],
          ],
          [
            0x06,
            'A named object could not be found.',
            [ACPI_EXTENSION, p('_PRx', 'Address of the _PRx.'), p('Object name', 'Address of the name looked for.')],
          ],
          [0x07, 'A method expected to return a buffer returned another type.', ACPI_METHOD_TYPE],
          [0x08, 'A method expected to return an integer returned another type.', ACPI_METHOD_TYPE],
          [0x09, 'A method expected to return a package returned another type.', ACPI_METHOD_TYPE],
          [0x0a, 'A method expected to return a string returned another type.', ACPI_METHOD_TYPE],
          [
            0x0b,
            'The object an _EJD string refers to cannot be found.',
            [
              ACPI_EXTENSION,
              p('Status', 'Status the interpreter returned.', 'status'),
              p('Object name', 'Name of the object looked for.'),
            ],
          ],
          [
            0x0c,
            'The BIOS gives faulty or insufficient information for dock support.',
            [
              p('Dock extension', 'The ACPI extension ACPI found a dock device for.'),
              p('_EJD', 'Address of the _EJD method.'),
              p(
                'Problem',
                '0 the BIOS does not claim the system is dockable; 1 duplicate device extensions for the dock.',
              ),
            ],
          ],
          [
            0x0d,
            'A required method or object (no _HID or _ADR) is missing from the namespace.',
            [
              ACPI_EXTENSION,
              p('Method name', 'Name of the method looked for, as a ULONG.'),
              p('Case', '0 base case; 1 conflict.'),
            ],
          ],
          [
            0x0e,
            'A power resource lacks a required method (_ON, _OFF or _STA).',
            [
              p('Power resource', 'The namespace power resource.'),
              p('Method name', 'Name of the method looked for, as a ULONG.'),
              p('Case', '0 base case.'),
            ],
          ],
          [
            0x0f,
            'A resource descriptor could not be parsed.',
            [ACPI_BUFFER, ACPI_BUFFER_TAG, p('Length', 'Stated length of the buffer.')],
          ],
          [
            0x10,
            'The system-to-device power state mapping is wrong; parameter 3 says why.',
            [
              p('Extension', 'The ACPI extension whose mapping is needed.'),
              p(
                'Problem',
                '0 _PRx mapped back to an unsupported S-state; 1 no D-state for the S-state; 2 the device claims to wake from an S-state the system does not support.',
              ),
              p(
                'Power state',
                'Problem 0: the DEVICE_POWER_STATE (x+1); 1 and 2: the SYSTEM_POWER_STATE that cannot be mapped.',
              ),
            ],
          ],
          [
            0x11,
            'The system could not enter ACPI mode; parameter 2 says why.',
            [
              p(
                'Problem',
                '0 AML interpreter init; 1 RSDT not found; 2 critical structures not allocated; 3 RSDT not loaded; 4 DDBs not loaded; 5 interrupt vector not connected; 6 SCI_EN never set; 7 table checksum wrong; 8 DDB not loaded; 9 unsupported firmware version; 0xA MADT not found; 0xB no valid local SAPIC in the MADT.',
              ),
              p('Table or version', 'Problem 7 or 8: the table; 9: the FADT version; otherwise 0.'),
              p('Creator revision', 'Problem 7 or 8: the creator revision; otherwise 0.'),
            ],
          ],
          [
            0x14,
            'A resource descriptor could not be parsed: its length exceeds MAXULONG.',
            [ACPI_BUFFER, ACPI_BUFFER_TAG, p('Length', 'Address of the ULONGLONG length of the buffer.')],
          ],
          [
            0x15,
            'Loading an ACPI table failed fatally.',
            [
              p('AML context', 'The ACPI Machine Language context.'),
              p(
                'Step',
                '1 table load failed; 2 parameter path string object not found; 3 parameter data not inserted into it; 4 out of memory.',
              ),
              p('Status', 'NTSTATUS of the failure.', 'status'),
            ],
          ],
          [
            0x16,
            'An xSDT declared a child under an object that cannot have children.',
            [p('Parent', 'Address of the parent NSOBJ.'), p('Child', 'Address of the illegal child object.'), RESERVED],
          ],
          [
            0x1000,
            'A memory operation region tried to map memory that belongs to the OS.',
            [
              p('Address high', 'High part of the physical address of the region.'),
              p('Address low', 'Low part of the physical address.'),
              p('Length', 'Length being mapped.'),
            ],
          ],
          [
            0x2001,
            'Evaluating the PIC control method failed.',
            [
              p('InterruptModel', 'The interrupt model (integer).'),
              p('Return value', 'What the interpreter returned.'),
              p('PIC method', 'Address of the PIC control method.'),
            ],
          ],
          [
            0x10001,
            'Interrupt routing failed.',
            [DEVICE_OBJECT, p('Parent', "Address of the device object's parent."), PRT_OBJECT],
          ],
          [
            0x10002,
            'A link node named in a _PRT cannot be found.',
            [DEVICE_OBJECT, p('Name', 'Address of the name that was not found.'), PRT_OBJECT],
          ],
          [
            0x10003,
            'The _PRT has no mapping for a device.',
            [
              DEVICE_OBJECT,
              p('Device and function', 'Bits 5:0 the PCI device number, bits 8:6 the function number.'),
              PRT_OBJECT,
            ],
          ],
          [
            0x10005,
            'A _PRT entry gives a function number other than all ones.',
            [
              PRT_OBJECT,
              p('_PRT element', 'Address of the current _PRT element.'),
              p('Device and function', 'Bits 15:0 the PCI function number, bits 31:16 the device number.'),
            ],
          ],
          [
            0x10006,
            'A link node cannot be disabled (it has no _DIS method).',
            [p('Link node', 'Address of the link node.'), ZERO, ZERO],
          ],
          [
            0x10007,
            'The _PRT refers to a vector missing from the I/O APIC entries of the MAPIC table.',
            [p('Vector', 'The vector not found.'), ZERO, ZERO],
          ],
          [
            0x10008,
            'The ACPI SCI interrupt level is invalid.',
            [p('Level', 'The invalid interrupt level.'), ZERO, ZERO],
          ],
          [0x10009, 'The Fixed ACPI Description Table (FADT) cannot be found.', [ZERO, ZERO, ZERO]],
          [0x1000a, 'The RSDP or XSDT cannot be found.', [ZERO, ZERO, ZERO]],
          [
            0x1000b,
            "An ACPI table's length does not fit its revision.",
            [p('Signature', 'Signature of the table.'), p('Table', 'Address of the table.'), ZERO],
          ],
          [
            0x1000c,
            'The interrupt _DSM method returned malformed data.',
            [p('Revision', 'Revision ID.'), p('Function', 'Function index.'), ZERO],
          ],
          [
            0x1000d,
            'A device mixes GPE and GPIO interrupts, an unsupported combination.',
            [
              p('Extension', 'The ACPI extension of the device.'),
              p(
                'Problem',
                '0 a _PRW exists although no interrupt can wake and one or more are GPIO; 1 wake-capable interrupts exist, so _PRW must give GpeInfo 0xFFFFFFFF.',
              ),
              ZERO,
            ],
          ],
          [
            0x1000e,
            'The SDEV resources of a secure device differ from its _CRS or _PRS entry.',
            [
              p('Status', 'Status returned by the validation.', 'status'),
              p('Path', 'Address of the UNICODE_STRING namespace path.'),
              p('Resources', 'Address of the resource list compared with the SDEV.'),
            ],
          ],
          [
            0x20000,
            'The PM_TMR_BLK entry of the FADT does not point to a working ACPI timer.',
            [p('I/O port', 'The I/O port in the fixed table.'), ZERO, ZERO],
          ],
        ],
      },
    ],
    [
      0xa7,
      { summary: 'The kernel handle table found a handle table entry in an inconsistent state.', parameters: NONE },
    ],
    [
      0xac,
      {
        summary: 'The hardware abstraction layer (HAL) could not get enough memory.',
        parameters: [
          p('Size', 'Size of the allocation.'),
          ZERO,
          p('File name', 'Address of a string holding the file name.'),
          RESERVED,
        ],
      },
    ],
    [
      0xad,
      {
        summary: 'The video port made a non-fatal minidump for the video driver while running.',
        parameters: [
          p('Driver data', 'Driver-specific.'),
          p('Driver data', 'Driver-specific.'),
          p('Driver data', 'Driver-specific.'),
          p('Report count', 'Reports requested since boot.'),
        ],
      },
    ],
    [0xb1, { summary: 'A boot graphics (BGI) violation was detected.', parameters: NONE }],
    [0xb4, { summary: 'Windows could not enter graphics mode.', parameters: NONE }],
    [
      0xb8,
      {
        summary: 'A deferred procedure call (DPC) routine did something illegal: it tried to switch threads.',
        parameters: [
          p('Original thread', 'The thread that was running.'),
          p('New thread', 'The thread it was switching to.'),
          p('Stack address', 'Stack address of the original thread.'),
          RESERVED,
        ],
      },
    ],
    [0xb9, { summary: 'The chipset detected an error.' }],
    [
      0xba,
      {
        summary: 'A session unloaded while one of its drivers kept mapped views.',
        parameters: [
          p('Session ID', 'The session.'),
          p('Leaked views', 'Mapped views still there.'),
          p('Views table', "Address of the session's mapped views table."),
          p('Table size', 'Size of that table.'),
        ],
      },
    ],
    [
      0xbb,
      {
        summary: 'Windows failed to boot from the network.',
        parameters: [
          p(
            'Step',
            '1 updating the registry; 2 starting the network stack (the redirector was not ready in time); 3 sending the DHCP IOCTL to TCP.',
          ),
          p('Status', 'Status of the failure.', 'status'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xbc,
      {
        summary: 'Another machine has the IP address this one was given while booting from the network.',
        parameters: [
          p('IP address', 'The address as a DWORD: aa.bb.cc.dd shows as 0xDDCCBBAA.'),
          p(
            'Hardware address',
            'Of the other machine; on Ethernet (parameter 4 is 0) the first four MAC bytes, 0xAABBCCDD.',
          ),
          p('Hardware address', 'Of the other machine; on Ethernet the last two MAC bytes, 0xEEFF0000.'),
          p('Hardware address', 'Of the other machine; 0 on Ethernet.'),
        ],
      },
    ],
    [
      0xbd,
      {
        summary: 'The hibernated image does not match the hardware: it changed while the system hibernated.',
        parameters: [
          p('Hardware', 'What changed: 1 fewer processors than before hibernation.'),
          p('Before', 'For 1: processors before hibernation.'),
          p('After', 'For 1: processors after.'),
          RESERVED,
        ],
      },
    ],
    [
      0xbe,
      {
        summary: 'A driver tried to write to read-only memory.',
        parameters: [
          accessedAddress('Address', 'Virtual address of the attempted write.', 'write'),
          p('PTE contents', 'Contents of the PTE mapping that address.'),
          RESERVED,
          RESERVED,
        ],
      },
    ],
    [
      0xbf,
      {
        summary: 'A thread tried to acquire a mutex it already owns.',
        parameters: [p('Mutex', 'Address of the mutex.'), p('Thread', 'The thread at fault.'), ZERO, RESERVED],
      },
    ],
  ];
}
