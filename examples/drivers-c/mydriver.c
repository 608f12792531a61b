#include <ntddk.h>
#include <ntstrsafe.h>

// The tag WinDbg's .enumtag (and bugcheck enumtag) shows for our block:
// {B8F1C3E2-5D4A-4E6F-9A7B-1C2D3E4F5A6B}
static const GUID MyDriverTag = {0xb8f1c3e2, 0x5d4a, 0x4e6f, {0x9a, 0x7b, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b}};

// Everything the callback uses exists before the crash, in nonpaged memory:
// at HIGH_LEVEL it may not allocate, lock or wait.
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;
static CHAR g_State[0x40];

static KBUGCHECK_REASON_CALLBACK_ROUTINE MyDriverSecondaryDumpData;
static DRIVER_UNLOAD MyDriverUnload;

static VOID MyDriverSecondaryDumpData(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                      PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_SECONDARY_DUMP_DATA data = (PKBUGCHECK_SECONDARY_DUMP_DATA)ReasonSpecificData;
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackSecondaryDumpData || ReasonSpecificDataLength < sizeof(*data)) return;

  data->OutBufferLength = sizeof(g_State); // size pass (OutBuffer == NULL): how much we will give
  if (data->OutBuffer == NULL) return;
  data->Guid = MyDriverTag; // data pass: tag the block and point at our buffer
  data->OutBuffer = g_State;
  DbgPrint("mydriver: %u bytes of state for the dump\n", (ULONG)sizeof(g_State));
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);
  RtlStringCbPrintfA(g_State, sizeof(g_State), "queue depth %d, last IRP 0x%x", 3, 0x4a);

  KeInitializeCallbackRecord(&g_Record);
  if (!KeRegisterBugCheckReasonCallback(&g_Record, MyDriverSecondaryDumpData, KbCallbackSecondaryDumpData,
                                        (PUCHAR)"MyDriver"))
    return STATUS_UNSUCCESSFUL;
  DriverObject->DriverUnload = MyDriverUnload;
  DbgPrint("mydriver: loaded at %p, record at %p\n", DriverObject->DriverStart, &g_Record);
  return STATUS_SUCCESS;
}

static VOID MyDriverUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckReasonCallback(&g_Record);
}
