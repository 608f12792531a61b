/** Parameter meanings of the codes 0x140–0x1FF, in our own words (facts from each code's public reference page). */
import type { DetailRows } from './common.js';
import { BY_P1, RESERVED, XHCI_CONTEXT, p } from './common.js';

export const DETAILS_0140: DetailRows = [
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
