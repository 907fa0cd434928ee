/* sysctl.c: /proc/sys parameters (see sysctl.h). */
#include "platform/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platform/err.h"

static int sysctl_path(char *buf, size_t cap, const char *root, const char *key)
{
	int n;

	if (key == NULL || key[0] == '\0' || key[0] == '/' || strstr(key, "..") != NULL)
		return E_INVAL;
	n = snprintf(buf, cap, "%s/%s", root ? root : SYSCTL_ROOT, key);
	return n < 0 || (size_t)n >= cap ? E_INVAL : 0;
}

static int sysctl_errno(void)
{
	return errno == ENOENT || errno == ENOTDIR ? E_NOTFOUND : E_IO;
}

int sysctl_set(const char *root, const char *key, const char *value)
{
	char path[256], line[64];
	int fd, n, rc;
	ssize_t w;

	rc = sysctl_path(path, sizeof(path), root, key);
	if (rc != 0)
		return rc;
	n = snprintf(line, sizeof(line), "%s\n", value ? value : "");
	if (value == NULL || n < 0 || (size_t)n >= sizeof(line))
		return E_INVAL;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return sysctl_errno();
	/* /proc/sys takes a value in one write(2) */
	do
		w = write(fd, line, (size_t)n);
	while (w < 0 && errno == EINTR);
	rc = w == n ? 0 : E_IO;
	if (close(fd) < 0 && rc == 0)
		rc = E_IO;
	return rc;
}

int sysctl_get(const char *root, const char *key, char *buf, size_t cap)
{
	char path[256];
	int fd, rc;
	ssize_t n;

	if (buf == NULL || cap == 0)
		return E_INVAL;
	rc = sysctl_path(path, sizeof(path), root, key);
	if (rc != 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sysctl_errno();
	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0)
		return E_IO;
	if ((size_t)n == cap)
		return E_OVERFLOW;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return (int)n;
}

int sysctl_ip6_conf_set(const char *root, const char *ifname, const char *name, const char *value)
{
	char key[128];
	int n;

	if (ifname == NULL || name == NULL || ifname[0] == '\0' || strchr(ifname, '/') != NULL ||
	    strchr(name, '/') != NULL)
		return E_INVAL;
	n = snprintf(key, sizeof(key), "net/ipv6/conf/%s/%s", ifname, name);
	if (n < 0 || (size_t)n >= sizeof(key))
		return E_INVAL;
	return sysctl_set(root, key, value);
}
