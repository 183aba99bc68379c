#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u))
		return "unknown";
	return u.release;
}

int mkdir_p(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int run_to_file(char *const argv[], const char *path)
{
	int status, fd, err_pipe[2];
	int child_errno = 0;
	pid_t pid;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	/* A close-on-exec pipe tells the parent whether exec itself failed. */
	if (pipe2(err_pipe, O_CLOEXEC)) {
		close(fd);
		return -errno;
	}
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		child_errno = errno;
		if (write(err_pipe[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(127);
		_exit(127);
	}
	close(fd);
	close(err_pipe[1]);
	if (pid < 0) {
		close(err_pipe[0]);
		return -errno;
	}
	if (read(err_pipe[0], &child_errno, sizeof(child_errno)) != sizeof(child_errno))
		child_errno = 0;
	close(err_pipe[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (child_errno)
		return -child_errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int write_file(const char *path, const void *buf, uint64_t len)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

const char *timing_kind(void)
{
	const char *env = getenv("BPF2BPF_TIMING");

	/* The VM matrix knows when it runs under TCG and says so; guessing from
	 * CPU flags would mislabel hardware-virtualised guests. */
	return env && *env ? env : "native";
}

int parse_count(const char *who, const char *s, const char *what, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "%s: %s wants a whole number from 1 to %ld, got '%s'\n", who, what,
			max, s);
		return -1;
	}
	*out = v;
	return 0;
}

#define TIMING_LOCK "/tmp/bpf2bpf-bench.timing.lock"

int bench_lock(const char *who)
{
	int fd = open(TIMING_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", who, TIMING_LOCK, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "%s: another timing run holds %s; refusing to run beside it "
				"(timings would disturb each other)\n", who, TIMING_LOCK);
		close(fd);
		return -1;
	}
	return fd;
}
