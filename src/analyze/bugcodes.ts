/**
 * The bug check codes of Microsoft's public "Bug check code reference" (379 codes,
 * as of the reference dated 2025-07-15), with what their four parameters mean for
 * the codes an analyst meets most often.
 *
 * Codes and symbolic names are facts copied exactly; every summary and parameter
 * meaning is our own wording. Codes the reference lists only as live dump codes
 * (for example 0x141, 0x15F) are not in this table.
 */

export interface BugCheckParameterInfo {
  /** Short label, as an analyzer would print it (e.g. 'Memory referenced'). */
  readonly name: string;
  readonly meaning: string;
}

export type BugCheckParameterNumber = 1 | 2 | 3 | 4;

export type BugCheckParameterInfos = readonly [
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
  BugCheckParameterInfo,
];

/** One value of the selecting parameter of a code whose other parameters change meaning with it. */
export interface BugCheckCaseInfo {
  readonly description: string;
  /**
   * Meanings of the three parameters other than the selector, in parameter
   * order (P2, P3, P4 when P1 selects; P1, P2, P3 when P4 selects). Absent when
   * the code's general parameter meanings apply unchanged.
   */
  readonly parameters?: readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo];
}

export interface BugCheckCodeInfo {
  /** Unsigned 32-bit code, e.g. 0x1000007E. */
  readonly code: number;
  /** Symbolic name, e.g. 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M'. */
  readonly name: string;
  readonly summary?: string;
  readonly parameters?: BugCheckParameterInfos;
  /** Which parameter selects an entry of `cases`; 1 when absent. */
  readonly caseParameter?: BugCheckParameterNumber;
  /** Selector value → what that value means and what the other three parameters then hold. */
  readonly cases?: ReadonlyMap<number, BugCheckCaseInfo>;
}

/** Bit that marks the `_M` variants (0x1000007E and friends) of a base code. */
export const BUG_CHECK_M_VARIANT_BIT = 0x10000000;

/** Prefix of the name given to a code that is not in the table. */
export const UNKNOWN_BUG_CHECK_NAME_PREFIX = 'UNKNOWN_BUGCHECK_CODE_';

