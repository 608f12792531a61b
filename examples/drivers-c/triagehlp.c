/*
 * triagehlp.sys in C — KbCallbackTriageDumpData: the driver's structures in a
 * small dump. The C twin of examples/drivers/triageHelper.ts.
 *
 * A KTRIAGE_DUMP_DATA_ARRAY lists the driver's key structures: the device
 * extension and the configuration are added at start-up (their addresses
 * never change), the request in flight inside the callback, because only at
 * crash time is it known which request that is.
 *
 * Build-time option: TRIAGE_HELPER_QUEUE_DEPTH (16).
 */
#include <ntddk.h>
#include <ntstrsafe.h>

#ifndef TRIAGE_HELPER_QUEUE_DEPTH
#define TRIAGE_HELPER_QUEUE_DEPTH 16
#endif

#define POOL_TAG 'HgrT'                 /* "TrgH" in memory */
#define EXTENSION_SIGNATURE 0x48677254   /* 'TrgH' */
#define TRIAGE_REQUEST_SIGNATURE 0x71655254 /* 'TReq' */
#define TRIAGE_BLOCKS 8                 /* two at start-up, one at crash time, room to spare */

typedef struct _TRIAGE_HELPER_DEVICE_EXTENSION {
  ULONG Signature;
  ULONG DeviceState;
  ULONG RequestsStarted;
  ULONG RequestsCompleted;
  ULONG64 CurrentRequest; /* the request in flight, or 0 */
  ULONG64 RequestPool;
  ULONG64 Configuration;
  ULONG64 TriageArray;
  NTSTATUS LastStatus;
} TRIAGE_HELPER_DEVICE_EXTENSION, *PTRIAGE_HELPER_DEVICE_EXTENSION;

typedef struct _TRIAGE_HELPER_CONFIGURATION {
  CHAR DeviceName[32];
  ULONG FirmwareVersion;
  ULONG QueueDepth;
  ULONG MaxTransferLength;
  ULONG Features;
} TRIAGE_HELPER_CONFIGURATION, *PTRIAGE_HELPER_CONFIGURATION;

typedef struct _TRIAGE_REQUEST {
  ULONG Signature;
  ULONG RequestId;
  ULONG MajorFunction;
  NTSTATUS Status;
  ULONG64 Offset;
  ULONG Length;
  CHAR Description[36];
} TRIAGE_REQUEST, *PTRIAGE_REQUEST;

C_ASSERT(sizeof(TRIAGE_REQUEST) == 64);

#define TRIAGE_ARRAY_BYTES (FIELD_OFFSET(KTRIAGE_DUMP_DATA_ARRAY, Blocks) + TRIAGE_BLOCKS * sizeof(KADDRESS_RANGE))

PTRIAGE_HELPER_DEVICE_EXTENSION g_Extension;
static PTRIAGE_HELPER_CONFIGURATION g_Configuration;
static PTRIAGE_REQUEST g_RequestPool;
static PKTRIAGE_DUMP_DATA_ARRAY g_TriageArray;
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;

static DRIVER_UNLOAD TriageHelperUnload;
static KBUGCHECK_REASON_CALLBACK_ROUTINE TriageHelperTriageCallback;

static VOID CopyText(PCHAR To, SIZE_T Size, PCSTR From) {
  SIZE_T i = 0;
  for (; i < Size && From[i] != '\0'; i++) To[i] = From[i];
  for (; i < Size; i++) To[i] = '\0';
}

/*
 * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackTriageDumpData. Only during
 * a bug check (BUGCHECK_ACTIVE) may it probe memory; then it adds the request
 * in flight, if that still looks like a request, and returns its array.
 */
