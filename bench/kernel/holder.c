/* The holder process; see holder.h. */
#include "kernel/holder.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/session.h"

static void child(const struct load_opts *lo, int ready, int stop)
{
	struct load_opts o = *lo;
	struct session s;
	char c, msg[LOADER_REASON_LEN + 64];

	prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the parent */
	o.attach = true;
	if (session_open(&s, &o, NULL, NULL)) {
		snprintf(msg, sizeof(msg), "%s failed: %s", s.l.stage, s.l.reason);
		if (write(ready, msg, strlen(msg)) < 0)
			_exit(2);
		session_close(&s);
		_exit(1);
	}
	if (write(ready, "", 1) != 1)
		_exit(2);
	close(ready);
	while (read(stop, &c, 1) > 0) /* EOF: the parent wants us gone */
		;
	session_close(&s);
	_exit(0);
}

int holder_start(const struct load_opts *lo, struct holder *h, char *err, size_t errlen)
{
	int ready[2], stop[2];
	ssize_t n;

	h->pid = -1;
	h->fd = -1;
	if (pipe2(ready, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(stop, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	fflush(NULL);
	h->pid = fork();
	if (h->pid < 0) { /* no child: nothing to signal or reap, and no pipe left open */
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(ready[0]);
		close(ready[1]);
		close(stop[0]);
		close(stop[1]);
		h->pid = -1;
		return -1;
	}
	if (h->pid == 0) {
		close(ready[0]);
		close(stop[1]);
		child(lo, ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	h->fd = stop[1];
	n = read(ready[0], err, errlen - 1);
	close(ready[0]);
	if (n == 1 && err[0] == '\0')
		return 0;
	err[n > 0 ? n : 0] = '\0';
	if (n <= 0)
		snprintf(err, errlen, "the holder died before attaching");
	holder_stop(h);
	return -1;
}

int holder_stop(struct holder *h)
{
	int status = 0;

	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	if (h->pid > 0)
		while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
			;
	h->pid = -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