// The table of codes and names, in the order of the reference (ascending).
const CODE_NAMES: readonly (readonly [number, string])[] = [
  [0x00000001, 'APC_INDEX_MISMATCH'],
  [0x00000002, 'DEVICE_QUEUE_NOT_BUSY'],
  [0x00000003, 'INVALID_AFFINITY_SET'],
  [0x00000004, 'INVALID_DATA_ACCESS_TRAP'],
  [0x00000005, 'INVALID_PROCESS_ATTACH_ATTEMPT'],
  [0x00000006, 'INVALID_PROCESS_DETACH_ATTEMPT'],
  [0x00000007, 'INVALID_SOFTWARE_INTERRUPT'],
  [0x00000008, 'IRQL_NOT_DISPATCH_LEVEL'],
  [0x00000009, 'IRQL_NOT_GREATER_OR_EQUAL'],
  [0x0000000a, 'IRQL_NOT_LESS_OR_EQUAL'],
  [0x0000000b, 'NO_EXCEPTION_HANDLING_SUPPORT'],
  [0x0000000c, 'MAXIMUM_WAIT_OBJECTS_EXCEEDED'],
  [0x0000000d, 'MUTEX_LEVEL_NUMBER_VIOLATION'],
  [0x0000000e, 'NO_USER_MODE_CONTEXT'],
  [0x0000000f, 'SPIN_LOCK_ALREADY_OWNED'],
  [0x00000010, 'SPIN_LOCK_NOT_OWNED'],
  [0x00000011, 'THREAD_NOT_MUTEX_OWNER'],
  [0x00000012, 'TRAP_CAUSE_UNKNOWN'],
  [0x00000013, 'EMPTY_THREAD_REAPER_LIST'],
  [0x00000014, 'CREATE_DELETE_LOCK_NOT_LOCKED'],
  [0x00000015, 'LAST_CHANCE_CALLED_FROM_KMODE'],
  [0x00000016, 'CID_HANDLE_CREATION'],
  [0x00000017, 'CID_HANDLE_DELETION'],
  [0x00000018, 'REFERENCE_BY_POINTER'],
  [0x00000019, 'BAD_POOL_HEADER'],
  [0x0000001a, 'MEMORY_MANAGEMENT'],
  [0x0000001b, 'PFN_SHARE_COUNT'],
  [0x0000001c, 'PFN_REFERENCE_COUNT'],
  [0x0000001d, 'NO_SPIN_LOCK_AVAILABLE'],
  [0x0000001e, 'KMODE_EXCEPTION_NOT_HANDLED'],
  [0x0000001f, 'SHARED_RESOURCE_CONV_ERROR'],
  [0x00000020, 'KERNEL_APC_PENDING_DURING_EXIT'],
  [0x00000021, 'QUOTA_UNDERFLOW'],
  [0x00000022, 'FILE_SYSTEM'],
  [0x00000023, 'FAT_FILE_SYSTEM'],
  [0x00000024, 'NTFS_FILE_SYSTEM'],
  [0x00000025, 'NPFS_FILE_SYSTEM'],
  [0x00000026, 'CDFS_FILE_SYSTEM'],
  [0x00000027, 'RDR_FILE_SYSTEM'],
  [0x00000028, 'CORRUPT_ACCESS_TOKEN'],
  [0x00000029, 'SECURITY_SYSTEM'],
  [0x0000002a, 'INCONSISTENT_IRP'],
  [0x0000002b, 'PANIC_STACK_SWITCH'],
  [0x0000002c, 'PORT_DRIVER_INTERNAL'],
  [0x0000002d, 'SCSI_DISK_DRIVER_INTERNAL'],
  [0x0000002e, 'DATA_BUS_ERROR'],
  [0x0000002f, 'INSTRUCTION_BUS_ERROR'],
  [0x00000030, 'SET_OF_INVALID_CONTEXT'],
  [0x00000031, 'PHASE0_INITIALIZATION_FAILED'],
  [0x00000032, 'PHASE1_INITIALIZATION_FAILED'],
  [0x00000033, 'UNEXPECTED_INITIALIZATION_CALL'],
  [0x00000034, 'CACHE_MANAGER'],
  [0x00000035, 'NO_MORE_IRP_STACK_LOCATIONS'],
  [0x00000036, 'DEVICE_REFERENCE_COUNT_NOT_ZERO'],
  [0x00000037, 'FLOPPY_INTERNAL_ERROR'],
  [0x00000038, 'SERIAL_DRIVER_INTERNAL'],
  [0x00000039, 'SYSTEM_EXIT_OWNED_MUTEX'],
  [0x0000003a, 'SYSTEM_UNWIND_PREVIOUS_USER'],
  [0x0000003b, 'SYSTEM_SERVICE_EXCEPTION'],
  [0x0000003c, 'INTERRUPT_UNWIND_ATTEMPTED'],
  [0x0000003d, 'INTERRUPT_EXCEPTION_NOT_HANDLED'],
  [0x0000003e, 'MULTIPROCESSOR_CONFIGURATION_NOT_SUPPORTED'],
  [0x0000003f, 'NO_MORE_SYSTEM_PTES'],
  [0x00000040, 'TARGET_MDL_TOO_SMALL'],
  [0x00000041, 'MUST_SUCCEED_POOL_EMPTY'],
  [0x00000042, 'ATDISK_DRIVER_INTERNAL'],
  [0x00000043, 'NO_SUCH_PARTITION'],
  [0x00000044, 'MULTIPLE_IRP_COMPLETE_REQUESTS'],
  [0x00000045, 'INSUFFICIENT_SYSTEM_MAP_REGS'],
  [0x00000046, 'DEREF_UNKNOWN_LOGON_SESSION'],
  [0x00000047, 'REF_UNKNOWN_LOGON_SESSION'],
  [0x00000048, 'CANCEL_STATE_IN_COMPLETED_IRP'],
  [0x00000049, 'PAGE_FAULT_WITH_INTERRUPTS_OFF'],
  [0x0000004a, 'IRQL_GT_ZERO_AT_SYSTEM_SERVICE'],
  [0x0000004b, 'STREAMS_INTERNAL_ERROR'],
  [0x0000004c, 'FATAL_UNHANDLED_HARD_ERROR'],
  [0x0000004d, 'NO_PAGES_AVAILABLE'],
  [0x0000004e, 'PFN_LIST_CORRUPT'],
  [0x0000004f, 'NDIS_INTERNAL_ERROR'],
  [0x00000050, 'PAGE_FAULT_IN_NONPAGED_AREA'],
  [0x00000051, 'REGISTRY_ERROR'],
  [0x00000052, 'MAILSLOT_FILE_SYSTEM'],
  [0x00000053, 'NO_BOOT_DEVICE'],
  [0x00000054, 'LM_SERVER_INTERNAL_ERROR'],
  [0x00000055, 'DATA_COHERENCY_EXCEPTION'],
  [0x00000056, 'INSTRUCTION_COHERENCY_EXCEPTION'],
  [0x00000057, 'XNS_INTERNAL_ERROR'],
  [0x00000058, 'FTDISK_INTERNAL_ERROR'],
  [0x00000059, 'PINBALL_FILE_SYSTEM'],
  [0x0000005a, 'CRITICAL_SERVICE_FAILED'],
  [0x0000005b, 'SET_ENV_VAR_FAILED'],
  [0x0000005c, 'HAL_INITIALIZATION_FAILED'],
  [0x0000005d, 'UNSUPPORTED_PROCESSOR'],
  [0x0000005e, 'OBJECT_INITIALIZATION_FAILED'],
  [0x0000005f, 'SECURITY_INITIALIZATION_FAILED'],
  [0x00000060, 'PROCESS_INITIALIZATION_FAILED'],
  [0x00000061, 'HAL1_INITIALIZATION_FAILED'],
  [0x00000062, 'OBJECT1_INITIALIZATION_FAILED'],
  [0x00000063, 'SECURITY1_INITIALIZATION_FAILED'],
  [0x00000064, 'SYMBOLIC_INITIALIZATION_FAILED'],
  [0x00000065, 'MEMORY1_INITIALIZATION_FAILED'],
  [0x00000066, 'CACHE_INITIALIZATION_FAILED'],
  [0x00000067, 'CONFIG_INITIALIZATION_FAILED'],
  [0x00000068, 'FILE_INITIALIZATION_FAILED'],
  [0x00000069, 'IO1_INITIALIZATION_FAILED'],
  [0x0000006a, 'LPC_INITIALIZATION_FAILED'],
  [0x0000006b, 'PROCESS1_INITIALIZATION_FAILED'],
  [0x0000006c, 'REFMON_INITIALIZATION_FAILED'],
  [0x0000006d, 'SESSION1_INITIALIZATION_FAILED'],
  [0x0000006e, 'SESSION2_INITIALIZATION_FAILED'],
  [0x0000006f, 'SESSION3_INITIALIZATION_FAILED'],
  [0x00000070, 'SESSION4_INITIALIZATION_FAILED'],
  [0x00000071, 'SESSION5_INITIALIZATION_FAILED'],
  [0x00000072, 'ASSIGN_DRIVE_LETTERS_FAILED'],
  [0x00000073, 'CONFIG_LIST_FAILED'],
  [0x00000074, 'BAD_SYSTEM_CONFIG_INFO'],
  [0x00000075, 'CANNOT_WRITE_CONFIGURATION'],
  [0x00000076, 'PROCESS_HAS_LOCKED_PAGES'],
  [0x00000077, 'KERNEL_STACK_INPAGE_ERROR'],
  [0x00000078, 'PHASE0_EXCEPTION'],
  [0x00000079, 'MISMATCHED_HAL'],
  [0x0000007a, 'KERNEL_DATA_INPAGE_ERROR'],
  [0x0000007b, 'INACCESSIBLE_BOOT_DEVICE'],
  [0x0000007c, 'BUGCODE_NDIS_DRIVER'],
  [0x0000007d, 'INSTALL_MORE_MEMORY'],
  [0x0000007e, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED'],
  [0x0000007f, 'UNEXPECTED_KERNEL_MODE_TRAP'],
  [0x00000080, 'NMI_HARDWARE_FAILURE'],
  [0x00000081, 'SPIN_LOCK_INIT_FAILURE'],
  [0x00000082, 'DFS_FILE_SYSTEM'],
  [0x00000085, 'SETUP_FAILURE'],
  [0x0000008b, 'MBR_CHECKSUM_MISMATCH'],
  [0x0000008e, 'KERNEL_MODE_EXCEPTION_NOT_HANDLED'],
  [0x0000008f, 'PP0_INITIALIZATION_FAILED'],
  [0x00000090, 'PP1_INITIALIZATION_FAILED'],
  [0x00000092, 'UP_DRIVER_ON_MP_SYSTEM'],
  [0x00000093, 'INVALID_KERNEL_HANDLE'],
  [0x00000094, 'KERNEL_STACK_LOCKED_AT_EXIT'],
  [0x00000096, 'INVALID_WORK_QUEUE_ITEM'],
  [0x00000097, 'BOUND_IMAGE_UNSUPPORTED'],
  [0x00000098, 'END_OF_NT_EVALUATION_PERIOD'],
  [0x00000099, 'INVALID_REGION_OR_SEGMENT'],
  [0x0000009a, 'SYSTEM_LICENSE_VIOLATION'],
  [0x0000009b, 'UDFS_FILE_SYSTEM'],
  [0x0000009c, 'MACHINE_CHECK_EXCEPTION'],
  [0x0000009e, 'USER_MODE_HEALTH_MONITOR'],
  [0x0000009f, 'DRIVER_POWER_STATE_FAILURE'],
  [0x000000a0, 'INTERNAL_POWER_ERROR'],
  [0x000000a1, 'PCI_BUS_DRIVER_INTERNAL'],
  [0x000000a2, 'MEMORY_IMAGE_CORRUPT'],
  [0x000000a3, 'ACPI_DRIVER_INTERNAL'],
  [0x000000a4, 'CNSS_FILE_SYSTEM_FILTER'],
  [0x000000a5, 'ACPI_BIOS_ERROR'],
  [0x000000a7, 'BAD_EXHANDLE'],
  [0x000000ac, 'HAL_MEMORY_ALLOCATION'],
  [0x000000ad, 'VIDEO_DRIVER_DEBUG_REPORT_REQUEST'],
  [0x000000b1, 'BGI_DETECTED_VIOLATION'],
  [0x000000b4, 'VIDEO_DRIVER_INIT_FAILURE'],
  [0x000000b8, 'ATTEMPTED_SWITCH_FROM_DPC'],
  [0x000000b9, 'CHIPSET_DETECTED_ERROR'],
  [0x000000ba, 'SESSION_HAS_VALID_VIEWS_ON_EXIT'],
  [0x000000bb, 'NETWORK_BOOT_INITIALIZATION_FAILED'],
  [0x000000bc, 'NETWORK_BOOT_DUPLICATE_ADDRESS'],
  [0x000000bd, 'INVALID_HIBERNATED_STATE'],
  [0x000000be, 'ATTEMPTED_WRITE_TO_READONLY_MEMORY'],
  [0x000000bf, 'MUTEX_ALREADY_OWNED'],
  [0x000000c1, 'SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION'],
  [0x000000c2, 'BAD_POOL_CALLER'],
  [0x000000c4, 'DRIVER_VERIFIER_DETECTED_VIOLATION'],
  [0x000000c5, 'DRIVER_CORRUPTED_EXPOOL'],
  [0x000000c6, 'DRIVER_CAUGHT_MODIFYING_FREED_POOL'],
  [0x000000c7, 'TIMER_OR_DPC_INVALID'],
  [0x000000c8, 'IRQL_UNEXPECTED_VALUE'],
  [0x000000c9, 'DRIVER_VERIFIER_IOMANAGER_VIOLATION'],
  [0x000000ca, 'PNP_DETECTED_FATAL_ERROR'],
  [0x000000cb, 'DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS'],
  [0x000000cc, 'PAGE_FAULT_IN_FREED_SPECIAL_POOL'],
  [0x000000cd, 'PAGE_FAULT_BEYOND_END_OF_ALLOCATION'],
  [0x000000ce, 'DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS'],
  [0x000000cf, 'TERMINAL_SERVER_DRIVER_MADE_INCORRECT_MEMORY_REFERENCE'],
  [0x000000d0, 'DRIVER_CORRUPTED_MMPOOL'],
  [0x000000d1, 'DRIVER_IRQL_NOT_LESS_OR_EQUAL'],
  [0x000000d2, 'BUGCODE_ID_DRIVER'],
  [0x000000d3, 'DRIVER_PORTION_MUST_BE_NONPAGED'],
  [0x000000d4, 'SYSTEM_SCAN_AT_RAISED_IRQL_CAUGHT_IMPROPER_DRIVER_UNLOAD'],
  [0x000000d5, 'DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL'],
  [0x000000d6, 'DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION'],
  [0x000000d7, 'DRIVER_UNMAPPING_INVALID_VIEW'],
  [0x000000d8, 'DRIVER_USED_EXCESSIVE_PTES'],
  [0x000000d9, 'LOCKED_PAGES_TRACKER_CORRUPTION'],
  [0x000000da, 'SYSTEM_PTE_MISUSE'],
  [0x000000db, 'DRIVER_CORRUPTED_SYSPTES'],
  [0x000000dc, 'DRIVER_INVALID_STACK_ACCESS'],
  [0x000000de, 'POOL_CORRUPTION_IN_FILE_AREA'],
  [0x000000df, 'IMPERSONATING_WORKER_THREAD'],
  [0x000000e0, 'ACPI_BIOS_FATAL_ERROR'],
  [0x000000e1, 'WORKER_THREAD_RETURNED_AT_BAD_IRQL'],
  [0x000000e2, 'MANUALLY_INITIATED_CRASH'],
  [0x000000e3, 'RESOURCE_NOT_OWNED'],
  [0x000000e4, 'WORKER_INVALID'],
  [0x000000e6, 'DRIVER_VERIFIER_DMA_VIOLATION'],
  [0x000000e7, 'INVALID_FLOATING_POINT_STATE'],
  [0x000000e8, 'INVALID_CANCEL_OF_FILE_OPEN'],
  [0x000000e9, 'ACTIVE_EX_WORKER_THREAD_TERMINATION'],
  [0x000000ea, 'THREAD_STUCK_IN_DEVICE_DRIVER'],
  [0x000000eb, 'DIRTY_MAPPED_PAGES_CONGESTION'],
  [0x000000ec, 'SESSION_HAS_VALID_SPECIAL_POOL_ON_EXIT'],
  [0x000000ed, 'UNMOUNTABLE_BOOT_VOLUME'],
  [0x000000ef, 'CRITICAL_PROCESS_DIED'],
  [0x000000f0, 'STORAGE_MINIPORT_ERROR'],
  [0x000000f1, 'SCSI_VERIFIER_DETECTED_VIOLATION'],
  [0x000000f2, 'HARDWARE_INTERRUPT_STORM'],
  [0x000000f3, 'DISORDERLY_SHUTDOWN'],
  [0x000000f4, 'CRITICAL_OBJECT_TERMINATION'],
  [0x000000f5, 'FLTMGR_FILE_SYSTEM'],
  [0x000000f6, 'PCI_VERIFIER_DETECTED_VIOLATION'],
  [0x000000f7, 'DRIVER_OVERRAN_STACK_BUFFER'],
  [0x000000f8, 'RAMDISK_BOOT_INITIALIZATION_FAILED'],
  [0x000000f9, 'DRIVER_RETURNED_STATUS_REPARSE_FOR_VOLUME_OPEN'],
  [0x000000fa, 'HTTP_DRIVER_CORRUPTED'],
  [0x000000fc, 'ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY'],
  [0x000000fd, 'DIRTY_NOWRITE_PAGES_CONGESTION'],
  [0x000000fe, 'BUGCODE_USB_DRIVER'],
  [0x000000ff, 'RESERVE_QUEUE_OVERFLOW'],
  [0x00000100, 'LOADER_BLOCK_MISMATCH'],
  [0x00000101, 'CLOCK_WATCHDOG_TIMEOUT'],
  [0x00000102, 'DPC_WATCHDOG_TIMEOUT'],
  [0x00000103, 'MUP_FILE_SYSTEM'],
  [0x00000104, 'AGP_INVALID_ACCESS'],
  [0x00000105, 'AGP_GART_CORRUPTION'],
  [0x00000106, 'AGP_ILLEGALLY_REPROGRAMMED'],
  [0x00000108, 'THIRD_PARTY_FILE_SYSTEM_FAILURE'],
  [0x00000109, 'CRITICAL_STRUCTURE_CORRUPTION'],
  [0x0000010a, 'APP_TAGGING_INITIALIZATION_FAILED'],
  [0x0000010c, 'FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION'],
  [0x0000010d, 'WDF_VIOLATION'],
  [0x0000010e, 'VIDEO_MEMORY_MANAGEMENT_INTERNAL'],
  [0x0000010f, 'RESOURCE_MANAGER_EXCEPTION_NOT_HANDLED'],
  [0x00000111, 'RECURSIVE_NMI'],
  [0x00000112, 'MSRPC_STATE_VIOLATION'],
  [0x00000113, 'VIDEO_DXGKRNL_FATAL_ERROR'],
  [0x00000114, 'VIDEO_SHADOW_DRIVER_FATAL_ERROR'],
  [0x00000115, 'AGP_INTERNAL'],
  [0x00000116, 'VIDEO_TDR_FAILURE'],
  [0x00000117, 'VIDEO_TDR_TIMEOUT_DETECTED'],
  [0x00000119, 'VIDEO_SCHEDULER_INTERNAL_ERROR'],
  [0x0000011a, 'EM_INITIALIZATION_FAILURE'],
  [0x0000011b, 'DRIVER_RETURNED_HOLDING_CANCEL_LOCK'],
  [0x0000011c, 'ATTEMPTED_WRITE_TO_CM_PROTECTED_STORAGE'],
  [0x0000011d, 'EVENT_TRACING_FATAL_ERROR'],
  [0x0000011e, 'TOO_MANY_RECURSIVE_FAULTS'],
  [0x0000011f, 'INVALID_DRIVER_HANDLE'],
  [0x00000120, 'BITLOCKER_FATAL_ERROR'],
  [0x00000121, 'DRIVER_VIOLATION'],
  [0x00000122, 'WHEA_INTERNAL_ERROR'],
  [0x00000123, 'CRYPTO_SELF_TEST_FAILURE'],
  [0x00000124, 'WHEA_UNCORRECTABLE_ERROR'],
  [0x00000125, 'NMR_INVALID_STATE'],
  [0x00000126, 'NETIO_INVALID_POOL_CALLER'],
  [0x00000127, 'PAGE_NOT_ZERO'],
  [0x00000128, 'WORKER_THREAD_RETURNED_WITH_BAD_IO_PRIORITY'],
  [0x00000129, 'WORKER_THREAD_RETURNED_WITH_BAD_PAGING_IO_PRIORITY'],
  [0x0000012a, 'MUI_NO_VALID_SYSTEM_LANGUAGE'],
  [0x0000012b, 'FAULTY_HARDWARE_CORRUPTED_PAGE'],
  [0x0000012c, 'EXFAT_FILE_SYSTEM'],
  [0x0000012d, 'VOLSNAP_OVERLAPPED_TABLE_ACCESS'],
  [0x0000012e, 'INVALID_MDL_RANGE'],
  [0x0000012f, 'VHD_BOOT_INITIALIZATION_FAILED'],
  [0x00000130, 'DYNAMIC_ADD_PROCESSOR_MISMATCH'],
  [0x00000131, 'INVALID_EXTENDED_PROCESSOR_STATE'],
  [0x00000132, 'RESOURCE_OWNER_POINTER_INVALID'],
  [0x00000133, 'DPC_WATCHDOG_VIOLATION'],
  [0x00000134, 'DRIVE_EXTENDER'],
  [0x00000135, 'REGISTRY_FILTER_DRIVER_EXCEPTION'],
  [0x00000136, 'VHD_BOOT_HOST_VOLUME_NOT_ENOUGH_SPACE'],
  [0x00000137, 'WIN32K_HANDLE_MANAGER'],
  [0x00000138, 'GPIO_CONTROLLER_DRIVER_ERROR'],
  [0x00000139, 'KERNEL_SECURITY_CHECK_FAILURE'],
  [0x0000013a, 'KERNEL_MODE_HEAP_CORRUPTION'],
  [0x0000013b, 'PASSIVE_INTERRUPT_ERROR'],
  [0x0000013c, 'INVALID_IO_BOOST_STATE'],
  [0x0000013d, 'CRITICAL_INITIALIZATION_FAILURE'],
  [0x00000140, 'STORAGE_DEVICE_ABNORMALITY_DETECTED'],
  [0x00000143, 'PROCESSOR_DRIVER_INTERNAL'],
  [0x00000144, 'BUGCODE_USB3_DRIVER'],
  [0x00000145, 'SECURE_BOOT_VIOLATION'],
  [0x00000147, 'ABNORMAL_RESET_DETECTED'],
  [0x00000149, 'REFS_FILE_SYSTEM'],
  [0x0000014a, 'KERNEL_WMI_INTERNAL'],
  [0x0000014b, 'SOC_SUBSYSTEM_FAILURE'],
  [0x0000014c, 'FATAL_ABNORMAL_RESET_ERROR'],
  [0x0000014d, 'EXCEPTION_SCOPE_INVALID'],
  [0x0000014e, 'SOC_CRITICAL_DEVICE_REMOVED'],
  [0x0000014f, 'PDC_WATCHDOG_TIMEOUT'],
  [0x00000150, 'TCPIP_AOAC_NIC_ACTIVE_REFERENCE_LEAK'],
  [0x00000151, 'UNSUPPORTED_INSTRUCTION_MODE'],
  [0x00000152, 'INVALID_PUSH_LOCK_FLAGS'],
  [0x00000153, 'KERNEL_LOCK_ENTRY_LEAKED_ON_THREAD_TERMINATION'],
  [0x00000154, 'UNEXPECTED_STORE_EXCEPTION'],
  [0x00000155, 'OS_DATA_TAMPERING'],
  [0x00000157, 'KERNEL_THREAD_PRIORITY_FLOOR_VIOLATION'],
  [0x00000158, 'ILLEGAL_IOMMU_PAGE_FAULT'],
  [0x00000159, 'HAL_ILLEGAL_IOMMU_PAGE_FAULT'],
  [0x0000015a, 'SDBUS_INTERNAL_ERROR'],
  [0x0000015b, 'WORKER_THREAD_RETURNED_WITH_SYSTEM_PAGE_PRIORITY_ACTIVE'],
  [0x00000160, 'WIN32K_ATOMIC_CHECK_FAILURE'],
  [0x00000162, 'KERNEL_AUTO_BOOST_INVALID_LOCK_RELEASE'],
  [0x00000163, 'WORKER_THREAD_TEST_CONDITION'],
  [0x00000164, 'WIN32K_CRITICAL_FAILURE'],
  [0x0000016c, 'INVALID_RUNDOWN_PROTECTION_FLAGS'],
  [0x0000016d, 'INVALID_SLOT_ALLOCATOR_FLAGS'],
  [0x0000016e, 'ERESOURCE_INVALID_RELEASE'],
  [0x00000170, 'CLUSTER_CSV_CLUSSVC_DISCONNECT_WATCHDOG'],
  [0x00000171, 'CRYPTO_LIBRARY_INTERNAL_ERROR'],
  [0x00000173, 'COREMSGCALL_INTERNAL_ERROR'],
  [0x00000174, 'COREMSG_INTERNAL_ERROR'],
  [0x00000178, 'ELAM_DRIVER_DETECTED_FATAL_ERROR'],
  [0x0000017b, 'PROFILER_CONFIGURATION_ILLEGAL'],
  [0x0000017e, 'MICROCODE_REVISION_MISMATCH'],
  [0x00000187, 'VIDEO_DWMINIT_TIMEOUT_FALLBACK_BDD'],
  [0x00000189, 'BAD_OBJECT_HEADER'],
  [0x0000018b, 'SECURE_KERNEL_ERROR'],
  [0x0000018c, 'HYPERGUARD_VIOLATION'],
  [0x0000018d, 'SECURE_FAULT_UNHANDLED'],
  [0x0000018e, 'KERNEL_PARTITION_REFERENCE_VIOLATION'],
  [0x00000191, 'PF_DETECTED_CORRUPTION'],
  [0x00000192, 'KERNEL_AUTO_BOOST_LOCK_ACQUISITION_WITH_RAISED_IRQL'],
  [0x00000196, 'LOADER_ROLLBACK_DETECTED'],
  [0x00000197, 'WIN32K_SECURITY_FAILURE'],
  [0x00000199, 'KERNEL_STORAGE_SLOT_IN_USE'],
  [0x0000019a, 'WORKER_THREAD_RETURNED_WHILE_ATTACHED_TO_SILO'],
  [0x0000019b, 'TTM_FATAL_ERROR'],
  [0x0000019c, 'WIN32K_POWER_WATCHDOG_TIMEOUT'],
  [0x000001a0, 'TTM_WATCHDOG_TIMEOUT'],
  [0x000001a2, 'WIN32K_CALLOUT_WATCHDOG_BUGCHECK'],
  [0x000001aa, 'EXCEPTION_ON_INVALID_STACK'],
  [0x000001ab, 'UNWIND_ON_INVALID_STACK'],
  [0x000001c6, 'FAST_ERESOURCE_PRECONDITION_VIOLATION'],
  [0x000001c7, 'STORE_DATA_STRUCTURE_CORRUPTION'],
  [0x000001c8, 'MANUALLY_INITIATED_POWER_BUTTON_HOLD'],
  [0x000001ca, 'SYNTHETIC_WATCHDOG_TIMEOUT'],
  [0x000001cb, 'INVALID_SILO_DETACH'],
  [0x000001cd, 'INVALID_CALLBACK_STACK_ADDRESS'],
  [0x000001ce, 'INVALID_KERNEL_STACK_ADDRESS'],
  [0x000001cf, 'HARDWARE_WATCHDOG_TIMEOUT'],
  [0x000001d0, 'ACPI_FIRMWARE_WATCHDOG_TIMEOUT'], // the reference's table cell reads CPI_…, a typo; its own page and bugcodes.h say ACPI_…
  [0x000001d2, 'WORKER_THREAD_INVALID_STATE'],
  [0x000001d3, 'WFP_INVALID_OPERATION'],
  [0x000001d5, 'DRIVER_PNP_WATCHDOG'],
  [0x000001d6, 'WORKER_THREAD_RETURNED_WITH_NON_DEFAULT_WORKLOAD_CLASS'],
  [0x000001d7, 'EFS_FATAL_ERROR'],
  [0x000001d8, 'UCMUCSI_FAILURE'],
  [0x000001d9, 'HAL_IOMMU_INTERNAL_ERROR'],
  [0x000001da, 'HAL_BLOCKED_PROCESSOR_INTERNAL_ERROR'],
  [0x000001db, 'IPI_WATCHDOG_TIMEOUT'],
  [0x000001dc, 'DMA_COMMON_BUFFER_VECTOR_ERROR'],
  [0x000001dd, 'BUGCODE_MBBADAPTER_DRIVER'],
  [0x000001de, 'BUGCODE_WIFIADAPTER_DRIVER'],
  [0x000001df, 'PROCESSOR_START_TIMEOUT'],
  [0x000001e4, 'VIDEO_DXGKRNL_SYSMM_FATAL_ERROR'],
  [0x000001e9, 'ILLEGAL_ATS_INITIALIZATION'],
  [0x000001ea, 'SECURE_PCI_CONFIG_SPACE_ACCESS_VIOLATION'],
  [0x000001eb, 'DAM_WATCHDOG_TIMEOUT'],
  [0x000001ed, 'HANDLE_ERROR_ON_CRITICAL_THREAD'],
  [0x000001f1, 'KASAN_ENLIGHTENMENT_VIOLATION'],
  [0x000001f2, 'KASAN_ILLEGAL_ACCESS'],
  [0x00000356, 'XBOX_ERACTRL_CS_TIMEOUT'],
  [0x00000bfe, 'BC_BLUETOOTH_VERIFIER_FAULT'],
  [0x00000bff, 'BC_BTHMINI_VERIFIER_FAULT'],
  [0x00020001, 'HYPERVISOR_ERROR'],
  [0x1000007e, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M'],
  [0x1000007f, 'UNEXPECTED_KERNEL_MODE_TRAP_M'],
  [0x1000008e, 'KERNEL_MODE_EXCEPTION_NOT_HANDLED_M'],
  [0x100000ea, 'THREAD_STUCK_IN_DEVICE_DRIVER_M'],
  [0x4000008a, 'THREAD_TERMINATE_HELD_MUTEX'],
  [0xc0000218, 'STATUS_CANNOT_LOAD_REGISTRY_FILE'],
  [0xc000021a, 'WINLOGON_FATAL_ERROR'],
  [0xc0000221, 'STATUS_IMAGE_CHECKSUM_MISMATCH'],
  [0xdeaddead, 'MANUALLY_INITIATED_CRASH1'],
];

// ---------------------------------------------------------------------------
// Parameter meanings, in our own words, for the codes seen most often in the
// field. Facts checked against each code's page in the public bug check
// reference; the wording is ours.
// ---------------------------------------------------------------------------

type Params = readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo];
type OtherParams = readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo];
/** [selector value(s), description, meanings of the other three parameters]. */
type CaseRow = readonly [number | readonly number[], string, OtherParams?];

