/*
 * bulklog.sys in C — KbCallbackSecondaryMultiPartDumpData: more data than one
 * block may hold. The C twin of examples/drivers/bulkLogger.ts.
 *
 * A large append-only trace log in nonpaged pool. The multi-part callback
 * hands it over in parts of at most MaximumAllowed bytes: OutBuffer points
 * straight into the log, Context (NULL on the first call, kept by the
 * kernel between calls) counts the bytes handed over, and
 * KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA asks for another call while more remains.
 *
 * Build-time options: BULK_LOGGER_LOG_BYTES (1 MiB), BULK_LOGGER_MAX_PART_BYTES (no limit of its own).
 */
#include <ntddk.h>
#include <ntstrsafe.h>

#ifndef BULK_LOGGER_LOG_BYTES
#define BULK_LOGGER_LOG_BYTES 0x100000
#endif
#ifndef BULK_LOGGER_MAX_PART_BYTES
#define BULK_LOGGER_MAX_PART_BYTES 0xffffffff
#endif

#define POOL_TAG 'goLB'               /* "BLog" in memory */
#define EXTENSION_SIGNATURE 0x676f4c42 /* 'BLog' */

// {9905D862-30EE-4717-9E14-ED9F0662E491}
static const GUID BulkLoggerGuid = {0x9905d862, 0x30ee, 0x4717, {0x9e, 0x14, 0xed, 0x9f, 0x06, 0x62, 0xe4, 0x91}};

typedef struct _BULK_LOGGER_EXTENSION {
  ULONG Signature;
  ULONG ValidLength; /* bytes of the log in use; append-only, stops when full */
  ULONG BufferSize;
  ULONG DroppedBytes; /* bytes refused because the log was full */
  PUCHAR Buffer;
} BULK_LOGGER_EXTENSION, *PBULK_LOGGER_EXTENSION;

PBULK_LOGGER_EXTENSION g_Extension;
static PUCHAR g_Log;
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;

static DRIVER_UNLOAD BulkLoggerUnload;
static KBUGCHECK_REASON_CALLBACK_ROUTINE BulkLoggerMultiPartCallback;

/*
 * KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackSecondaryMultiPartDumpData.
 * A part is never empty unless the whole log is, and the flag is cleared with
 * the last part, so the kernel stops calling.
 */
static VOID BulkLoggerMultiPartCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                        PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_SECONDARY_DUMP_DATA_EX data = (PKBUGCHECK_SECONDARY_DUMP_DATA_EX)ReasonSpecificData;
  PBULK_LOGGER_EXTENSION log = g_Extension;
  ULONG valid, offset, part;
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackSecondaryMultiPartDumpData ||
      ReasonSpecificDataLength < sizeof(KBUGCHECK_SECONDARY_DUMP_DATA_EX))
    return;
  if (!MmIsAddressValid(log) || log->Signature != EXTENSION_SIGNATURE) {
    data->OutBuffer = NULL;
    data->OutBufferLength = 0;
    data->Flags = 0;
    return;
  }
  valid = min(log->ValidLength, log->BufferSize);
  offset = (ULONG_PTR)data->Context > valid ? valid : (ULONG)(ULONG_PTR)data->Context;
  part = min(min(valid - offset, data->MaximumAllowed), (ULONG)BULK_LOGGER_MAX_PART_BYTES);
  data->Guid = BulkLoggerGuid;
  data->OutBuffer = part > 0 ? log->Buffer + offset : NULL;
  data->OutBufferLength = part;
  data->Context = (PVOID)(ULONG_PTR)(offset + part);
  data->Flags = part > 0 && offset + part < valid ? KB_SECONDARY_DATA_FLAG_ADDITIONAL_DATA : 0;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  UNREFERENCED_PARAMETER(RegistryPath);
  g_Log = ExAllocatePool2(POOL_FLAG_NON_PAGED, BULK_LOGGER_LOG_BYTES, POOL_TAG);
  if (g_Log == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  g_Extension = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(BULK_LOGGER_EXTENSION), POOL_TAG);
  if (g_Extension == NULL) {
    ExFreePoolWithTag(g_Log, POOL_TAG);
    return STATUS_INSUFFICIENT_RESOURCES;
  }
  g_Extension->Signature = EXTENSION_SIGNATURE;
  g_Extension->BufferSize = BULK_LOGGER_LOG_BYTES;
  g_Extension->Buffer = g_Log;
  KeInitializeCallbackRecord(&g_Record);
  if (!KeRegisterBugCheckReasonCallback(&g_Record, BulkLoggerMultiPartCallback, KbCallbackSecondaryMultiPartDumpData,
                                        (PUCHAR) "BulkLogger")) {
    ExFreePoolWithTag(g_Extension, POOL_TAG);
    ExFreePoolWithTag(g_Log, POOL_TAG);
    return STATUS_UNSUCCESSFUL;
  }
  DriverObject->DriverUnload = BulkLoggerUnload;
  return STATUS_SUCCESS;
}

static VOID BulkLoggerUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckReasonCallback(&g_Record);
  ExFreePoolWithTag(g_Log, POOL_TAG);
  ExFreePoolWithTag(g_Extension, POOL_TAG);
}

/* Appends to the log; returns the bytes taken (fewer when the log fills up). IRQL <= DISPATCH_LEVEL. */
ULONG BulkLoggerAppend(const VOID *Data, ULONG Length) {
  PBULK_LOGGER_EXTENSION log = g_Extension;
  ULONG taken = min(Length, log->BufferSize - log->ValidLength);
  ULONG64 dropped;
  if (taken > 0) RtlCopyMemory(log->Buffer + log->ValidLength, Data, taken);
  log->ValidLength += taken;
  dropped = (ULONG64)log->DroppedBytes + (Length - taken);
  log->DroppedBytes = dropped > MAXULONG ? MAXULONG : (ULONG)dropped;
  return taken;
}

/* One step of activity: a burst of 128 trace lines (about 4.4 KiB). */
VOID BulkLoggerRun(ULONG Step) {
  CHAR lines[128 * 64];
  SIZE_T used = 0;
  for (ULONG i = 0; i < 128; i++) {
    ULONG n = Step * 128 + i;
    SIZE_T length = 0;
    RtlStringCbPrintfA(lines + used, sizeof(lines) - used, "%08u q=%u lba=%u len=%u\n", n, n % 7,
                       (ULONG)(n * 2654435761u) >> 8, 512u << (n % 4));
    RtlStringCbLengthA(lines + used, sizeof(lines) - used, &length);
    used += length;
  }
  BulkLoggerAppend(lines, (ULONG)used);
}
