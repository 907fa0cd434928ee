/*
 * sysctl.h: kernel parameters under /proc/sys, for the interface settings
 * rtnetlink does not carry (net.ipv6.conf.IF.accept_ra, addr_gen_mode).
 *
 * Every call takes the root of the tree: NULL means "/proc/sys"; unit
 * tests pass a directory of their own, so this file is harmless when it is
 * linked into them (the Makefile builds it as part of the portable
 * platform library).  Keys are paths below the root with '/' separators
 * ("net/ipv6/conf/eue-ue/accept_ra"); ".." and absolute keys are refused.
 * Files are never created: a missing parameter is E_NOTFOUND.
 */
#ifndef PLATFORM_SYSCTL_H
#define PLATFORM_SYSCTL_H

#include <stddef.h>

#define SYSCTL_ROOT "/proc/sys"

/* Write value (a newline is added) to root/key.  0, E_NOTFOUND, E_INVAL, E_IO. */
int sysctl_set(const char *root, const char *key, const char *value);
/* Read root/key into buf (NUL-terminated, trailing newline removed).
 * Returns the length, or E_NOTFOUND, E_INVAL, E_OVERFLOW, E_IO. */
int sysctl_get(const char *root, const char *key, char *buf, size_t cap);
/* net/ipv6/conf/<ifname>/<name> = value; ifname may not contain '/'. */
int sysctl_ip6_conf_set(const char *root, const char *ifname, const char *name, const char *value);

#endif