static VOID TriageHelperTriageCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                       PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_TRIAGE_DUMP_DATA triage = (PKBUGCHECK_TRIAGE_DUMP_DATA)ReasonSpecificData;
  PTRIAGE_HELPER_DEVICE_EXTENSION ext = g_Extension;
  PTRIAGE_REQUEST current;
  ULONG64 poolStart, poolEnd;
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackTriageDumpData || ReasonSpecificDataLength < sizeof(KBUGCHECK_TRIAGE_DUMP_DATA)) return;
  if ((triage->Flags & KB_TRIAGE_DUMP_DATA_FLAG_BUGCHECK_ACTIVE) == 0) return;
  if (!MmIsAddressValid(ext) || !MmIsAddressValid(g_TriageArray)) return;
  if (ext->Signature != EXTENSION_SIGNATURE) return;

  current = (PTRIAGE_REQUEST)(ULONG_PTR)ext->CurrentRequest;
  poolStart = (ULONG64)(ULONG_PTR)g_RequestPool;
  poolEnd = poolStart + TRIAGE_HELPER_QUEUE_DEPTH * sizeof(TRIAGE_REQUEST);
  if (current != NULL && (ULONG64)(ULONG_PTR)current >= poolStart &&
      (ULONG64)(ULONG_PTR)current + sizeof(TRIAGE_REQUEST) <= poolEnd && MmIsAddressValid(current) &&
      current->Signature == TRIAGE_REQUEST_SIGNATURE &&
      g_TriageArray->DataSize + sizeof(TRIAGE_REQUEST) <= triage->MaxVirtMemSize) {
    /* A failure only costs this range; the ones added earlier still count. */
    ext->LastStatus = KeAddTriageDumpDataBlock(g_TriageArray, current, sizeof(TRIAGE_REQUEST));
  }
  triage->DataArray = g_TriageArray;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  NTSTATUS status;
  UNREFERENCED_PARAMETER(RegistryPath);
  g_Extension = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(TRIAGE_HELPER_DEVICE_EXTENSION), POOL_TAG);
  g_Configuration = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(TRIAGE_HELPER_CONFIGURATION), POOL_TAG);
  g_RequestPool = ExAllocatePool2(POOL_FLAG_NON_PAGED, TRIAGE_HELPER_QUEUE_DEPTH * sizeof(TRIAGE_REQUEST), POOL_TAG);
  g_TriageArray = ExAllocatePool2(POOL_FLAG_NON_PAGED, TRIAGE_ARRAY_BYTES, POOL_TAG);
  if (!g_Extension || !g_Configuration || !g_RequestPool || !g_TriageArray) return STATUS_INSUFFICIENT_RESOURCES;

  CopyText(g_Configuration->DeviceName, sizeof(g_Configuration->DeviceName), "\\Device\\TriageHelper0");
  g_Configuration->FirmwareVersion = 0x02030011;
  g_Configuration->QueueDepth = TRIAGE_HELPER_QUEUE_DEPTH;
  g_Configuration->MaxTransferLength = 0x20000;
  g_Configuration->Features = 0xb;
  g_Extension->Signature = EXTENSION_SIGNATURE;
  g_Extension->DeviceState = 1;
  g_Extension->RequestPool = (ULONG64)(ULONG_PTR)g_RequestPool;
  g_Extension->Configuration = (ULONG64)(ULONG_PTR)g_Configuration;
  g_Extension->TriageArray = (ULONG64)(ULONG_PTR)g_TriageArray;
  g_Extension->LastStatus = STATUS_SUCCESS;

  /* The array must be nonpaged and ready before any crash; ranges whose address never changes go in now. */
  status = KeInitializeTriageDumpDataArray(g_TriageArray, TRIAGE_ARRAY_BYTES);
  if (NT_SUCCESS(status))
    status = KeAddTriageDumpDataBlock(g_TriageArray, g_Extension, sizeof(TRIAGE_HELPER_DEVICE_EXTENSION));
  if (NT_SUCCESS(status))
    status = KeAddTriageDumpDataBlock(g_TriageArray, g_Configuration, sizeof(TRIAGE_HELPER_CONFIGURATION));
  if (!NT_SUCCESS(status)) return status;

  KeInitializeCallbackRecord(&g_Record);
  if (!KeRegisterBugCheckReasonCallback(&g_Record, TriageHelperTriageCallback, KbCallbackTriageDumpData,
                                        (PUCHAR) "TriageHelper"))
    return STATUS_UNSUCCESSFUL;
  DriverObject->DriverUnload = TriageHelperUnload;
  return STATUS_SUCCESS;
}

static VOID TriageHelperUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckReasonCallback(&g_Record);
  ExFreePoolWithTag(g_TriageArray, POOL_TAG);
  ExFreePoolWithTag(g_RequestPool, POOL_TAG);
  ExFreePoolWithTag(g_Configuration, POOL_TAG);
  ExFreePoolWithTag(g_Extension, POOL_TAG);
}

/* Starts a request in the next pool slot and makes it the one in flight; returns its address. */
PTRIAGE_REQUEST TriageHelperStartRequest(ULONG MajorFunction, ULONG64 Offset, ULONG Length, PCSTR Description) {
  ULONG started = g_Extension->RequestsStarted;
  PTRIAGE_REQUEST request = &g_RequestPool[started % TRIAGE_HELPER_QUEUE_DEPTH];
  request->Signature = TRIAGE_REQUEST_SIGNATURE;
  request->RequestId = started + 1;
  request->MajorFunction = MajorFunction;
  request->Status = STATUS_PENDING;
  request->Offset = Offset;
  request->Length = Length;
  CopyText(request->Description, sizeof(request->Description), Description);
  g_Extension->RequestsStarted = started + 1;
  g_Extension->CurrentRequest = (ULONG64)(ULONG_PTR)request;
  return request;
}

/* Completes the request in flight. */
VOID TriageHelperCompleteRequest(NTSTATUS Status) {
  PTRIAGE_REQUEST current = (PTRIAGE_REQUEST)(ULONG_PTR)g_Extension->CurrentRequest;
  if (current == NULL) return;
  current->Status = Status;
  g_Extension->CurrentRequest = 0;
  g_Extension->RequestsCompleted++;
  g_Extension->LastStatus = Status;
}

/* One step of activity: complete the request in flight, start the next (left in flight). */
VOID TriageHelperRun(ULONG Step) {
  CHAR description[36];
  BOOLEAN read = Step % 3 != 0;
  TriageHelperCompleteRequest(STATUS_SUCCESS);
  RtlStringCbPrintfA(description, sizeof(description), "%s lba %u", read ? "IRP_MJ_READ" : "IRP_MJ_WRITE", Step * 8);
  TriageHelperStartRequest(read ? 3 : 4, (ULONG64)Step * 0x1000, 0x1000u << (Step % 3), description);
}
