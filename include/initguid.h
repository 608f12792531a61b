/*
 * initguid.h — include it (before the headers that use DEFINE_GUID) in the one
 * source file that should define the GUIDs; everywhere else DEFINE_GUID only
 * declares them.
 */
#ifndef INITGUID
#define INITGUID
#endif
#include <ntdef.h>

#undef DEFINE_GUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)                                                   \
  __BC_GUID_LINKAGE const GUID DECLSPEC_SELECTANY name = {l, w1, w2, {b1, b2, b3, b4, b5, b6, b7, b8}}
