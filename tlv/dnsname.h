/*
 * dnsname.h: DNS wire-format names (RFC 1035 §3.1) as CableLabs options
 * carry them: option 122.3/122.6 and CCCv6 2171.3/2171.6, DHCPv6 FQDN (39).
 *
 * A wire name is a run of labels, each `len(1) bytes(len)`, ended by a zero
 * length byte.  Compression pointers (RFC 1035 §4.1.4, top bits 11) are not
 * allowed inside DHCP options (RFC 3495 §4, RFC 4704 §4.1 forbid them) and
 * are rejected.  Text form is dotted, without the trailing dot; the root name
 * is "".  Pure functions: no I/O, no allocation, no globals.
 */
#ifndef TLV_DNSNAME_H
#define TLV_DNSNAME_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

#define DNSNAME_WIRE_MAX 255   /* RFC 1035 §3.1: whole name incl. length bytes */
#define DNSNAME_LABEL_MAX 63   /* RFC 1035 §2.3.4 */
#define DNSNAME_TEXT_MAX 254   /* longest dotted text (253) + NUL */

/*
 * Decode the wire name at the start of wire[0..len) into out (NUL-ended).
 * *used (if not NULL) gets the bytes the name took, terminator included.
 * Returns the text length, or: E_SHORT (no terminator before len),
 * E_UNSUPPORTED (compression pointer), E_PROTO (label type 01/10, or a label
 * byte that is not a printable ASCII character or is '.'), E_RANGE (name over
 * 255 bytes), E_OVERFLOW (outsz too small; out is then "").
 */
int dnsname_decode(const uint8_t *wire, size_t len, char *out, size_t outsz, size_t *used);

/*
 * Decode and require that the name fills wire[0..len) exactly (the form of a
 * sub-option value).  E_TRAILING if bytes follow the terminator.
 */
int dnsname_decode_exact(const uint8_t *wire, size_t len, char *out, size_t outsz);

/*
 * Append the wire form of the dotted name text (one trailing dot allowed;
 * "" and "." are the root).  Returns 0, or E_INVAL (empty label, '..'),
 * E_RANGE (label over 63 or name over 255 bytes); a writer error is also
 * returned (and is sticky in w).
 */
int dnsname_encode(struct wr *w, const char *text);

/* Bytes dnsname_encode() would write for text, or a negative E_*. */
int dnsname_wire_len(const char *text);

#endif
