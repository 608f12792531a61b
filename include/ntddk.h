/*
 * ntddk.h — bugcheck's ntddk.h: everything of wdm.h (this model has no
 * further kernel interfaces a bug check callback driver needs).
 */
#ifndef _NTDDK_
#define _NTDDK_
#define _NTDDK_INCLUDED_

#include <wdm.h>

#endif /* _NTDDK_ */