interface Detail {
  readonly summary: string;
  readonly parameters?: Params;
  readonly caseParameter?: BugCheckParameterNumber;
  readonly cases?: readonly CaseRow[];
}

function p(name: string, meaning: string): BugCheckParameterInfo {
  return { name, meaning };
}

const RESERVED = p('Reserved', 'No documented meaning.');
const ZERO = p('Zero', 'Always 0.');
const NOT_USED = p('Not used', 'This bug check defines no meaning for this parameter.');
const NONE: Params = [NOT_USED, NOT_USED, NOT_USED, NOT_USED];

function dependsOn(selector: BugCheckParameterNumber, n: number): BugCheckParameterInfo {
  return p(`Detail ${n}`, `Meaning depends on the value of parameter ${selector}; see its case.`);
}
const BY_P1: OtherParams = [dependsOn(1, 1), dependsOn(1, 2), dependsOn(1, 3)];

const EXCEPTION_CODE = p(
  'Exception code',
  'NTSTATUS exception code that no handler dealt with (e.g. 0xC0000005 for an access violation).',
);
const EXCEPTION_ADDRESS = p('Exception address', 'Address of the instruction that raised the exception.');
const MEMORY_REFERENCED = p('Memory referenced', 'Virtual address whose access caused the fault.');
const FAULTING_IP = p(
  'Faulting instruction',
  'Address of the instruction that made the reference; `ln` on it names the function.',
);
const FAULTING_IP_IF_KNOWN = p(
  'Faulting instruction',
  'Address of the instruction that made the reference, when it could be determined.',
);
const IRQL_AT_FAULT = p(
  'IRQL',
  'Interrupt request level of the processor when the access happened (2 is DISPATCH_LEVEL).',
);
const READ_OR_WRITE = p('Access', '0 when the access was a read, 1 when it was a write.');
const POOL_TYPE = p('Pool type', 'POOL_TYPE of the request (0 nonpaged, 1 paged, and so on).');
const CURRENT_IRQL = p('Current IRQL', 'IRQL of the processor when the check failed.');
const POOL_ADDRESS = p('Pool address', 'Address of the pool block involved.');
const DEVICE_OBJECT = p('Device object', 'Address of the DEVICE_OBJECT involved.');
const MDL = p('MDL', 'Address of the memory descriptor list involved.');
const MDL_FLAGS = p('MDL flags', 'MdlFlags of that MDL.');
const WHEA_RECORD = p('Error record', 'Address of the WHEA_ERROR_RECORD describing the hardware error.');
const TDR_CONTEXT = p(
  'TDR context',
  'Address of the internal timeout detection and recovery context, if there is one.',
);
const DRIVER_MODULE_POINTER = p(
  'Driver pointer',
  'An address inside the display driver held responsible (for example its owner tag).',
);
const VIDEO_INTERNAL = p('Internal data', 'Context-dependent internal data, if any.');
const RULE_TEXT = p('Rule text', 'Address of a string describing the rule condition that was violated.');
const RULE_STATE = p('Rule state', "Optional address of the rule's state variables (for !ruleinfo).");
const XHCI_CONTEXT = p('XHCI_LIVEDUMP_CONTEXT', "Address of the xHCI controller's live dump context.");
const TRIAGE_9F_POWER = p(
  'nt!_TRIAGE_9F_POWER',
  'Address of a triage block (Windows 7 and later; earlier: the functional device object).',
);

