/** Parameter meanings of the codes 0x80–0xBF, in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import {
  BY_P1,
  DEVICE_OBJECT,
  EXCEPTION_ADDRESS,
  EXCEPTION_CODE,
  RESERVED,
  TRIAGE_9F_POWER,
  ZERO,
  p,
} from './common.js';

export const DETAILS_0080: DetailRows = [
  [
    0x0000008e,
    {
      summary: 'An exception raised by kernel-mode code was not caught by the error handler.',
      parameters: [
        EXCEPTION_CODE,
        EXCEPTION_ADDRESS,
        p('Trap frame', 'Address of the trap frame (`.trap` on it).'),
        RESERVED,
      ],
    },
  ],
  [
    0x0000009c,
    {
      summary: 'The processor reported a fatal machine check (hardware error); newer systems report 0x124 instead.',
      parameters: [
        p('Bank', 'Machine check bank that reported the error (Pentium-class without MCA: low 32 bits of P5_MC_TYPE).'),
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
          'A page about to be written to the hibernation file failed its checksum.',
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
          [p('Status', 'NTSTATUS of the failure.'), p('Mirroring phase', 'Phase of mirroring reached.'), RESERVED],
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
            p('Status', 'NTSTATUS of the failure.'),
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
            p('Status', 'NTSTATUS of the failure.'),
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
        [0x704, 'A coordinated idle state transition did not complete in time.', [RESERVED, RESERVED, RESERVED]],
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
      ],
    },
  ],
  [
    0x000000be,
    {
      summary: 'A driver tried to write to read-only memory.',
      parameters: [
        p('Address', 'Virtual address of the attempted write.'),
        p('PTE contents', 'Contents of the PTE mapping that address.'),
        RESERVED,
        RESERVED,
      ],
    },
  ],
];
