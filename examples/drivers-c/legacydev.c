/*
 * legacydev.sys in C — KeRegisterBugCheckCallback: put the device in a known
 * state. The C twin of examples/drivers/legacyDevice.ts.
 *
 * The old-style callback gets the buffer it was registered with and runs
 * AFTER the dump has been written: the place to stop DMA and reset the
 * device through its registers, the wrong place to save anything. A
 * KbCallbackDumpIo routine notes KbDumpIoComplete first, so
 * ResetAfterDump = 1 proves the order.
 */
#include <ntddk.h>
#include <bugcheck.h>

#define POOL_TAG 'vDgL'            /* "LgDv" in memory */
#define STATE_SIGNATURE 0x7644674c /* 'LgDv' */

#define LEGACY_DEVICE_STOPPED 0
#define LEGACY_DEVICE_RUNNING 1
#define LEGACY_DEVICE_RESET 2

/* The device's register block (one page of device memory, mapped). */
#define REG_CONTROL 0x00
#define REG_STATUS 0x04
#define REG_DMA_ADDRESS 0x08
#define REG_RESET_COUNT 0x0c
#define CONTROL_RUN 0x1
#define CONTROL_DMA_ENABLE 0x2
#define CONTROL_RESET 0x80000000
#define STATUS_READY 0x1
#define STATUS_HALTED 0x80

/* The buffer registered with KeRegisterBugCheckCallback (nonpaged): `!bugdump LegacyDevice` territory. */
typedef struct _LEGACY_DEVICE_STATE {
  ULONG Signature;
  ULONG State;
  ULONG CommandsIssued;
  ULONG LastCommand;
  ULONG DumpComplete;   /* set by the DumpIo routine when KbDumpIoComplete arrives */
  ULONG ResetAfterDump; /* set by the legacy routine: DumpComplete as it found it */
  CHAR Marker[16];
} LEGACY_DEVICE_STATE, *PLEGACY_DEVICE_STATE;

PLEGACY_DEVICE_STATE g_State;
PUCHAR g_Registers;
PHYSICAL_ADDRESS g_RegistersPhysical;
static KBUGCHECK_CALLBACK_RECORD g_LegacyRecord;
static KBUGCHECK_REASON_CALLBACK_RECORD g_DumpIoRecord;

static DRIVER_UNLOAD LegacyDeviceUnload;
static KBUGCHECK_CALLBACK_ROUTINE LegacyDeviceBugCheckCallback;
static KBUGCHECK_REASON_CALLBACK_ROUTINE LegacyDeviceDumpIoCallback;

#define REGISTER(offset) ((volatile ULONG *)(g_Registers + (offset)))

static VOID SetMarker(PLEGACY_DEVICE_STATE State, PCSTR Text) {
  SIZE_T i = 0;
  for (; i < sizeof(State->Marker) && Text[i] != '\0'; i++) State->Marker[i] = Text[i];
  for (; i < sizeof(State->Marker); i++) State->Marker[i] = '\0';
}

/* KBUGCHECK_CALLBACK_ROUTINE: runs after the dump; only the HAL register routines and the buffer are touched. */
static VOID LegacyDeviceBugCheckCallback(PVOID Buffer, ULONG Length) {
  PLEGACY_DEVICE_STATE state = (PLEGACY_DEVICE_STATE)Buffer;
  if (Length < sizeof(LEGACY_DEVICE_STATE) || !MmIsAddressValid(Buffer)) return;
  if (state->Signature != STATE_SIGNATURE) return;
  /* Stop DMA first, then reset: a device still writing to memory during reboot is the danger. */
  WRITE_REGISTER_ULONG(REGISTER(REG_CONTROL), 0);
  WRITE_REGISTER_ULONG(REGISTER(REG_CONTROL), CONTROL_RESET);
  WRITE_REGISTER_ULONG(REGISTER(REG_STATUS), STATUS_HALTED);
  WRITE_REGISTER_ULONG(REGISTER(REG_RESET_COUNT), READ_REGISTER_ULONG(REGISTER(REG_RESET_COUNT)) + 1);
  /* Written after the dump: visible on a live debugger, never in MEMORY.DMP. */
  state->State = LEGACY_DEVICE_RESET;
  state->ResetAfterDump = state->DumpComplete;
  SetMarker(state, "RESET");
}

/* KbCallbackDumpIo: only watches for the end of the dump. */
static VOID LegacyDeviceDumpIoCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                       PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackDumpIo || ReasonSpecificDataLength < sizeof(KBUGCHECK_DUMP_IO)) return;
  if (((PKBUGCHECK_DUMP_IO)ReasonSpecificData)->Type == KbDumpIoComplete) g_State->DumpComplete = 1;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);
  if (!NT_SUCCESS(BcAllocateDeviceMemory(1, &g_RegistersPhysical))) return STATUS_INSUFFICIENT_RESOURCES;
  g_Registers = MmMapIoSpaceEx(g_RegistersPhysical, PAGE_SIZE, PAGE_READWRITE | PAGE_NOCACHE);
  if (g_Registers == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  g_State = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(LEGACY_DEVICE_STATE), POOL_TAG);
  if (g_State == NULL) {
    MmUnmapIoSpace(g_Registers, PAGE_SIZE);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  g_State->Signature = STATE_SIGNATURE;
  g_State->State = LEGACY_DEVICE_RUNNING;
  SetMarker(g_State, "RUNNING");
  /* Start the device. */
  WRITE_REGISTER_ULONG(REGISTER(REG_CONTROL), CONTROL_RUN | CONTROL_DMA_ENABLE);
  WRITE_REGISTER_ULONG(REGISTER(REG_STATUS), STATUS_READY);

  KeInitializeCallbackRecord(&g_LegacyRecord);
  KeInitializeCallbackRecord(&g_DumpIoRecord);
  if (!KeRegisterBugCheckCallback(&g_LegacyRecord, LegacyDeviceBugCheckCallback, g_State,
                                  sizeof(LEGACY_DEVICE_STATE), (PUCHAR) "LegacyDevice") ||
      !KeRegisterBugCheckReasonCallback(&g_DumpIoRecord, LegacyDeviceDumpIoCallback, KbCallbackDumpIo,
                                        (PUCHAR) "LegacyDevice")) {
    KeDeregisterBugCheckCallback(&g_LegacyRecord);
    MmUnmapIoSpace(g_Registers, PAGE_SIZE);
    ExFreePoolWithTag(g_State, POOL_TAG);
    return STATUS_UNSUCCESSFUL;
  }
  DriverObject->DriverUnload = LegacyDeviceUnload;
  return STATUS_SUCCESS;
}

static VOID LegacyDeviceUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckCallback(&g_LegacyRecord);
  KeDeregisterBugCheckReasonCallback(&g_DumpIoRecord);
  WRITE_REGISTER_ULONG(REGISTER(REG_CONTROL), 0);
  MmUnmapIoSpace(g_Registers, PAGE_SIZE);
  ExFreePoolWithTag(g_State, POOL_TAG);
}

/* Issues a command to the device (the driver's normal work). */
VOID LegacyDeviceIssueCommand(ULONG Command) {
  g_State->CommandsIssued++;
  g_State->LastCommand = Command;
  WRITE_REGISTER_ULONG(REGISTER(REG_DMA_ADDRESS), 0x10000000 + Command * 0x200);
}

/* One step of activity: a command. */
VOID LegacyDeviceRun(ULONG Step) { LegacyDeviceIssueCommand(0x20 + Step % 8); }