/** Special-pool and pool-fault codes whose layout is: address, access, instruction, reserved. */
const FREED_OR_OVERRUN_POOL: Params = [MEMORY_REFERENCED, READ_OR_WRITE, FAULTING_IP_IF_KNOWN, RESERVED];
/** IRQL fault codes whose layout is: address, IRQL, access, instruction. */
const RAISED_IRQL_FAULT: Params = [MEMORY_REFERENCED, IRQL_AT_FAULT, READ_OR_WRITE, FAULTING_IP];

const DETAILS: ReadonlyMap<number, Detail> = new Map<number, Detail>([
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
  [
    0x0000000a,
    {
      summary:
        'Kernel code touched pageable or invalid memory while running at an IRQL where page faults cannot be serviced.',
      parameters: [
        MEMORY_REFERENCED,
        IRQL_AT_FAULT,
        p(
          'Operation',
          'Bit 0 set for a write, clear for a read; bit 3 set for an instruction fetch (only on hardware that reports it).',
        ),
        FAULTING_IP,
      ],
    },
  ],
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
            p('Faulting address', 'The address written.'),
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
          [p('Address', 'The address written.'), RESERVED, RESERVED],
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
          [p('Status', 'NTSTATUS returned.'), p('Store address', "Virtual address in the store's private range."), MDL],
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
      ],
    },
  ],
  [
    0x0000001e,
    {
      summary: 'An exception raised in kernel mode was not caught by any handler.',
      parameters: [
        EXCEPTION_CODE,
        EXCEPTION_ADDRESS,
        p(
          'Exception parameter 0',
          'ExceptionInformation[0] of the exception record (for an access violation: 0 read, 1 write, 8 execute).',
        ),
        p(
          'Exception parameter 1',
          'ExceptionInformation[1] of the exception record (for an access violation: the address accessed).',
        ),
      ],
    },
  ],
  [
    0x00000024,
    {
      summary: 'The NTFS file system driver hit a condition it cannot recover from.',
      parameters: [
        p('Source location', 'High 16 bits: identifier of the NTFS source file; low 16 bits: line number in it.'),
        p('Exception record', 'Address of the exception record, when NtfsExceptionFilter is on the stack.'),
        p('Context record', 'Address of the context record, when NtfsExceptionFilter is on the stack.'),
        RESERVED,
      ],
    },
  ],
  [
    0x0000003b,
    {
      summary: 'An exception escaped from code running on behalf of a system service.',
      parameters: [
        EXCEPTION_CODE,
        EXCEPTION_ADDRESS,
        p('Context record', 'Address of the context record of the exception.'),
        p('Not used', 'Always 0.'),
      ],
    },
  ],
  [
    0x0000003d,
    {
      summary: 'An exception raised while an interrupt was being serviced was not handled.',
      parameters: [
        p('Exception record', 'Address of the exception record, when available.'),
        p('Context record', 'Address of the context record, when available.'),
        ZERO,
        ZERO,
      ],
    },
  ],
  [
    0x00000044,
    {
      summary: 'A driver completed an IRP that had already been completed.',
      parameters: [p('IRP', 'Address of the IRP completed twice.'), RESERVED, RESERVED, RESERVED],
    },
  ],
  [
    0x0000004a,
    {
      summary: 'A thread went back to user mode from a system call while its IRQL was still above PASSIVE_LEVEL.',
      parameters: [
        p('System call', 'Address of the system service routine.'),
        p('IRQL', 'The IRQL at return.'),
        ZERO,
        ZERO,
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
  [
    0x00000050,
    {
      summary: 'Kernel code referenced memory that is not valid and could not be brought in.',
      parameters: [
        MEMORY_REFERENCED,
        p(
          'Operation',
          'x64/x86 since Windows 10 1507: 0 read, 2 write, 0x10 execute; Arm: 0 read, 1 write, 8 execute; older x64/x86: 0 read, 1 write.',
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
    0x0000007a,
    {
      summary: 'A page of kernel data could not be read back into memory from the paging file.',
      parameters: [
        p(
          'Lock type or PTE',
          'If 1-4 (with the layout below), the kind of lock held; otherwise the address of the PTE of the page.',
        ),
        p('I/O status', 'Status of the failed read (usually an I/O error NTSTATUS such as 0xC000009C or 0xC000016A).'),
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
    0x0000007e,
    {
      summary: 'A system thread raised an exception that no handler caught.',
      parameters: [
        EXCEPTION_CODE,
        EXCEPTION_ADDRESS,
        p('Exception record', 'Address of the EXCEPTION_RECORD (`.exr` on it).'),
        p('Context record', 'Address of the CONTEXT at the exception (`.cxr` on it).'),
      ],
    },
  ],
  [
    0x0000007f,
    {
      summary: 'The processor raised a trap the kernel may not catch, or a double fault.',
      parameters: [
        p('Trap number', 'Processor exception vector that occurred (8, a double fault, is the usual one).'),
        RESERVED,
        RESERVED,
        RESERVED,
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
  [
    0x00000101,
    {
      summary:
        'A secondary processor did not take its expected clock interrupt within the allotted interval: it is hung.',
      parameters: [
        p('Timeout', 'Clock interrupt time-out interval, in nominal clock ticks.'),
        ZERO,
        p('PRCB', 'Address of the processor control block (KPRCB) of the processor not responding.'),
        p('Processor', 'Index of the hung processor.'),
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
  [
    0x00000139,
    {
      summary:
        'A kernel security check (a fast fail) detected damage to a critical structure, such as a stack cookie or a LIST_ENTRY.',
      parameters: [
        p('Check type', 'FAST_FAIL_* code of the check that failed; see its case.'),
        p('Trap frame', 'Address of the trap frame of the failing check (`.trap` on it).'),
        p('Exception record', 'Address of the exception record (`.exr` on it).'),
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
        [0x8, 'A free block was passed to an operation that needs a busy one.'],
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
  [
    0x00020001,
    {
      summary: 'The hypervisor hit an error it cannot recover from.',
      parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
    },
  ],
  [0x1000007e, { summary: 'A system thread raised an exception that no handler caught (the _M form of 0x7E).' }],
  [
    0x1000007f,
    { summary: 'The processor raised a trap the kernel may not catch, or a double fault (the _M form of 0x7F).' },
  ],
  [0x1000008e, { summary: 'An exception raised by kernel-mode code was not caught (the _M form of 0x8E).' }],
  [0x100000ea, { summary: 'A thread in a device driver is spinning without end (the _M form of 0xEA).' }],
  [
    0x4000008a,
    {
      summary: 'A thread ended while it still owned a kernel mutex.',
      parameters: [
        p('Thread', 'Address of the KTHREAD that owns the mutex.'),
        p('Mutex', 'Address of the KMUTEX it owns.'),
        RESERVED,
        RESERVED,
      ],
    },
  ],
  [
    0xc0000218,
    {
      summary: 'A registry hive file could not be loaded; it is missing or damaged.',
      parameters: [p('Hive name', 'Address of the name of the hive that failed to load.'), ZERO, ZERO, ZERO],
    },
  ],
  [
    0xc000021a,
    {
      summary: 'A critical user-mode process (Winlogon) ended unexpectedly.',
      parameters: [
        p('Message', 'Address of a string naming the problem.'),
        p('Status', 'The error code.'),
        RESERVED,
        RESERVED,
      ],
    },
  ],
  [
    0xc0000221,
    {
      summary: 'A driver or system library image is damaged: its checksum does not match.',
      parameters: NONE,
    },
  ],
  [
    0xdeaddead,
    {
      summary: 'A crash was initiated on purpose (the alternative code for a manually initiated crash).',
      parameters: [RESERVED, RESERVED, RESERVED, RESERVED],
    },
  ],
]);

// ---------------------------------------------------------------------------
// Assembly and lookup
// ---------------------------------------------------------------------------

function buildCases(rows: readonly CaseRow[] | undefined): ReadonlyMap<number, BugCheckCaseInfo> | undefined {
  if (rows === undefined) return undefined;
  const cases = new Map<number, BugCheckCaseInfo>();
  for (const [keys, description, parameters] of rows) {
    const info: BugCheckCaseInfo = Object.freeze(
      parameters === undefined ? { description } : { description, parameters },
    );
    for (const key of typeof keys === 'number' ? [keys] : keys) cases.set(key, info);
  }
  return cases;
}

function buildInfo(code: number, name: string, detail: Detail | undefined): BugCheckCodeInfo {
  if (detail === undefined) return Object.freeze({ code, name });
  const info: {
    code: number;
    name: string;
    summary?: string;
    parameters?: BugCheckParameterInfos;
    caseParameter?: BugCheckParameterNumber;
    cases?: ReadonlyMap<number, BugCheckCaseInfo>;
  } = { code, name, summary: detail.summary };
  if (detail.parameters !== undefined) info.parameters = detail.parameters;
  if (detail.caseParameter !== undefined) info.caseParameter = detail.caseParameter;
  const cases = buildCases(detail.cases);
  if (cases !== undefined) info.cases = cases;
  return Object.freeze(info);
}

/** Every code of the public reference, sorted by code. */
export const BUG_CHECK_CODES: readonly BugCheckCodeInfo[] = Object.freeze(
  CODE_NAMES.map(([code, name]) => buildInfo(code, name, DETAILS.get(code))),
);

const BY_CODE: ReadonlyMap<number, BugCheckCodeInfo> = (() => {
  const map = new Map<number, BugCheckCodeInfo>(BUG_CHECK_CODES.map((info) => [info.code, info]));
  // An _M code is documented as meaning exactly what its base code means, so
  // lookups hand out the base code's parameters when it has none of its own.
  for (const info of BUG_CHECK_CODES) {
    if (!info.name.endsWith('_M') || (info.code & BUG_CHECK_M_VARIANT_BIT) === 0 || info.parameters !== undefined)
      continue;
    const base = map.get((info.code & ~BUG_CHECK_M_VARIANT_BIT) >>> 0);
    if (base === undefined) continue;
    map.set(info.code, buildMerged(info, base));
  }
  return map;
})();

function buildMerged(variant: BugCheckCodeInfo, base: BugCheckCodeInfo): BugCheckCodeInfo {
  const merged: {
    code: number;
    name: string;
    summary?: string;
    parameters?: BugCheckParameterInfos;
    caseParameter?: BugCheckParameterNumber;
    cases?: ReadonlyMap<number, BugCheckCaseInfo>;
  } = { code: variant.code, name: variant.name };
  const summary = variant.summary ?? base.summary;
  if (summary !== undefined) merged.summary = summary;
  if (base.parameters !== undefined) merged.parameters = base.parameters;
  if (base.caseParameter !== undefined) merged.caseParameter = base.caseParameter;
  if (base.cases !== undefined) merged.cases = base.cases;
  return Object.freeze(merged);
}

/**
 * Normalizes a code to its unsigned 32-bit value. Dump headers hold the code as
 * a ULONG, but a signed read (e.g. -1073741286 for 0xC000021A) is accepted too.
 */
function toUnsignedCode(code: number): number | undefined {
  if (!Number.isInteger(code) || code < -0x80000000 || code > 0xffffffff) return undefined;
  return code >>> 0;
}

/**
 * The table entry for `code`, or undefined when the code is not in the public
 * reference. For a documented `_M` variant without parameters of its own, the
 * result carries its base code's parameter meanings and cases.
 */
export function lookupBugCheck(code: number): BugCheckCodeInfo | undefined {
  const unsigned = toUnsignedCode(code);
  return unsigned === undefined ? undefined : BY_CODE.get(unsigned);
}

/**
 * The symbolic name of `code`, or `UNKNOWN_BUGCHECK_CODE_0x%08X` (see
 * UNKNOWN_BUG_CHECK_NAME_PREFIX) for a code the reference does not list.
 */
export function bugCheckName(code: number): string {
  const unsigned = toUnsignedCode(code);
  const info = unsigned === undefined ? undefined : BY_CODE.get(unsigned);
  if (info !== undefined) return info.name;
  const shown = unsigned === undefined ? String(code) : `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
  return UNKNOWN_BUG_CHECK_NAME_PREFIX + shown;
}

export interface BugCheckParameterDescription {
  readonly info: BugCheckCodeInfo;
  /** The case chosen by the selecting parameter's value, when the code has one for it. */
  readonly selected?: {
    readonly parameter: BugCheckParameterNumber;
    readonly value: number;
    readonly info: BugCheckCaseInfo;
  };
  /** What each of the four parameters means here; undefined when the table has no meanings for the code. */
  readonly meanings?: BugCheckParameterInfos;
}

/** The general meanings with the three non-selector slots replaced by a case's own. */
function withCaseParameters(
  general: BugCheckParameterInfos,
  selector: BugCheckParameterNumber,
  others: readonly [BugCheckParameterInfo, BugCheckParameterInfo, BugCheckParameterInfo],
): BugCheckParameterInfos {
  const at = (i: 0 | 1 | 2 | 3): BugCheckParameterInfo => {
    if (i === selector - 1) return general[i];
    return others[(i < selector - 1 ? i : i - 1) as 0 | 1 | 2];
  };
  return [at(0), at(1), at(2), at(3)];
}

/**
 * Resolves what the four parameters of an actual bug check mean: the code's
 * general meanings, refined by the case its selecting parameter picks.
 * Returns undefined for a code the reference does not list.
 */
export function describeBugCheckParameters(
  code: number,
  parameters: readonly [bigint, bigint, bigint, bigint],
): BugCheckParameterDescription | undefined {
  const info = lookupBugCheck(code);
  if (info === undefined) return undefined;
  const selector = info.caseParameter ?? 1;
  const raw = parameters[(selector - 1) as 0 | 1 | 2 | 3];
  const value = raw >= 0n && raw <= 0xffffffffn ? Number(raw) : undefined;
  const chosen = value === undefined ? undefined : info.cases?.get(value);
  const selected =
    chosen === undefined || value === undefined ? undefined : { parameter: selector, value, info: chosen };
  const general = info.parameters;
  const meanings =
    general !== undefined && chosen?.parameters !== undefined
      ? withCaseParameters(general, selector, chosen.parameters)
      : general;
  const description: {
    info: BugCheckCodeInfo;
    selected?: BugCheckParameterDescription['selected'];
    meanings?: BugCheckParameterInfos;
  } = { info };
  if (selected !== undefined) description.selected = selected;
  if (meanings !== undefined) description.meanings = meanings;
  return description;
}
