/* board_cli.c: board.conf with the daemons' command line over it (board.h). */
#include "platform/board.h"

#include <stdio.h>

#include "platform/err.h"
#include "platform/log.h"

const char *board_load_cli(struct board_conf *b, const char *conf, const char *nvram,
			   const char *ipc)
{
	unsigned line;
	int rc = board_load(b, conf, &line);

	if (rc < 0)
		fatalx("%s:%u: %s", conf, line, err_str(rc));
	if (nvram && snprintf(b->nvram_dir, sizeof(b->nvram_dir), "%s", nvram) >=
			     (int)sizeof(b->nvram_dir))
		fatalx("--nvram: path too long");
	if (ipc == NULL)
		ipc = b->ipc_path;
	if (ipc[0] == '\0')
		fatalx("no IPC path (--ipc, or ipc_path in %s)", conf);
	return ipc;
}
