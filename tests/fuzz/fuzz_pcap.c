/* fuzz_pcap.c - libFuzzer harness for whole evidence files through tl_input_read.
 *
 * The input is a whole file (pcap, pcapng, gzip, or a text log: detection is part
 * of what is fuzzed). tl_input_read takes a path, so the bytes go into an
 * anonymous memory file (memfd) read back as /proc/self/fd/N; where memfd is
 * unavailable, into /tmp/tl-fuzz-pcap-<pid>.bin. Either way nothing is shared
 * between processes, so parallel fuzzing jobs do not disturb each other. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "input/input.h"
#include "input/record.h"

static int on_record(const tl_record_t *r, void *ud)
{
	uint64_t *n = ud;
	fuzz_consume_record(r);
	(*n)++;
	return 0;
}

static int file_fd = -1;
static char file_path[64];

static void remove_file(void)
{
	unlink(file_path);
}

static int open_file(void)
{
	file_fd = memfd_create("tl-fuzz-pcap", 0);
	if (file_fd >= 0) {
		snprintf(file_path, sizeof(file_path), "/proc/self/fd/%d", file_fd);
		if (access(file_path, R_OK) == 0)
			return 0;
		close(file_fd);
	}
	snprintf(file_path, sizeof(file_path), "/tmp/tl-fuzz-pcap-%ld.bin", (long)getpid());
	file_fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (file_fd < 0)
		return -1;
	atexit(remove_file);
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (file_fd < 0 && open_file() != 0)
		abort(); /* the harness itself cannot run: say so loudly */
	if (ftruncate(file_fd, 0) != 0 || lseek(file_fd, 0, SEEK_SET) != 0 ||
	    write_all(file_fd, data, size) != 0)
		abort();

	tl_input_opts_t opts;
	tl_input_info_t info;
	uint64_t n = 0;
	tl_input_opts_default(&opts);
	/* Small caps, so that the cap paths are reachable from small inputs. */
	opts.net.frag_max_datagrams = 4;
	opts.net.tcp_max_flows = 4;
	opts.net.tcp_max_buffer = 2048;
	opts.match_max_pending = 4;
	memset(&info, 0, sizeof(info));
	(void)tl_input_read(file_path, 0, &opts, on_record, &n, &info);
	return 0;
}
