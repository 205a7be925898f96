/* cmd_version.c - `tealeaves version`: the version, source commit, library versions and
 * data folder of this program. */
#include "cli/common.h"
#include "tl_version.h"

#include <stdio.h>

int tl_cli_version(int argc, char **argv)
{
	/* any words after the command are ignored, as they always were */
	printf("tealeaves %s\nsource commit %s%s\n", TL_VERSION, TL_SOURCE_COMMIT,
	       TL_SOURCE_DIRTY ? " (with uncommitted changes)" : "");
	tl_buf_t libs;
	tl_buf_init(&libs);
	tl_cli_library_versions(&libs);
	printf("libraries: %s\n", libs.data);
	printf("data folder: %s\n", tl_cli_data_dir());
	tl_buf_free(&libs);
	return fflush(stdout) == 0 ? EXIT_OK : tl_cli_output_failed();
}
