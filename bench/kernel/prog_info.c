/* bpf_prog_info in two passes (sizes first, then the arrays), see prog_info.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "kernel/prog_info.h"

static uint64_t fdinfo_memlock(int fd)
{
	char path[64], line[256];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

int prog_facts_get(int fd, bool want_image, struct prog_facts *f)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	uint32_t nfuncs;

	memset(f, 0, sizeof(*f));
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	f->id = info.id;
	f->xlated_bytes = info.xlated_prog_len;
	f->jited_bytes = info.jited_prog_len;
	f->verified_insns = info.verified_insns;
	f->run_time_ns = info.run_time_ns;
	f->run_cnt = info.run_cnt;
	f->memlock_bytes = fdinfo_memlock(fd);
	nfuncs = info.nr_jited_func_lens;

	/* Second pass for the arrays: only the fields we ask for are filled. */
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	if (nfuncs) {
		f->jited_func_lens = calloc(nfuncs, sizeof(uint32_t));
		if (!f->jited_func_lens)
			return -ENOMEM;
		info.nr_jited_func_lens = nfuncs;
		info.jited_func_lens = (uintptr_t)f->jited_func_lens;
	}
	if (want_image && f->jited_bytes) {
		f->jited_image = malloc(f->jited_bytes);
		if (!f->jited_image)
			return -ENOMEM;
		info.jited_prog_len = f->jited_bytes;
		info.jited_prog_insns = (uintptr_t)f->jited_image;
	}
	if ((nfuncs || f->jited_image) && bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	f->jited_funcs = nfuncs;
	return 0;
}

void prog_facts_free(struct prog_facts *f)
{
	free(f->jited_func_lens);
	free(f->jited_image);
	memset(f, 0, sizeof(*f));
}

int prog_run_counters(int fd, uint64_t *run_time_ns, uint64_t *run_cnt)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*run_time_ns = info.run_time_ns;
	*run_cnt = info.run_cnt;
	return 0;
}

void prog_facts_func_lens(const struct prog_facts *f, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < f->jited_funcs && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u", i ? "+" : "",
					f->jited_func_lens[i]);
}
