/*
 * dumpmirror.sys in C — a KbCallbackDumpIo driver that mirrors the crash dump.
 * The C twin of examples/drivers/dumpMirror.ts.
 *
 * Every write of the dump comes to the DumpIo routine with its file offset
 * (or -1 for "next in sequence"); the driver copies it, at the same place, to
 * its mirror device. Here the device is a host channel named "mirror"
 * (bugcheck.h: whoever loads the driver binds it to a file); a real driver
 * would use a hypervisor channel or a debug port. The channel is opened in
 * DriverEntry: at HIGH_LEVEL nothing may be opened, allocated or waited for.
 * Statistics live in nonpaged pool, so they are in the dump too.
 */
#include <ntddk.h>
#include <bugcheck.h>

#define POOL_TAG 'riMD'            /* "DMir" in memory */
#define MIRROR_SIGNATURE 0x72694d44 /* 'DMir' */

typedef struct _DUMP_MIRROR_EXTENSION {
  ULONG Signature;
  NTSTATUS MirrorStatus; /* STATUS_SUCCESS until the mirror device fails */
  ULONG CallsByType[5];  /* index = KBUGCHECK_DUMP_IO_TYPE */
  ULONG SequentialCalls; /* calls with Offset = -1 */
  ULONG CallsAfterComplete;
  LONG FirstType;
  LONG LastType;
  ULONG64 BytesMirrored;
  ULONG64 SequentialCursor; /* where the next Offset = -1 write goes */
} DUMP_MIRROR_EXTENSION, *PDUMP_MIRROR_EXTENSION;

PDUMP_MIRROR_EXTENSION g_Statistics;
static HANDLE g_Mirror; /* NULL once closed */
static KBUGCHECK_REASON_CALLBACK_RECORD g_Record;

static DRIVER_UNLOAD DumpMirrorUnload;
static KBUGCHECK_REASON_CALLBACK_ROUTINE DumpMirrorDumpIoCallback;

static VOID CloseMirror(BOOLEAN Flush, PDUMP_MIRROR_EXTENSION Stats) {
  HANDLE mirror = g_Mirror;
  if (mirror == NULL) return;
  g_Mirror = NULL;
  if (!NT_SUCCESS(BcCloseHostChannel(mirror, Flush)) && Stats != NULL) Stats->MirrorStatus = STATUS_IO_DEVICE_ERROR;
}

/* KBUGCHECK_REASON_CALLBACK_ROUTINE for KbCallbackDumpIo: every field is an input. */
static VOID DumpMirrorDumpIoCallback(KBUGCHECK_CALLBACK_REASON Reason, PKBUGCHECK_REASON_CALLBACK_RECORD Record,
                                     PVOID ReasonSpecificData, ULONG ReasonSpecificDataLength) {
  PKBUGCHECK_DUMP_IO io = (PKBUGCHECK_DUMP_IO)ReasonSpecificData;
  PDUMP_MIRROR_EXTENSION stats = g_Statistics;
  BOOLEAN afterComplete;
  UNREFERENCED_PARAMETER(Record);
  if (Reason != KbCallbackDumpIo || ReasonSpecificDataLength < sizeof(KBUGCHECK_DUMP_IO)) return;

  afterComplete = stats->CallsByType[KbDumpIoComplete] > 0;
  if ((ULONG)io->Type < RTL_NUMBER_OF(stats->CallsByType)) stats->CallsByType[io->Type]++;
  if (stats->FirstType == KbDumpIoInvalid) stats->FirstType = io->Type;
  stats->LastType = io->Type;
  if (afterComplete) stats->CallsAfterComplete++;
  if (io->Offset == (ULONG64)-1) stats->SequentialCalls++;

  if (io->Type == KbDumpIoComplete) {
    /* The dump is whole: flush the device. Nothing else will come. */
    CloseMirror(TRUE, stats);
  } else if (g_Mirror != NULL && io->Buffer != NULL && io->BufferLength > 0) {
    /* Buffer is the kernel's, valid only during this call: send it now. */
    ULONG64 offset = io->Offset == (ULONG64)-1 ? stats->SequentialCursor : io->Offset;
    if (NT_SUCCESS(BcWriteHostChannel(g_Mirror, offset, io->Buffer, io->BufferLength))) {
      stats->BytesMirrored += io->BufferLength;
      stats->SequentialCursor = offset + io->BufferLength;
    } else {
      /* A failing device must not take the dump with it: stop mirroring, remember why. */
      stats->MirrorStatus = STATUS_IO_DEVICE_ERROR;
      CloseMirror(FALSE, NULL);
    }
  }
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
  NTSTATUS status;
  UNREFERENCED_PARAMETER(RegistryPath);
  g_Statistics = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(DUMP_MIRROR_EXTENSION), POOL_TAG);
  if (g_Statistics == NULL) return STATUS_INSUFFICIENT_RESOURCES;
  g_Statistics->Signature = MIRROR_SIGNATURE;
  g_Statistics->MirrorStatus = STATUS_SUCCESS;
  g_Statistics->FirstType = KbDumpIoInvalid;
  g_Statistics->LastType = KbDumpIoInvalid;
  /* The device is made ready now: at crash time nothing may be opened. */
  status = BcOpenHostChannel("mirror", &g_Mirror);
  if (!NT_SUCCESS(status)) {
    ExFreePoolWithTag(g_Statistics, POOL_TAG);
    return status;
  }
  KeInitializeCallbackRecord(&g_Record);
  if (!KeRegisterBugCheckReasonCallback(&g_Record, DumpMirrorDumpIoCallback, KbCallbackDumpIo,
                                        (PUCHAR) "DumpMirror")) {
    CloseMirror(FALSE, NULL);
    ExFreePoolWithTag(g_Statistics, POOL_TAG);
    return STATUS_UNSUCCESSFUL;
  }
  DriverObject->DriverUnload = DumpMirrorUnload;
  return STATUS_SUCCESS;
}

static VOID DumpMirrorUnload(PDRIVER_OBJECT DriverObject) {
  UNREFERENCED_PARAMETER(DriverObject);
  KeDeregisterBugCheckReasonCallback(&g_Record);
  CloseMirror(FALSE, NULL);
  ExFreePoolWithTag(g_Statistics, POOL_TAG);
}
