/* crc32.h: CRC-32 (IEEE 802.3, reflected, as zlib) for stored-record integrity. */
#ifndef PLATFORM_CRC32_H
#define PLATFORM_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC: crc32_update(0, p, n) is the CRC of p[0..n). */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
