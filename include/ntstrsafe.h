/*
 * ntstrsafe.h — bugcheck's safe string functions for kernel mode (ANSI and
 * wide). Each returns STATUS_SUCCESS, STATUS_BUFFER_OVERFLOW (the result was
 * truncated, still NUL-terminated) or STATUS_INVALID_PARAMETER. Formats:
 * %s %S %ws %wZ %Z %c %C %d %i %u %x %X %o %p %%, flags '-+ #0', width and
 * precision (also '*'), sizes h hh l (32-bit, as MSVC) ll I64 I32 I z t j.
 */
#ifndef _NTSTRSAFE_H_INCLUDED_
#define _NTSTRSAFE_H_INCLUDED_

#include <ntdef.h>

typedef char *NTSTRSAFE_PSTR;
typedef const char *NTSTRSAFE_PCSTR;
typedef WCHAR *NTSTRSAFE_PWSTR;
typedef const WCHAR *NTSTRSAFE_PCWSTR;

#define NTSTRSAFE_MAX_CCH 2147483647
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH 32767
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000

NTSTATUS NTAPI RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTATUS NTAPI RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTATUS NTAPI RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTATUS NTAPI RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszFormat,
                                    va_list argList);
NTSTATUS NTAPI RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTATUS NTAPI RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTATUS NTAPI RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS NTAPI RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS NTAPI RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cbToCopy);
NTSTATUS NTAPI RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc, SIZE_T cchToCopy);
NTSTATUS NTAPI RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS NTAPI RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTATUS NTAPI RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, SIZE_T cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, SIZE_T cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlStringCbLengthA(NTSTRSAFE_PCSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
NTSTATUS NTAPI RtlStringCchLengthA(NTSTRSAFE_PCSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);
NTSTATUS NTAPI RtlStringCbLengthW(NTSTRSAFE_PCWSTR psz, SIZE_T cbMax, SIZE_T *pcbLength);
NTSTATUS NTAPI RtlStringCchLengthW(NTSTRSAFE_PCWSTR psz, SIZE_T cchMax, SIZE_T *pcchLength);

#endif /* _NTSTRSAFE_H_INCLUDED_ */
